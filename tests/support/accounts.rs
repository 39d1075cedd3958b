//! Operator accounts for tests that call the store directly.

// Shared by several test crates; each uses a part.
#![allow(dead_code, clippy::unwrap_used)]

use eventdesk::model::{NewOperator, Role, Session};
use eventdesk::store::Store;

/// The password of every account made here.
pub const PASSWORD: &str = "password-123";

/// A valid registration; organizers get an organization and address.
pub fn new_operator(username: &str, role: Role) -> NewOperator {
    NewOperator {
        username: username.into(),
        password: PASSWORD.into(),
        role: Some(role),
        organization: "Rust León".into(),
        address: "Calle Mayor 1".into(),
        ..Default::default()
    }
}

/// Registers the account and signs it in.
pub fn register(store: &Store, username: &str, role: Role) -> Session {
    store.register(&new_operator(username, role)).unwrap();
    store.authenticate(username, PASSWORD).unwrap()
}
