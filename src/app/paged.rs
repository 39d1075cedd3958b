//! A window onto a long list: only the rows in view are loaded, the total comes from a count.

use crate::store::Page;

/// The visible page of a list, its total, the selection and the scroll position.
/// Indexes are absolute positions in the whole (filtered) list.
#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub rows: Vec<T>,
    pub total: u64,
    pub selected: u64,
    /// The absolute index of the first visible row.
    pub offset: u64,
    pub view: u16,
    /// The absolute index of `rows[0]`: it lags behind `offset` while a scrolled-to page is
    /// still being read, so the rows on screen never claim positions they do not have.
    first: u64,
    /// Whether a page was ever read into this list (before that, empty means "not read yet").
    filled: bool,
    /// The desk moved the list back to the top (a new filter or search): the next read starts
    /// there instead of following the old selection.
    restarted: bool,
    /// Moves typed before the first page arrived: they count once it does.
    ahead: i64,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged {
            rows: Vec::new(),
            total: 0,
            selected: 0,
            offset: 0,
            view: 10,
            first: 0,
            filled: false,
            restarted: false,
            ahead: 0,
        }
    }
}

/// One page as the store read it, for `Paged::fill`.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<T> {
    pub total: u64,
    pub offset: u64,
    pub rows: Vec<T>,
    /// Set when the read followed the selected row to where it now is (see `read_keeping`).
    pub follow: Option<Follow>,
}

/// Where a read found the selected row, and where the list stood when it was asked: the list
/// moves there only if the desk has not moved it meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Follow {
    pub asked_offset: u64,
    pub asked_selected: u64,
    pub selected: u64,
}

/// What became of the row that was selected when a page was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Found (or nothing was selected).
    Stayed,
    /// Not within a view either side of where it was: deleted, filtered out or moved far.
    Lost(i64),
}

impl<T> Paged<T> {
    /// An empty list showing `view` rows at a time.
    pub fn with_view(view: u16) -> Paged<T> {
        Paged { view, ..Paged::default() }
    }

    /// Whether any page has been read yet: an empty list before that is still loading.
    pub fn is_loaded(&self) -> bool {
        self.filled
    }

    /// The selected row, when it is loaded.
    pub fn current(&self) -> Option<&T> {
        self.rows.get(self.selected_in_page()?)
    }

    /// The selection's position inside the loaded page, for the table state.
    pub fn selected_in_page(&self) -> Option<usize> {
        let i = self.selected.checked_sub(self.first)?;
        usize::try_from(i).ok().filter(|&i| i < self.rows.len())
    }

    /// The same position and size with no rows, to hand to the thread that reads the page.
    pub fn window<U>(&self) -> Paged<U> {
        Paged {
            rows: Vec::new(),
            total: self.total,
            selected: self.selected,
            offset: self.offset,
            view: self.view,
            first: self.first,
            filled: self.filled,
            restarted: self.restarted,
            ahead: 0,
        }
    }

    /// The id of the selected row, for a read to keep it selected; none right after a reset.
    pub fn kept(&self, key: impl Fn(&T) -> i64) -> Option<i64> {
        if self.restarted { None } else { self.current().map(key) }
    }

    /// This window's page as read, once the rows are in.
    pub fn loaded(self, rows: Vec<T>) -> Loaded<T> {
        Loaded { total: self.total, offset: self.offset, rows, follow: None }
    }

    /// Reads this window's page (on a store thread) so that the row `keep` stays selected:
    /// when rows were added or removed above it, it is looked for one view either side and the
    /// window moves with it. The selection follows the row, not its number.
    pub fn read_keeping(
        mut self,
        keep: Option<i64>,
        key: impl Fn(&T) -> i64,
        mut read: impl FnMut(Page) -> crate::model::Result<Vec<T>>,
    ) -> crate::model::Result<(Loaded<T>, Kept)> {
        let rows = read(self.page())?;
        let Some(id) = keep else { return Ok((self.loaded(rows), Kept::Stayed)) };
        let (asked_offset, asked_selected) = (self.offset, self.selected);
        if let Some(i) = rows.iter().position(|r| key(r) == id) {
            self.selected = self.offset + i as u64;
            return Ok((self.followed(rows, asked_offset, asked_selected), Kept::Stayed));
        }
        let view = u64::from(self.limit());
        let from = self.offset.saturating_sub(view);
        let limit = u32::try_from(3 * view).unwrap_or(u32::MAX);
        let mut around = read(Page::new(from, limit).of(self.total))?;
        let Some(i) = around.iter().position(|r| key(r) == id) else {
            return Ok((self.loaded(rows), Kept::Lost(id)));
        };
        self.select(from + i as u64);
        let skip = usize::try_from(self.offset - from).unwrap_or(usize::MAX).min(around.len());
        around.drain(..skip);
        around.truncate(usize::try_from(view).unwrap_or(usize::MAX));
        Ok((self.followed(around, asked_offset, asked_selected), Kept::Stayed))
    }

