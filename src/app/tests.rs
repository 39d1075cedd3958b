//! `App::update` driven flow by flow against a store on a temp file, with no terminal.

pub(crate) mod fixture;
mod flows;
mod lists;
