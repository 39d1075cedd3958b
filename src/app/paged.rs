//! A window onto a long list: only the rows in view are loaded, the total comes from a count
//! that stops at `LIST_CAP` past the window, and the next page is read next to a row already
//! shown (keyset paging), so no key costs more at a million rows than at ten thousand.

use crate::model::{Attendee, BookingRow, Event, HistoryEntry, WaitlistEntry};
use crate::store::{Page, Seek};

/// A list's count stops this many rows past the first one loaded: the title then says
/// "1000+", and counting costs that many index entries however long the list is.
pub const LIST_CAP: u64 = 1_000;

/// A searched list's count stops sooner ("12 of 100+"): a count of matches reads every row
/// that does not match on the way, and a desk with that many matches types more to narrow.
pub const SEARCH_CAP: u64 = 100;

/// Pages read next to a loaded row skip at most this many views; a farther jump reads by
/// OFFSET from the top.
const SEEK_VIEWS: u64 = 4;

/// A row's id, which every list's order ends in: what a keyset page seeks from.
pub trait Keyed {
    fn key(&self) -> i64;
}

impl Keyed for Event {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for BookingRow {
    fn key(&self) -> i64 {
        self.booking.id
    }
}

impl Keyed for HistoryEntry {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for WaitlistEntry {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for Attendee {
    fn key(&self) -> i64 {
        self.id
    }
}

impl Keyed for u64 {
    fn key(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

/// The visible page of a list, its total, the selection and the scroll position.
/// Indexes are absolute positions in the whole (filtered) list, counted from its top, or from
/// its end after `End` on a list whose length was not counted (`from_end`); `rows` are always
/// in the list's order.
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
    /// The count stopped at its cap: `total` rows are known and more follow.
    pub more: bool,
    /// Positions count back from the last row (0 is the last): `End` on a list with `more`.
    pub from_end: bool,
    /// The ids of the loaded rows in position order, for the next read to seek from.
    ids: Vec<i64>,
    /// Where counts stop (`LIST_CAP`, `SEARCH_CAP` while searched; less in tests).
    cap: u64,
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
            more: false,
            from_end: false,
            ids: Vec::new(),
            cap: LIST_CAP,
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
    pub more: bool,
    /// The positions the page was read in (see `Paged::from_end`).
    pub from_end: bool,
}

impl<T> Loaded<T> {
    /// The row at position `selected`, as `Paged::current` will find it once the page is
    /// shown: counted from the end, position 0 is the page's last row.
    pub fn row(&self, selected: u64) -> Option<&T> {
        let i = usize::try_from(selected.checked_sub(self.offset)?).ok().filter(|&i| i < self.rows.len())?;
        self.rows.get(if self.from_end { self.rows.len() - 1 - i } else { i })
    }
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
        let i = usize::try_from(i).ok().filter(|&i| i < self.rows.len())?;
        Some(if self.from_end { self.rows.len() - 1 - i } else { i })
    }

    /// Where the selection is, for the list's title: "12 of 340", "12 of 1000+" when the
    /// count stopped at its cap, "last − 3 of 1000+" counted from the end.
    pub fn position(&self) -> String {
        if self.total == 0 {
            return "empty".to_string();
        }
        let of = if self.more { format!("{}+", self.total - 1) } else { self.total.to_string() };
        match (self.from_end, self.selected) {
            (false, n) => format!("{} of {of}", n + 1),
            (true, 0) => format!("last of {of}"),
            (true, n) => format!("last − {n} of {of}"),
        }
    }

    /// The id of the selected row, for a read to keep it selected; none right after a reset.
    pub fn kept(&self, key: impl Fn(&T) -> i64) -> Option<i64> {
        if self.restarted { None } else { self.current().map(key) }
    }

