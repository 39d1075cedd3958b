//! The terminal edge: set the terminal up, turn its events into `Action`s, tick, draw, and put
//! the terminal back however the app ends (quit, error or panic).

use std::io::stdout;
use std::time::{Duration, Instant};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::layout::Rect;

use crate::app::layout::{self, Areas, DoorAreas};
use crate::app::{Action, App, Tab};
use crate::keymap::{self, Context};
use crate::model::{Clock, Session};
use crate::store::Store;
use crate::ui;

/// How often the clock moves and the store is asked whether another process wrote: well under
/// the half second within which other terminals' changes must show.
const TICK: Duration = Duration::from_millis(150);

/// Runs the app until the user quits. The terminal is restored on every way out.
pub fn run(store: Store, session: Option<Session>) -> anyhow::Result<()> {
    let clock = store.clock();
    install_panic_hook();
    // ratatui's init enters raw mode and the alternate screen and adds its own restoring hook.
    let mut terminal = ratatui::try_init()?;
    let _restore = Restore;
    execute!(stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    let size = terminal.size()?;
    let app = App::new(store, session, Rect::new(0, 0, size.width, size.height));
    event_loop(&mut terminal, app, clock)
}

/// How long quitting waits for a stopped export to remove its unfinished file (it stops at the
/// end of the page it is writing, well within this).
const EXPORT_WIND_DOWN: Duration = Duration::from_secs(2);

/// How often the loop looks for store answers while a call is out: well inside a frame.
const ANSWER_POLL: Duration = Duration::from_millis(5);

fn event_loop(terminal: &mut DefaultTerminal, mut app: App, clock: Clock) -> anyhow::Result<()> {
    let mut last_tick = Instant::now();
    app.update(Action::Tick(clock.now()));
    let mut dirty = true;
    while app.running {
        if dirty {
            terminal.draw(|frame| ui::render(frame, &app))?;
            dirty = false;
        }
        #[cfg(debug_assertions)]
        injected_panic();
        let mut timeout = TICK.saturating_sub(last_tick.elapsed());
        if app.busy() {
            timeout = timeout.min(ANSWER_POLL);
        }
        if event::poll(timeout)? {
            // Drain whatever is queued (fast typing, a paste, a wheel burst) before redrawing.
            while app.running && event::poll(Duration::ZERO)? {
                if let Some(action) = to_action(&app, event::read()?) {
                    app.update(action);
                }
            }
            dirty = true;
        }
        for answer in app.answers() {
            app.update(answer);
            dirty = true;
        }
        if last_tick.elapsed() >= TICK {
            app.update(Action::Tick(clock.now()));
            last_tick = Instant::now();
            dirty = true;
        }
    }
    app.wind_down(EXPORT_WIND_DOWN);
    // Returned, not printed: the terminal is restored before the caller prints the line.
    match app.stopped.take() {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// Debug builds only (the tests' profile, never a release): `EVENTDESK_TEST_PANIC=1` panics
/// after the first frame, so a test in a real terminal can prove the terminal is restored, the
/// message printed and nothing written when the app panics.
#[cfg(debug_assertions)]
fn injected_panic() {
    if std::env::var_os("EVENTDESK_TEST_PANIC").is_some_and(|v| v == "1") {
        panic!("injected test panic (EVENTDESK_TEST_PANIC=1)");
    }
}

/// Turns a terminal event into an action for the app's current mode.
pub fn to_action(app: &App, event: Event) -> Option<Action> {
    let ctx = Context::of(app);
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => keymap::action_for(ctx, key),
        Event::Paste(text) if ctx.is_typing() => Some(Action::Paste(text)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Mouse(mouse) => mouse_action(app, ctx, mouse),
        _ => None,
    }
}

/// Clicks select tabs and rows (in a picker a second click on a row chooses it) and press a
/// confirmation's buttons; the wheel moves the selection. Hit testing reads the same layout
/// the screen was drawn from.
fn mouse_action(app: &App, ctx: Context, mouse: MouseEvent) -> Option<Action> {
    let browsing = matches!(ctx, Context::Browse(_) | Context::Waitlist);
    let left_click = mouse.kind == MouseEventKind::Down(MouseButton::Left) && !layout::too_small(app.size);
    match mouse.kind {
        MouseEventKind::ScrollUp if browsing || ctx == Context::Picker => Some(Action::Up),
        MouseEventKind::ScrollDown if browsing || ctx == Context::Picker => Some(Action::Down),
        _ if left_click && ctx == Context::Picker => {
            layout::PickerAreas::new(app.size).row_at(mouse.column, mouse.row).map(Action::ClickRow)
        }
        _ if left_click && ctx == Context::Confirm => {
            let yes = layout::ConfirmAreas::new(app.size).button_at(mouse.column, mouse.row)?;
            Some(if yes { Action::Yes } else { Action::Cancel })
        }
        MouseEventKind::Down(MouseButton::Left) if browsing && !layout::too_small(app.size) => {
            let areas = Areas::new(app.size);
            if mouse.row == areas.tabs.y {
                return layout::tab_spans(areas.tabs)
                    .into_iter()
                    .find(|&(_, from, to)| (from..to).contains(&mouse.column))
                    .map(|(tab, _, _)| Action::GoTab(tab));
            }
            if ctx == Context::Browse(Tab::Door) {
                return DoorAreas::new(areas.body).row_at(mouse.column, mouse.row).map(Action::ClickRow);
            }
            areas.row_at(mouse.column, mouse.row).map(Action::ClickRow)
        }
        _ => None,
    }
}

/// Undoes what `ratatui::init` does not know about: mouse capture and bracketed paste.
fn leave_extras() {
    // Best effort: the terminal may already be gone.
    let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
}

/// Restores the terminal when `run` returns, normally or with an error. On a panic the hooks
/// do it instead, before the message is printed, so it is not drawn into the alternate screen.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            leave_extras();
            ratatui::restore();
        }
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave_extras();
        previous(info);
    }));
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::app::Mode;
    use crate::app::tests::fixture;

    fn click(column: u16, row: u16) -> Event {
        let kind = MouseEventKind::Down(MouseButton::Left);
        Event::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE })
    }

    #[test]
    fn clicks_pick_tabs_and_rows_and_the_wheel_moves() {
        let (f, store) = fixture::fixture();
        let app = fixture::app(store, &f.dana);
        let areas = Areas::new(app.size);
        let spans = layout::tab_spans(areas.tabs);
        let (tab, from, _) = spans[2];
        assert_eq!(tab, Tab::History);
        assert_eq!(to_action(&app, click(from + 1, areas.tabs.y)), Some(Action::GoTab(Tab::History)));
        assert_eq!(to_action(&app, click(areas.list.x + 3, areas.list.y + 2)), Some(Action::ClickRow(0)));
        assert_eq!(to_action(&app, click(areas.list.x + 3, areas.list.y)), None, "the border is no row");
        let wheel = Event::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 0,
            row: 0,
            modifiers: KeyModifiers::NONE,
        });
        assert_eq!(to_action(&app, wheel), Some(Action::Down));
    }

    #[test]
    fn clicks_choose_picker_rows_and_press_confirm_buttons() {
        let (f, store) = fixture::fixture();
        fixture::event(&store, &f.olga, "Rust Meetup", "2026-12-01 18:00", 5);
        let mut app = fixture::app(store, &f.dana);
        app.step(Action::GoTab(Tab::Bookings));
        app.step(Action::Book);
        assert!(matches!(app.mode, Mode::Picker(_)));
        let picker = layout::PickerAreas::new(app.size);
        let first = to_action(&app, click(picker.list.x + 4, picker.list.y));
        assert_eq!(first, Some(Action::ClickRow(0)));
        assert_eq!(to_action(&app, click(picker.list.x + 4, picker.search.y)), None, "the search line");
        assert_eq!(to_action(&app, click(0, 0)), None, "outside the popup");
        // A click on the row already selected chooses it, as Enter does: the attendee step.
        app.step(first.expect("a row"));
        let Mode::Picker(p) = &app.mode else { panic!("{:?}", app.mode) };
        assert!(matches!(p.list, crate::app::PickerList::Attendees { .. }));
        app.step(Action::Cancel);
        app.step(Action::GoTab(Tab::Events));
        app.step(Action::Logout);
        assert!(matches!(app.mode, Mode::Confirm(_)));
        let confirm = layout::ConfirmAreas::new(app.size);
        assert_eq!(to_action(&app, click(confirm.no.x + 1, confirm.no.y)), Some(Action::Cancel));
        assert_eq!(to_action(&app, click(confirm.message.x, confirm.message.y)), None, "the question");
        let yes = to_action(&app, click(confirm.yes.right() - 1, confirm.yes.y));
        assert_eq!(yes, Some(Action::Yes));
        app.step(yes.expect("yes"));
        assert!(matches!(app.mode, Mode::SignIn(_)), "the Yes button logged out");
    }

    #[test]
    fn paste_goes_to_fields_only_and_keys_follow_the_mode() {
        let (f, store) = fixture::fixture();
        let mut app = fixture::app(store, &f.olga);
        let paste = Event::Paste("a\nb".into());
        assert_eq!(to_action(&app, paste.clone()), None, "no field to paste into while browsing");
        app.update(Action::NewEvent);
        assert!(matches!(app.mode, Mode::Form(_)));
        assert_eq!(to_action(&app, paste), Some(Action::Paste("a\nb".into())));
        let q = Event::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
        assert_ne!(to_action(&app, q), Some(Action::Quit));
        assert_eq!(to_action(&app, Event::Resize(90, 30)), Some(Action::Resize(90, 30)));
    }
}
