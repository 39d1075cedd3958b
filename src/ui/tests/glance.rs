//! Capacity at a glance: the Events table at 80, 120 and 200 columns, the organizer's opening
//! screen with its summary and sparkline, the help overlay and footer at 80×24, confirm
//! buttons, the register form's role choice and an export under way.

use chrono::Duration;

use super::{draw, text};
use crate::app::tests::fixture::{self, Fixture, type_text};
use crate::app::{Action, App, Tab};
use crate::model::{Clock, NewAttendee};
use crate::store::Store;

fn snap_sizes(name: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_80x24"), text(&draw(app, 80, 24)));
    insta::assert_snapshot!(format!("{name}_120x40"), text(&draw(app, 120, 40)));
}

/// Events of every fill level, one with a title far longer than any column, and bookings
/// made over several days (so the sparkline has a shape).
fn glance(organizer: bool) -> (Fixture, App) {
    let (f, store) = fixture::fixture();
    let long = fixture::event(
        &store,
        &f.olga,
        "Climate Tech Breakfast: founders, funders and the people who will build the grid of 2040",
        "2026-06-20 08:00",
        10,
    );
    let tonight = fixture::event(&store, &f.olga, "Rust Meetup", "2026-06-01 18:00", 5);
    let full = fixture::event(&store, &f.olga, "Tiny Workshop", "2026-06-03 18:00", 2);
    fixture::event(&store, &f.omar, "Omar's Jazz Night", "2026-06-02 20:00", 120);
    fixture::event(&store, &f.olga, "Pottery for Beginners", "2026-09-12 10:00", 999);
    let people = people(&store, &f, 12);
    let mut store = store;
    for (day, (event, count)) in
        [(long, 3), (tonight, 4), (full, 2), (long, 0), (long, 1)].into_iter().enumerate()
    {
        store.set_clock(Clock::Fixed(fixture::now() - Duration::days(5 - day as i64)));
        for &a in people.iter().skip(day * 2).take(count) {
            store.book(&f.dana, event, a).expect("book");
        }
    }
    store.set_clock(Clock::Fixed(fixture::now()));
    let who = if organizer { f.olga.clone() } else { f.dana.clone() };
    let app = fixture::app(store, &who);
    (f, app)
}

fn people(store: &Store, f: &Fixture, n: usize) -> Vec<i64> {
    (0..n)
        .map(|i| {
            let new = NewAttendee {
                name: format!("Guest {i}"),
                email: format!("guest{i}@example.org"),
                phone: String::new(),
            };
            store.add_attendee(&f.dana, &new).expect("attendee").id
        })
        .collect()
}

#[test]
fn the_events_table_keeps_its_columns_at_80_120_and_200() {
    let (_f, mut app) = glance(false);
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        app.update(Action::Resize(w, h));
        app.settle();
        let screen = text(&draw(&app, w, h));
        // Every row's time starts in the column of the "When" header, and its count ends
        // where the "Booked" header does.
        let at = |l: &str, pat: &str| l.find(pat).map(|b| l[..b].chars().count());
        let ends = |l: &str, pat: &str| at(l, pat).map(|c| c + pat.chars().count());
        let list =
            usize::from(crate::app::layout::Areas::new(ratatui::layout::Rect::new(0, 0, w, h)).list.width);
        let lines: Vec<String> = screen.lines().map(|l| l.chars().take(list).collect()).collect();
        let header = lines.iter().find(|l| l.contains("When")).expect("a header row");
        let rows: Vec<&String> =
            lines.iter().filter(|l| l.contains('/') && l.contains("YYYY-MM-DD")).collect();
        assert!(rows.len() >= 5, "{screen}");
        for l in &rows {
            assert_eq!(at(l, "YYYY-MM-DD"), at(header, "When"), "{w}: {l}");
            let count =
                l.split_whitespace().find(|t| t.contains('/') && t.chars().any(|c| c.is_ascii_digit()));
            let count = count.map(|t| t.trim_start_matches(['█', '░']).trim_end_matches('│'));
            assert_eq!(count.and_then(|c| ends(l, c)), ends(header, "Booked"), "{w}: {l}");
        }
        insta::assert_snapshot!(format!("events_table_{w}"), screen);
    }
}

#[test]
fn organizers_open_on_their_events_with_the_summary_and_bookings_over_time() {
    let (_f, mut app) = glance(true);
    snap_sizes("organizer_opening", &app);
    app.step(Action::Down);
    snap_sizes("organizer_long_title_sparkline", &app);
}

#[test]
fn at_80x24_the_footer_fits_and_help_shows_every_key() {
    let (_f, mut app) = glance(false);
    app.update(Action::Resize(80, 24));
    app.settle();
    let screen = text(&draw(&app, 80, 24));
    let footer = screen.lines().nth(23).unwrap_or_default();
    assert!(footer.trim_end().ends_with("help"), "the last hint is whole, and ? is in it: {footer}");
    app.step(Action::Help);
    let screen = text(&draw(&app, 80, 24));
    for b in crate::keymap::bindings(crate::keymap::Context::Browse(Tab::Events)) {
        assert!(screen.contains(b.desc), "help lacks {}", b.desc);
    }
    insta::assert_snapshot!("help_events_80x24", screen);
}

#[test]
fn confirm_buttons() {
    let (_f, mut app) = glance(false);
    app.step(Action::GoTab(Tab::Bookings));
    app.step(Action::CancelBooking);
    snap_sizes("confirm_buttons", &app);
}

#[test]
fn register_role_choice() {
    let (_f, store) = fixture::fixture();
    let mut app = App::new(store, None, ratatui::layout::Rect::new(0, 0, 120, 40));
    app.step(Action::ToggleRegister);
    type_text(&mut app, "desk.ben");
    app.step(Action::NextField);
    app.step(Action::NextField);
    app.step(Action::Edit(tui_input::InputRequest::GoToNextChar));
    snap_sizes("register_role_choice", &app);
}

#[test]
fn an_export_under_way_shows_in_the_status_line() {
    let (_f, mut app) = glance(false);
    app.export_dir = std::path::PathBuf::from("/nonexistent/exports");
    app.step(Action::GoTab(Tab::Bookings));
    app.update(Action::Export);
    // Drawn before the export's answer is taken in: state changes only through update.
    snap_sizes("export_running", &app);
    app.settle();
    let status = fixture::status(&app);
    assert!(status.starts_with("Export of bookings failed: cannot create /nonexistent/exports/"), "{status}");
}