    fn followed(self, rows: Vec<T>, asked_offset: u64, asked_selected: u64) -> Loaded<T> {
        let follow = Follow { asked_offset, asked_selected, selected: self.selected };
        Loaded { total: self.total, offset: self.offset, rows, follow: Some(follow) }
    }

    /// Takes a page the store read. The total always counts; the rows only when the list still
    /// starts where the page does: false means the user scrolled meanwhile, so read again.
    pub fn fill(&mut self, page: Loaded<T>) -> bool {
        if let Some(f) = page.follow
            && (self.offset, self.selected) == (f.asked_offset, f.asked_selected)
        {
            self.total = page.total;
            self.offset = page.offset;
            self.selected = f.selected;
            self.rows = page.rows;
            self.first = page.offset;
            self.filled = true;
            self.restarted = false;
            return self.catch_up();
        }
        self.clamp(page.total);
        if self.offset != page.offset {
            return false;
        }
        self.rows = page.rows;
        self.first = page.offset;
        self.filled = true;
        self.restarted = false;
        self.catch_up()
    }

    /// Applies the moves typed while the first page was on its way; true while the page
    /// shown is still the one to show.
    fn catch_up(&mut self) -> bool {
        let ahead = std::mem::take(&mut self.ahead);
        ahead == 0 || !self.step(ahead)
    }

    /// Moves the selection by `delta` rows (clamped); returns true when the page must reload.
    /// Before the first page is in, the move waits for it: a desk that presses ↓ as the
    /// picker opens gets the second row, not a lost key.
    pub fn step(&mut self, delta: i64) -> bool {
        if !self.filled {
            self.ahead = self.ahead.saturating_add(delta);
            return false;
        }
        let last = self.total.saturating_sub(1);
        let target = self.selected.saturating_add_signed(delta).min(last);
        self.select(target)
    }

