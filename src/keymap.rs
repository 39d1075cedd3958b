//! Keys as data: (context, key) → `Action`. The footer and the `?` overlay are drawn from these
//! same tables, so a hint can never name a key the handler does not know.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use crate::app::{Action, App, Mode, Tab};

/// Which key table applies: the top layer of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    SignIn,
    /// The main screen with no popup; `Browse(Tab::Door)` is the door, where letters type.
    Browse(Tab),
    /// The Bookings tab while it shows the waiting list.
    Waitlist,
    Search,
    Form,
    Picker,
    Confirm,
    Help,
}

impl Context {
    pub fn of(app: &App) -> Context {
        match &app.mode {
            Mode::SignIn(_) => Context::SignIn,
            Mode::Browse => Context::browsing(app),
            Mode::Search => Context::Search,
            Mode::Form(_) => Context::Form,
            Mode::Picker(_) => Context::Picker,
            Mode::Confirm(_) => Context::Confirm,
            Mode::Help => Context::Help,
        }
    }

    /// The main screen's context under any popup: the tab, or the Bookings tab's waiting view.
    pub fn browsing(app: &App) -> Context {
        if app.tab == Tab::Bookings && app.bookings.waiting {
            Context::Waitlist
        } else {
            Context::Browse(app.tab)
        }
    }

    /// Contexts where printable keys type text instead of being commands.
    pub fn is_typing(self) -> bool {
        matches!(
            self,
            Context::SignIn | Context::Search | Context::Form | Context::Picker | Context::Browse(Tab::Door)
        )
    }
}

/// One key binding: the key, what it does, and whether the footer shows it.
#[derive(Debug, Clone)]
pub struct Binding {
    pub key: KeyCode,
    pub ctrl: bool,
    pub desc: &'static str,
    pub action: Action,
    pub footer: bool,
}

const fn key(key: KeyCode, desc: &'static str, action: Action) -> Binding {
    Binding { key, ctrl: false, desc, action, footer: true }
}

/// A binding listed in the help overlay but not in the footer (alternatives, rarer keys).
const fn more(key: KeyCode, desc: &'static str, action: Action) -> Binding {
    Binding { key, ctrl: false, desc, action, footer: false }
}

const fn ctrl(c: char, desc: &'static str, action: Action) -> Binding {
    Binding { key: KeyCode::Char(c), ctrl: true, desc, action, footer: true }
}

use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, PageDown, PageUp, Up};

const BROWSE: &[Binding] = &[
    key(Char('q'), "quit", Action::Quit),
    key(Char('?'), "help", Action::Help),
    key(KeyCode::Tab, "next tab", Action::NextTab),
    more(BackTab, "previous tab", Action::PrevTab),
    more(Char('1'), "Events tab", Action::GoTab(Tab::Events)),
    more(Char('2'), "Bookings tab", Action::GoTab(Tab::Bookings)),
    more(Char('3'), "History tab", Action::GoTab(Tab::History)),
    more(Char('4'), "Door tab", Action::GoTab(Tab::Door)),
    more(Up, "move up", Action::Up),
    more(Down, "move down", Action::Down),
    more(Char('k'), "move up", Action::Up),
    more(Char('j'), "move down", Action::Down),
    more(PageUp, "page up", Action::PageUp),
    more(PageDown, "page down", Action::PageDown),
    more(Home, "first row", Action::Home),
    more(End, "last row", Action::End),
    more(Char('x'), "clear filters", Action::ClearFilters),
    key(Char('E'), "export CSV", Action::Export),
    more(Char('L'), "log out", Action::Logout),
    more(Esc, "give up a waiting change", Action::Cancel),
    ctrl('c', "quit", Action::Quit),
];

const EVENTS: &[Binding] = &[
    key(Char('/'), "search", Action::Search),
    key(Char('f'), "filter", Action::CycleFilter),
    key(Char('b'), "book", Action::Book),
    key(Char('n'), "new", Action::NewEvent),
    key(Char('e'), "edit", Action::EditEvent),
    key(Char('d'), "delete", Action::DeleteEvent),
    more(Char('D'), "door: check people in", Action::OpenDoor),
    more(Enter, "show its bookings", Action::ShowBookings),
    more(Char('h'), "history of this event", Action::HistoryAbout),
];

