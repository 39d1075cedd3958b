//! eventdesk: a terminal booking desk for events over one SQLite file.
//!
//! `model` holds the domain types and rules; `store` is the data module every front end calls;
//! `cli` is the scriptable front end, `tui` the terminal app (`app` state, `keymap`, `ui`
//! rendering), `demo` the seeded demo database.

pub mod app;
pub mod cli;
pub mod demo;
pub mod export;
pub mod keymap;
pub mod model;
pub mod race;
pub mod store;
pub mod tui;
pub mod ui;