    /// Selects an absolute index and scrolls it into view; true when the page must reload.
    pub fn select(&mut self, index: u64) -> bool {
        self.selected = index.min(self.total.saturating_sub(1));
        let before = self.offset;
        let view = u64::from(self.view.max(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + view {
            self.offset = self.selected + 1 - view;
        }
        self.offset != before
    }

    /// Called with a fresh total before loading: keeps selection and scroll where they were,
    /// pulled back inside the list when it shrank.
    pub fn clamp(&mut self, total: u64) {
        self.total = total;
        let view = u64::from(self.view.max(1));
        self.selected = self.selected.min(total.saturating_sub(1));
        self.offset = self.offset.min(total.saturating_sub(view));
        if self.selected < self.offset || self.selected >= self.offset + view {
            self.offset = self.selected.saturating_sub(view - 1);
        }
    }

    /// Back to the top, e.g. after a filter changed.
    pub fn reset(&mut self) {
        self.selected = 0;
        self.offset = 0;
        self.restarted = true;
        self.ahead = 0;
    }

    /// The page size to ask the store for.
    pub fn limit(&self) -> u32 {
        u32::from(self.view.max(1))
    }

    /// The visible window as the store reads it; the known total lets it read pages near the
    /// end backwards, so `End` on a million rows is as quick as `Home`.
    pub fn page(&self) -> Page {
        Page::new(self.offset, self.limit()).of(self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(total: u64) -> Paged<u64> {
        Paged { total, view: 5, filled: true, ..Paged::default() }
    }

    #[test]
    fn a_page_read_for_an_old_position_is_not_shown_at_the_new_one() {
        let mut p = list(100);
        let window: Paged<u64> = p.window();
        p.select(20);
        assert!(!p.fill(window.loaded((0..5).collect())), "scrolled away meanwhile");
        assert_eq!(p.current(), None, "no stale row claims the selection");
        let window: Paged<u64> = p.window();
        assert!(p.fill(window.loaded((16..21).collect())));
        assert_eq!(p.current(), Some(&20));
        assert_eq!(p.selected_in_page(), Some(4));
    }

    #[test]
    fn moves_typed_before_the_first_page_count_when_it_arrives() {
        let mut p: Paged<u64> = Paged::with_view(5);
        assert!(!p.step(1), "nothing to read yet");
        assert!(!p.step(1));
        let window: Paged<u64> = p.window();
        let mut page = window.loaded((0..5).collect());
        page.total = 100;
        assert!(p.fill(page), "two rows down is still on the first page");
        assert_eq!(p.current(), Some(&2));
        // Past the first page: the list moves there and asks for it.
        let mut q: Paged<u64> = Paged::with_view(5);
        q.step(7);
        let window: Paged<u64> = q.window();
        let mut page = window.loaded((0..5).collect());
        page.total = 100;
        assert!(!q.fill(page), "the page holding row 7 must be read");
        assert_eq!((q.selected, q.offset), (7, 3));
    }

    #[test]
    fn moving_past_the_view_scrolls() {
        let mut p = list(100);
        assert!(!p.step(4));
        assert!(p.step(1));
        assert_eq!((p.selected, p.offset), (5, 1));
        assert!(p.step(1000));
        assert_eq!((p.selected, p.offset), (99, 95));
        assert!(p.step(-1000));
        assert_eq!((p.selected, p.offset), (0, 0));
    }

    #[test]
    fn clamp_keeps_position_unless_list_shrank() {
        let mut p = list(100);
        p.select(50);
        p.clamp(100);
        assert_eq!((p.selected, p.offset), (50, 46));
        p.clamp(10);
        assert_eq!((p.selected, p.offset), (9, 5));
        p.clamp(0);
        assert_eq!((p.selected, p.offset), (0, 0));
    }

    /// A list of ids 0.. with `added` new ids inserted at the top, read as the store would.
    fn reader(rows: Vec<u64>) -> impl FnMut(Page) -> crate::model::Result<Vec<u64>> {
        move |p: Page| {
            let from = usize::try_from(p.offset).unwrap_or(usize::MAX).min(rows.len());
            Ok(rows[from..].iter().take(p.limit as usize).copied().collect())
        }
    }

    #[test]
    fn the_selection_follows_its_row_out_of_the_page() {
        let mut p = list(100);
        p.select(4);
        assert_eq!(p.offset, 0);
        // Two rows added above: row 4 is now at position 6, past the page of five.
        let rows: Vec<u64> = [1000, 1001].into_iter().chain(0..100).collect();
        let mut window: Paged<u64> = p.window();
        window.clamp(102);
        let (page, kept) = window.read_keeping(Some(4), |r| *r as i64, reader(rows)).expect("read");
        assert_eq!(kept, Kept::Stayed);
        assert!(p.fill(page));
        assert_eq!(p.current(), Some(&4));
        assert_eq!((p.selected, p.offset), (6, 2));
        // Gone altogether: the selection stays at its place, on the neighbour, and says so.
        let rows: Vec<u64> = [1000, 1001].into_iter().chain((0..100).filter(|r| *r != 4)).collect();
        let window: Paged<u64> = p.window();
        let (page, kept) = window.read_keeping(Some(4), |r| *r as i64, reader(rows)).expect("read");
        assert_eq!(kept, Kept::Lost(4));
        assert!(p.fill(page));
        assert_eq!(p.current(), Some(&5), "the neighbour");
    }

    #[test]
    fn a_followed_page_does_not_undo_a_move_made_meanwhile() {
        let mut p = list(100);
        p.select(4);
        let rows: Vec<u64> = [1000, 1001].into_iter().chain(0..100).collect();
        let window: Paged<u64> = p.window();
        let (page, _) = window.read_keeping(Some(4), |r| *r as i64, reader(rows)).expect("read");
        p.select(3);
        assert!(!p.fill(page), "the desk moved: read again");
        assert_eq!(p.selected, 3);
    }
}