const BOOKINGS: &[Binding] = &[
    key(Char('/'), "search", Action::Search),
    key(Char('b'), "book", Action::Book),
    key(Char('c'), "cancel", Action::CancelBooking),
    key(Char('r'), "rebook", Action::Rebook),
    key(Char('f'), "status", Action::CycleFilter),
    more(Char('e'), "only this event", Action::FilterEvent),
    more(Char('a'), "only this attendee", Action::FilterAttendee),
    more(Char('h'), "history of this attendee", Action::HistoryAbout),
];

/// The Bookings tab's waiting view: `c` takes the selected entry off its list.
const WAITLIST: &[Binding] = &[
    key(Char('/'), "search", Action::Search),
    key(Char('b'), "book", Action::Book),
    key(Char('c'), "remove from list", Action::CancelBooking),
    key(Char('f'), "status", Action::CycleFilter),
    more(Char('e'), "only this event", Action::FilterEvent),
    more(Char('a'), "only this attendee", Action::FilterAttendee),
    more(Char('h'), "history of this attendee", Action::HistoryAbout),
];

/// The door: letters go into the search, so commands are Enter, arrows and Ctrl keys.
const DOOR: &[Binding] = &[
    key(Enter, "check in", Action::Submit),
    more(Up, "move up", Action::Up),
    more(Down, "move down", Action::Down),
    more(PageUp, "page up", Action::PageUp),
    more(PageDown, "page down", Action::PageDown),
    ctrl('z', "undo check-in", Action::UndoCheckIn),
    more(Esc, "clear the search", Action::Cancel),
    key(KeyCode::Tab, "next tab", Action::NextTab),
    more(BackTab, "previous tab", Action::PrevTab),
    key(Char('?'), "help", Action::Help),
    ctrl('c', "quit", Action::Quit),
];

const HISTORY: &[Binding] =
    &[key(Char('f'), "filter", Action::CycleFilter), key(Char('x'), "clear filter", Action::ClearFilters)];

const SIGN_IN: &[Binding] = &[
    key(Enter, "submit", Action::Submit),
    key(KeyCode::Tab, "next field", Action::NextField),
    more(BackTab, "previous field", Action::PrevField),
    ctrl('r', "register / sign in", Action::ToggleRegister),
    key(Esc, "back / quit", Action::Cancel),
    // Esc quits here too; the hint would not fit beside the others at 80 columns.
    Binding { key: KeyCode::Char('c'), ctrl: true, desc: "quit", action: Action::Quit, footer: false },
];

const SEARCH: &[Binding] = &[
    key(Enter, "keep", Action::Submit),
    key(Esc, "clear", Action::Cancel),
    more(Up, "move up", Action::Up),
    more(Down, "move down", Action::Down),
    ctrl('c', "quit", Action::Quit),
];

const FORM: &[Binding] = &[
    key(Enter, "submit", Action::Submit),
    key(KeyCode::Tab, "next field", Action::NextField),
    more(BackTab, "previous field", Action::PrevField),
    key(Esc, "cancel", Action::Cancel),
    ctrl('c', "quit", Action::Quit),
];

const PICKER: &[Binding] = &[
    key(Enter, "choose", Action::Submit),
    key(Up, "up", Action::Up),
    key(Down, "down", Action::Down),
    more(PageUp, "page up", Action::PageUp),
    more(PageDown, "page down", Action::PageDown),
    ctrl('n', "new attendee", Action::NewAttendee),
    key(Esc, "cancel", Action::Cancel),
    ctrl('c', "quit", Action::Quit),
];

const CONFIRM: &[Binding] = &[
    key(Char('y'), "yes", Action::Yes),
    more(Enter, "yes", Action::Yes),
    key(Char('n'), "no", Action::Cancel),
    more(Esc, "no", Action::Cancel),
    ctrl('c', "quit", Action::Quit),
];

const HELP: &[Binding] = &[key(Esc, "close", Action::Cancel), key(Char('?'), "close", Action::Help)];

/// Every binding of a context, in the order lookup tries them (first match wins).
pub fn bindings(ctx: Context) -> Vec<&'static Binding> {
    let tables: &[&'static [Binding]] = match ctx {
        Context::Browse(Tab::Events) => &[EVENTS, BROWSE],
        Context::Browse(Tab::Bookings) => &[BOOKINGS, BROWSE],
        Context::Browse(Tab::History) => &[HISTORY, BROWSE],
        Context::Browse(Tab::Door) => &[DOOR],
        Context::Waitlist => &[WAITLIST, BROWSE],
        Context::SignIn => &[SIGN_IN],
        Context::Search => &[SEARCH],
        Context::Form => &[FORM],
        Context::Picker => &[PICKER],
        Context::Confirm => &[CONFIRM],
        Context::Help => &[HELP],
    };
    tables.iter().flat_map(|t| t.iter()).collect()
}

