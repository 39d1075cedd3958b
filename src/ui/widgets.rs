//! Reusable pieces drawn inside tabs and popups.

pub mod bignum;
pub mod confirm;
pub mod form;
pub mod gauge;
pub mod list;
pub mod picker;
pub mod spark;