    /// This window's page as read, once the rows are in.
    pub fn loaded(self, rows: Vec<T>) -> Loaded<T> {
        Loaded {
            total: self.total,
            offset: self.offset,
            rows,
            follow: None,
            more: self.more,
            from_end: self.from_end,
        }
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
        let rows = self.read_at(self.offset, self.limit(), &mut read)?;
        let Some(id) = keep else { return Ok((self.loaded(rows), Kept::Stayed)) };
        let (asked_offset, asked_selected) = (self.offset, self.selected);
        if let Some(i) = self.position_in(&rows, |r| key(r) == id) {
            self.selected = self.offset + i;
            return Ok((self.followed(rows, asked_offset, asked_selected), Kept::Stayed));
        }
        let view = u64::from(self.limit());
        let from = self.offset.saturating_sub(view);
        let limit = u32::try_from(3 * view).unwrap_or(u32::MAX);
        let mut around = self.read_at(from, limit, &mut read)?;
        let Some(i) = self.position_in(&around, |r| key(r) == id) else {
            return Ok((self.loaded(rows), Kept::Lost(id)));
        };
        self.select(from + i);
        // The rows of the window: positions offset .. offset + view, in list order.
        let skip = usize::try_from(self.offset - from).unwrap_or(usize::MAX).min(around.len());
        let keep_rows = usize::try_from(view).unwrap_or(usize::MAX);
        if self.from_end {
            around.reverse();
        }
        around.drain(..skip);
        around.truncate(keep_rows);
        if self.from_end {
            around.reverse();
        }
        Ok((self.followed(around, asked_offset, asked_selected), Kept::Stayed))
    }

    /// The position (from the first of `rows`, in this list's positions) of the row `hit`.
    fn position_in(&self, rows: &[T], hit: impl Fn(&T) -> bool) -> Option<u64> {
        let i = rows.iter().position(hit)?;
        Some(if self.from_end { rows.len() - 1 - i } else { i } as u64)
    }

    /// Reads `limit` rows from position `offset`: next to a loaded row when there is one near,
    /// else by offset. A seek whose row has gone (it cannot, as nothing is hard-deleted, but
    /// a read must not come back empty for it) reads again by offset.
    fn read_at(
        &self,
        offset: u64,
        limit: u32,
        read: &mut impl FnMut(Page) -> crate::model::Result<Vec<T>>,
    ) -> crate::model::Result<Vec<T>> {
        let page = self.page_at(offset, limit);
        let rows = read(page)?;
        if rows.is_empty() && page.seek.is_some() && offset < self.total {
            return read(Page { seek: None, ..page });
        }
        Ok(rows)
    }

    fn followed(self, rows: Vec<T>, asked_offset: u64, asked_selected: u64) -> Loaded<T> {
        let follow = Follow { asked_offset, asked_selected, selected: self.selected };
        Loaded {
            total: self.total,
            offset: self.offset,
            rows,
            follow: Some(follow),
            more: self.more,
            from_end: self.from_end,
        }
    }