/// The bindings the footer shows right now, when it has room for all of them.
pub fn footer(ctx: Context) -> Vec<&'static Binding> {
    bindings(ctx).into_iter().filter(|b| b.footer).collect()
}

/// Columns one footer hint takes: ` key ` then ` desc `.
pub fn hint_width(b: &Binding) -> usize {
    use unicode_width::UnicodeWidthStr;
    key_label(b).width() + b.desc.width() + 4
}

/// The footer hints that fit in `width` columns, in table order. When some do not fit, the
/// help key stays (the `?` overlay lists every key) and the others fill what is left.
pub fn footer_fitting(ctx: Context, width: u16) -> Vec<&'static Binding> {
    let all = footer(ctx);
    let width = usize::from(width);
    if all.iter().map(|b| hint_width(b)).sum::<usize>() <= width {
        return all;
    }
    let help = all.iter().find(|b| b.action == Action::Help).copied();
    let mut room = width.saturating_sub(help.map_or(0, hint_width));
    let mut shown = Vec::new();
    for b in all {
        if help.is_some_and(|h| std::ptr::eq(h, b)) {
            shown.push(b);
            continue;
        }
        if hint_width(b) <= room {
            room -= hint_width(b);
            shown.push(b);
        } else {
            // Later hints are less used; one that fits after a gap would read out of order.
            room = 0;
        }
    }
    shown
}

fn matches(b: &Binding, key: &KeyEvent) -> bool {
    b.key == key.code && b.ctrl == key.modifiers.contains(KeyModifiers::CONTROL)
}

/// The action for a key press in a context. In typing contexts an unbound key edits the text.
pub fn action_for(ctx: Context, key: KeyEvent) -> Option<Action> {
    if let Some(b) = bindings(ctx).into_iter().find(|b| matches(b, &key)) {
        return Some(b.action.clone());
    }
    if ctx == Context::Help {
        return Some(Action::Cancel);
    }
    if !ctx.is_typing() {
        return None;
    }
    tui_input::backend::crossterm::to_input_request(&Event::Key(key)).map(Action::Edit)
}

/// How a key is written in hints.
pub fn key_label(b: &Binding) -> String {
    let name = match b.key {
        Char(' ') => "Space".to_string(),
        Char(c) => c.to_string(),
        Enter => "Enter".into(),
        Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        BackTab => "Shift-Tab".into(),
        Up => "↑".into(),
        Down => "↓".into(),
        PageUp => "PgUp".into(),
        PageDown => "PgDn".into(),
        Home => "Home".into(),
        End => "End".into(),
        other => format!("{other:?}"),
    };
    if b.ctrl { format!("Ctrl-{}", name.to_uppercase()) } else { name }
}

