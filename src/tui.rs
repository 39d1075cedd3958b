//! The terminal app. Placeholder until the `tui` branch lands; it replaces this file at merge.

use anyhow::anyhow;

/// Opens the terminal app on `store`, signed in as `session` or on its sign-in screen.
pub fn run(store: crate::store::Store, session: Option<crate::model::Session>) -> anyhow::Result<()> {
    let _ = (store, session);
    Err(anyhow!("the terminal app is not built yet"))
}
