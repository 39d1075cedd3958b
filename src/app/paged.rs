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
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged { rows: Vec::new(), total: 0, selected: 0, offset: 0, view: 10, first: 0, filled: false }
    }
}

/// One page as the store read it, for `Paged::fill`.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<T> {
    pub total: u64,
    pub offset: u64,
    pub rows: Vec<T>,
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
        }
    }

    /// This window's page as read, once the rows are in.
    pub fn loaded(self, rows: Vec<T>) -> Loaded<T> {
        Loaded { total: self.total, offset: self.offset, rows }
    }

    /// Takes a page the store read. The total always counts; the rows only when the list still
    /// starts where the page does: false means the user scrolled meanwhile, so read again.
    pub fn fill(&mut self, page: Loaded<T>) -> bool {
        self.clamp(page.total);
        if self.offset != page.offset {
            return false;
        }
        self.rows = page.rows;
        self.first = page.offset;
        self.filled = true;
        true
    }

    /// Moves the selection by `delta` rows (clamped); returns true when the page must reload.
    pub fn step(&mut self, delta: i64) -> bool {
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
        Paged { total, view: 5, ..Paged::default() }
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
}