/// A key event for a binding, as the terminal would send it (used by tests and the help check).
pub fn event_for(b: &Binding) -> KeyEvent {
    let modifiers = if b.ctrl { KeyModifiers::CONTROL } else { KeyModifiers::NONE };
    KeyEvent::new(b.key, modifiers)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Context; 11] = [
        Context::SignIn,
        Context::Browse(Tab::Events),
        Context::Browse(Tab::Bookings),
        Context::Browse(Tab::History),
        Context::Browse(Tab::Door),
        Context::Waitlist,
        Context::Search,
        Context::Form,
        Context::Picker,
        Context::Confirm,
        Context::Help,
    ];

    #[test]
    fn every_hint_resolves_to_its_action() {
        for ctx in ALL {
            for b in bindings(ctx) {
                let got = action_for(ctx, event_for(b));
                assert_eq!(got.as_ref(), Some(&b.action), "{ctx:?}: {} is shadowed", key_label(b));
            }
            assert!(!footer(ctx).is_empty(), "{ctx:?} has no footer hints");
        }
    }

    #[test]
    fn the_footer_fits_80_columns_and_keeps_the_help_key() {
        for ctx in ALL {
            let shown = footer_fitting(ctx, 80);
            let width: usize = shown.iter().map(|b| hint_width(b)).sum();
            assert!(width <= 80, "{ctx:?}: {width} columns");
            assert!(!shown.is_empty(), "{ctx:?}");
            let dropped = footer(ctx).len() - shown.len();
            if ctx.is_typing() {
                // `?` types there, so nothing may be left out.
                assert_eq!(dropped, 0, "{ctx:?}: a typing screen's hints all fit");
            } else if dropped > 0 {
                assert!(
                    shown.iter().any(|b| b.action == Action::Help),
                    "{ctx:?}: what does not fit is behind ?"
                );
            }
            assert_eq!(footer_fitting(ctx, 400).len(), footer(ctx).len(), "{ctx:?}: all fit when wide");
        }
        let events: Vec<&str> =
            footer_fitting(Context::Browse(Tab::Events), 80).iter().map(|b| b.desc).collect();
        assert_eq!(events, ["search", "filter", "book", "new", "edit", "delete", "quit", "help"]);
    }

    #[test]
    fn q_types_in_fields_but_quits_when_browsing() {
        let q = KeyEvent::new(Char('q'), KeyModifiers::NONE);
        for ctx in
            [Context::SignIn, Context::Form, Context::Search, Context::Picker, Context::Browse(Tab::Door)]
        {
            assert_eq!(action_for(ctx, q), Some(Action::Edit(tui_input::InputRequest::InsertChar('q'))));
        }
        assert_eq!(action_for(Context::Browse(Tab::Events), q), Some(Action::Quit));
        let ctrl_c = KeyEvent::new(Char('c'), KeyModifiers::CONTROL);
        assert!(
            ALL.iter().filter(|c| **c != Context::Help).all(|&c| action_for(c, ctrl_c) == Some(Action::Quit))
        );
    }

    #[test]
    fn every_browse_context_switches_tabs_and_navigates() {
        for ctx in Tab::ALL.map(Context::Browse).into_iter().chain([Context::Waitlist]) {
            let has = |a: Action| bindings(ctx).iter().any(|b| b.action == a);
            for a in
                [Action::NextTab, Action::PrevTab, Action::Up, Action::Down, Action::PageDown, Action::Help]
            {
                assert!(has(a.clone()), "{ctx:?} lacks {a:?}");
            }
            // At the door Home and End move the search's cursor instead.
            if ctx != Context::Browse(Tab::Door) {
                assert!(has(Action::Home), "{ctx:?} lacks Home");
            }
        }
    }

    /// At the door letters and digits search; Enter checks in; Ctrl-Z undoes; `?` is help
    /// (no name or email holds one).
    #[test]
    fn the_door_types_letters_and_checks_in_on_enter() {
        let door = Context::Browse(Tab::Door);
        let press = |code, modifiers| action_for(door, KeyEvent::new(code, modifiers));
        for c in ['a', 'q', 'D', '4', '@', '.'] {
            assert_eq!(
                press(Char(c), KeyModifiers::NONE),
                Some(Action::Edit(tui_input::InputRequest::InsertChar(c)))
            );
        }
        assert_eq!(press(Enter, KeyModifiers::NONE), Some(Action::Submit));
        assert_eq!(press(Char('z'), KeyModifiers::CONTROL), Some(Action::UndoCheckIn));
        assert_eq!(press(Char('?'), KeyModifiers::NONE), Some(Action::Help));
        assert_eq!(press(Home, KeyModifiers::NONE), Some(Action::Edit(tui_input::InputRequest::GoToStart)));
        assert_eq!(press(Esc, KeyModifiers::NONE), Some(Action::Cancel));
        let d = KeyEvent::new(Char('D'), KeyModifiers::SHIFT);
        assert_eq!(
            action_for(Context::Browse(Tab::Events), d),
            Some(Action::OpenDoor),
            "Shift-D opens the door"
        );
    }

    #[test]
    fn labels() {
        assert_eq!(key_label(&ctrl('n', "", Action::NewAttendee)), "Ctrl-N");
        assert_eq!(key_label(&key(BackTab, "", Action::PrevField)), "Shift-Tab");
    }
}

#[cfg(test)]
mod doc_tests {
    use super::*;

    /// The README lists keys for people; every key of every browse tab must be in it.
    #[test]
    fn the_documented_key_table_names_every_browse_key() {
        let doc = include_str!("../README.md");
        for tab in Tab::ALL {
            for b in bindings(Context::Browse(tab)) {
                let label = format!("`{}`", key_label(b));
                assert!(doc.contains(&label), "README.md does not mention {label} ({})", b.desc);
            }
        }
        for ctx in [Context::Form, Context::Picker, Context::Confirm, Context::SignIn] {
            for b in footer(ctx) {
                assert!(doc.contains(&format!("`{}`", key_label(b))), "{ctx:?}: {}", key_label(b));
            }
        }
    }
}
