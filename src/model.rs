//! Domain types and rules: what an event, a booking, an account and a history entry are, how
//! they are validated and what is derived from them. No I/O lives here.

mod account;
mod attendee;
mod booking;
mod door;
mod error;
mod event;
mod event_input;
pub mod fold;
mod glance;
mod history;
pub mod history_details;
mod history_text;
mod plural;
mod text;
mod time;

pub use account::{NewOperator, Operator, Role, Session, ValidOperator};
pub use attendee::{Attendee, AttendeePatch, NewAttendee, ValidAttendee};
pub use booking::{Booking, BookingRow, BookingStatus};
pub use door::{
    Attendance, BookingRef, CHECK_IN_OPENS_BEFORE, CheckIn, Freed, Promotion, WaitStatus, WaitlistEntry,
    check_in_opens,
};
pub use error::{Conflict, Current, Error, Field, FieldError, Refusal, Result, quoted};
pub use event::{CAPACITY_MAX, Event, EventPatch, NewEvent, Phase, parse_capacity};
pub use event_input::{EventInput, EventPatchInput};
pub use glance::{BookingDay, CapacitySummary, NEARLY_FULL_PERCENT, day_ends, is_nearly_full, per_day};
pub use history::{About, HistoryAction, HistoryEntry, ObjectKind};
pub use plural::{plural, plural_len};
pub use text::{
    PASSWORD_MIN, TITLE_MAX, inert, sanitize_display, validate_description, validate_email, validate_name,
    validate_password, validate_phone, validate_title, validate_username,
};
pub use time::{
    Clock, TIME_EXAMPLE, TIME_FORMAT_HINT, format_clock, format_input, format_input_in, format_local,
    parse_time, parse_time_in,
};
