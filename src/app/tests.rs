//! `App::update` driven flow by flow against a store on a temp file, with no terminal.

mod busy;
mod clean;
mod door;
mod export;
pub(crate) mod fixture;
mod flows;
mod followed;
mod glance;
mod history;
mod identity;
mod lists;
mod messages;
mod stale;
mod vanished;
mod waiting;
mod waitlist;