    /// Takes a page the store read. The total always counts; the rows only when the list still
    /// starts where the page does: false means the user scrolled meanwhile, so read again.
    pub fn fill(&mut self, page: Loaded<T>) -> bool {
        if page.from_end != self.from_end {
            return false;
        }
        if let Some(f) = page.follow
            && (self.offset, self.selected) == (f.asked_offset, f.asked_selected)
        {
            self.total = page.total;
            self.more = page.more;
            self.offset = page.offset;
            self.selected = f.selected;
            self.rows = page.rows;
            self.first = page.offset;
            self.filled = true;
            self.restarted = false;
            return self.catch_up();
        }
        self.more = page.more;
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

    /// Moves the selection by `delta` rows down the screen (clamped); returns true when the
    /// page must reload. Counted from the end, down the screen is towards position 0. Before
    /// the first page is in, the move waits for it: a desk that presses ↓ as the picker opens
    /// gets the second row, not a lost key.
    pub fn step(&mut self, delta: i64) -> bool {
        if !self.filled {
            self.ahead = self.ahead.saturating_add(delta);
            return false;
        }
        let delta = if self.from_end { -delta } else { delta };
        let last = self.total.saturating_sub(1);
        let target = self.selected.saturating_add_signed(delta).min(last);
        self.select(target)
    }

    /// Selects a position and scrolls it into view; true when the page must reload.
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

    /// The first row (`Home`); true when the page must reload.
    pub fn home(&mut self) -> bool {
        if self.from_end {
            self.turn(false);
            return true;
        }
        self.select(0)
    }

    /// The last row (`End`): when the list was not counted to its end, positions count from
    /// there from now on. True when the page must reload.
    pub fn end(&mut self) -> bool {
        if !self.more {
            return self.select(self.total.saturating_sub(1));
        }
        let moved = !self.from_end || self.selected != 0 || self.offset != 0;
        if !self.from_end {
            self.turn(true);
        }
        self.select(0);
        moved
    }

    /// The `n`-th visible row (a click); true when the page must reload.
    pub fn click(&mut self, n: u16) -> bool {
        let n = u64::from(n);
        if !self.from_end {
            return self.select(self.offset + n);
        }
        let shown = u64::try_from(self.rows.len()).unwrap_or(0);
        match shown.checked_sub(1 + n) {
            Some(up) => self.select(self.first + up),
            None => false,
        }
    }

    /// Starts counting positions from the other end, at that end.
    fn turn(&mut self, from_end: bool) {
        self.from_end = from_end;
        self.selected = 0;
        self.offset = 0;
        self.first = 0;
        self.rows.clear();
        self.ids.clear();
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

    /// Counts to `SEARCH_CAP` rather than `LIST_CAP` while the list is searched.
    pub fn searched(&mut self, search: &str) -> &mut Self {
        self.cap = if search.trim().is_empty() { LIST_CAP } else { SEARCH_CAP };
        self
    }

    /// Counts the list again (on a store thread) when `recount` asks, or when the selection
    /// comes near the end of what was counted: up to `LIST_CAP` rows on from the first row
    /// loaded, by `count(page, cap)` (at most `cap + 1`) for a page that seeks from that row.
    pub fn count(
        &mut self,
        recount: bool,
        count: impl FnOnce(Page, u64) -> crate::model::Result<u64>,
    ) -> crate::model::Result<()> {
        let view = u64::from(self.view.max(1));
        let near_the_end = self.more && self.offset + 2 * view >= self.total;
        if !(recount || near_the_end) {
            return Ok(());
        }
        let (from, page) = match self.ids.first() {
            Some(&id) if self.first > 0 => (self.first, Page::new(0, 0).seeking(Seek::From(id))),
            _ => (0, Page::new(0, 0)),
        };
        let page = if self.from_end { page.from_end() } else { page };
        let n = count(page, self.cap)?;
        self.more = n > self.cap;
        self.clamp(from + n);
        Ok(())
    }

    /// Back to the top, e.g. after a filter changed.
    pub fn reset(&mut self) {
        if self.from_end {
            self.turn(false);
        }
        self.selected = 0;
        self.offset = 0;
        self.restarted = true;
        self.ahead = 0;
    }

    /// Whether the rows shown are the answer to the list as it now stands: not before the
    /// first page is in, nor after a new search or filter until its page is.
    pub fn settled(&self) -> bool {
        self.filled && !self.restarted
    }

    /// The page size to ask the store for.
    pub fn limit(&self) -> u32 {
        u32::from(self.view.max(1))
    }

    /// The visible window as the store reads it: next to a loaded row when there is one near
    /// (keyset), from whichever end is nearer when the total is exact, so neither `End` nor a
    /// page a million rows deep costs more than `Home`.
    pub fn page(&self) -> Page {
        self.page_at(self.offset, self.limit())
    }

    fn page_at(&self, offset: u64, limit: u32) -> Page {
        let plain = Page::new(offset, limit);
        let plain = if self.from_end {
            plain.from_end()
        } else if self.more {
            plain
        } else {
            plain.of(self.total)
        };
        if offset == 0 {
            return plain;
        }
        match self.seek_for(offset, u64::from(limit)) {
            Some((seek, skip)) => Page { offset: skip, seek: Some(seek), total: None, ..plain },
            None => plain,
        }
    }

    /// A loaded row to read `n` rows at position `o` from, and how many rows to skip after it.
    fn seek_for(&self, o: u64, n: u64) -> Option<(Seek, u64)> {
        let len = u64::try_from(self.ids.len()).ok().filter(|&l| l > 0)?;
        let (first, last) = (self.first, self.first + len - 1);
        let id = |position: u64| self.ids.get(usize::try_from(position - first).ok()?).copied();
        let near = SEEK_VIEWS * n.max(1);
        if (first..=last).contains(&o) {
            return Some((Seek::From(id(o)?), 0));
        }
        if o > last && o - last <= near {
            return Some((Seek::From(id(last)?), o - last));
        }
        if o < first && o + n >= first && o + n <= last {
            return Some((Seek::Before(id(o + n)?), 0));
        }
        if o + n < first && first - (o + n) <= near {
            return Some((Seek::Before(id(first)?), first - (o + n)));
        }
        None
    }
}

impl<T: Keyed> Paged<T> {
    /// The same position and size with no rows, to hand to the thread that reads the page; it
    /// keeps the loaded rows' ids to seek from, unless the list restarted (another filter: the
    /// old rows say nothing about the new list).
    pub fn window<U>(&self) -> Paged<U> {
        let shown = if self.restarted { &[][..] } else { &self.rows[..] };
        let mut ids: Vec<i64> = shown.iter().map(Keyed::key).collect();
        if self.from_end {
            ids.reverse();
        }
        Paged {
            rows: Vec::new(),
            total: self.total,
            selected: self.selected,
            offset: self.offset,
            view: self.view,
            first: self.first,
            filled: self.filled,
            restarted: self.restarted,
            more: self.more,
            from_end: self.from_end,
            ids,
            cap: self.cap,
            ahead: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(total: u64) -> Paged<u64> {
        Paged { total, view: 5, filled: true, cap: 50, ..Paged::default() }
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

    /// Reads `rows` (ids in list order) as the store would: by offset, from either end, and
    /// next to a row by id.
    fn reader(rows: Vec<u64>) -> impl FnMut(Page) -> crate::model::Result<Vec<u64>> {
        move |p: Page| {
            let mut list = rows.clone();
            if p.from_end {
                list.reverse();
            }
            let at = |id: i64| list.iter().position(|r| r.key() == id).unwrap_or(list.len());
            let (offset, limit) = (p.offset as usize, p.limit as usize);
            let (start, end) = match p.seek {
                None => (offset, offset + limit),
                Some(Seek::From(id)) => (at(id) + offset, at(id) + offset + limit),
                Some(Seek::Before(id)) => {
                    let end = at(id).saturating_sub(offset);
                    (end.saturating_sub(limit), end)
                }
            };
            let mut page: Vec<u64> = list[start.min(list.len())..end.min(list.len())].to_vec();
            if p.from_end {
                page.reverse();
            }
            Ok(page)
        }
    }

    /// Reads the window as the app does and fills it in.
    fn load(p: &mut Paged<u64>, rows: &[u64]) {
        let mut window: Paged<u64> = p.window();
        let counted = rows.len() as u64;
        window
            .count(true, |page, cap| {
                // As the store counts: from the seek row (or the top, or the end) on, capped.
                let from = match page.seek {
                    Some(Seek::From(id)) => {
                        let mut list = rows.to_vec();
                        if page.from_end {
                            list.reverse();
                        }
                        list.iter().position(|r| r.key() == id).unwrap_or(list.len()) as u64
                    }
                    _ => 0,
                };
                Ok((counted - from).min(cap + 1))
            })
            .expect("count");
        let (page, _) = window.read_keeping(None, |r| *r as i64, reader(rows.to_vec())).expect("read");
        assert!(p.fill(page));
    }

    /// What the screen shows, top to bottom, and the selected row.
    fn shown(p: &Paged<u64>) -> (Vec<u64>, Option<u64>) {
        (p.rows.clone(), p.current().copied())
    }

    #[test]
    fn paging_through_a_capped_list_seeks_and_matches_reading_by_offset() {
        let rows: Vec<u64> = (100..400).collect();
        let mut p = list(0);
        // Counts stop at 51: "50+", as LIST_CAP does at a larger size.
        load(&mut p, &rows);
        assert!(p.more);
        assert_eq!(p.position(), "1 of 50+");
        let mut expected = 0;
        for step in [5, 5, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, -5, -1, -5, 3] {
            let reload = p.step(step);
            expected = (expected as i64 + step) as usize;
            if reload {
                let page = p.window::<u64>().page();
                assert!(page.seek.is_some(), "a page next to the one shown seeks: {page:?}");
                load(&mut p, &rows);
            }
            assert_eq!(p.current(), Some(&rows[expected]), "after {step}");
            let top = p.offset as usize;
            assert_eq!(p.rows, rows[top..top + 5].to_vec(), "the window at {top}");
        }
        assert!(p.total > 51, "the count grew as the selection neared its end: {}", p.total);
    }

    /// The row a store thread reads the detail of (`Loaded::row`) is the one the list shows
    /// selected once the page is in, from either end; at the end of an uncounted list it was
    /// the page's top row, so every End read one detail for nothing and asked again.
    #[test]
    fn a_read_page_names_the_row_the_list_will_select() {
        let rows: Vec<u64> = (100..400).collect();
        let mut p = list(0);
        load(&mut p, &rows);
        for moves in ["down two", "end", "up one"] {
            let reload = match moves {
                "down two" => p.step(2),
                "end" => p.end(),
                _ => p.step(-1),
            };
            if reload {
                load(&mut p, &rows);
            }
            let window: Paged<u64> = p.window();
            let selected = window.selected;
            let (page, _) = window.read_keeping(None, |r| *r as i64, reader(rows.to_vec())).expect("read");
            let named = page.row(selected).copied();
            assert!(p.fill(page));
            assert_eq!(named, p.current().copied(), "after {moves}");
            assert!(named.is_some());
        }
        assert_eq!(p.current(), Some(&398), "one up from the last");
    }

    #[test]
    fn end_of_an_uncounted_list_counts_back_from_the_last_row() {
        let rows: Vec<u64> = (100..400).collect();
        let mut p = list(0);
        load(&mut p, &rows);
        assert!(p.end());
        load(&mut p, &rows);
        assert_eq!(shown(&p), (rows[295..].to_vec(), Some(399)));
        assert_eq!(p.position(), "last of 50+");
        assert!(!p.step(-4), "up the screen, inside the page");
        assert_eq!(p.current(), Some(&395));
        assert!(p.step(-1));
        assert!(p.window::<u64>().page().seek.is_some());
        load(&mut p, &rows);
        assert_eq!(shown(&p), (rows[294..299].to_vec(), Some(394)));
        assert_eq!(p.position(), "last − 5 of 50+");
        for _ in 0..12 {
            p.step(-5);
            load(&mut p, &rows);
        }
        assert_eq!(p.current(), Some(&334));
        let top = p.rows[0] as usize - 100;
        assert_eq!(p.rows, rows[top..top + 5].to_vec());
        if p.step(1) {
            load(&mut p, &rows);
        }
        assert_eq!(p.current(), Some(&335), "down the screen, towards the end");
        assert!(!p.click(0), "on screen already");
        assert_eq!(p.current(), Some(&rows[top]), "a click on the top row");
        assert!(p.home());
        load(&mut p, &rows);
        assert_eq!(shown(&p), (rows[..5].to_vec(), Some(100)));
        assert_eq!(p.position(), "1 of 50+");
    }

    #[test]
    fn a_searched_list_counts_to_the_search_cap() {
        let mut p: Paged<u64> = Paged::with_view(5);
        let mut asked = 0;
        p.searched("ana")
            .count(true, |_, cap| {
                asked = cap;
                Ok(cap + 1)
            })
            .expect("count");
        assert_eq!((asked, p.more, p.position()), (SEARCH_CAP, true, format!("1 of {SEARCH_CAP}+")));
        p.searched(" ")
            .count(true, |_, cap| {
                asked = cap;
                Ok(3)
            })
            .expect("count");
        assert_eq!((asked, p.more, p.total), (LIST_CAP, false, 3));
    }

    #[test]
    fn a_short_list_keeps_its_exact_total_and_end_reads_from_its_end() {
        let rows: Vec<u64> = (0..40).collect();
        let mut p = list(0);
        load(&mut p, &rows);
        assert!(!p.more);
        assert!(p.end());
        assert!(!p.from_end, "an exact total needs no turning round");
        assert_eq!(p.page().total, Some(40));
        load(&mut p, &rows);
        assert_eq!(shown(&p), (rows[35..].to_vec(), Some(39)));
        assert_eq!(p.position(), "40 of 40");
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
