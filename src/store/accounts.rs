//! Operator accounts: register, sign in (with lock-out), sign out.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use std::sync::OnceLock;

use chrono::Duration;
use serde_json::json;

use super::engine::{Credentials, Record};
use super::{Store, found};
use crate::model::{Error, HistoryAction, NewOperator, ObjectKind, Operator, Refusal, Result, Session};

/// Consecutive failed sign-ins before an account is locked.
pub const LOCKOUT_AFTER: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT_SECONDS: i64 = 60;

/// Verified against when the username is unknown, so a wrong username costs as long as a
/// wrong password and does not reveal which accounts exist.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password").unwrap_or_default())
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Storage(format!("cannot hash the password: {e}")))
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

impl Store {
    /// Creates an operator account. Anyone may register; the role decides what they can do.
    pub fn register(&self, new: &NewOperator) -> Result<Operator> {
        let v = new.validate()?;
        let hash = hash_password(&new.password)?;
        self.write(|tx| {
            let now = self.now();
            if tx.username_taken(&v.username)? {
                return Err(Refusal::UsernameTaken.into());
            }
            let id = tx.insert_operator(&v, &hash, now)?;
            let details = json!({ "role": v.role.as_str(), "name": v.name, "organization": v.organization });
            let r = Record {
                actor: &v.username,
                action: HistoryAction::Register,
                kind: ObjectKind::Operator,
                id: Some(id),
                details,
            };
            tx.record(now, &r)?;
            found(tx.operator(id)?, "operator", id)
        })
    }

    /// Signs in for an interactive session; success and failure are both recorded.
    pub fn login(&self, username: &str, password: &str) -> Result<Session> {
        self.sign_in(username, password, true)
    }

    /// Checks credentials for one scripted command: a failure is recorded (and counts towards
    /// the lock-out), a success is not, since the command's own change is.
    pub fn authenticate(&self, username: &str, password: &str) -> Result<Session> {
        self.sign_in(username, password, false)
    }

    pub fn logout(&self, s: &Session) -> Result<()> {
        self.write(|tx| {
            tx.record(
                self.now(),
                &Record::by(s, HistoryAction::Logout, ObjectKind::Operator, s.operator_id, json!({})),
            )
        })
    }

    pub fn operator(&self, id: i64) -> Result<Operator> {
        found(self.engine.operator(id)?, "operator", id)
    }

    fn sign_in(&self, username: &str, password: &str, record_success: bool) -> Result<Session> {
        // No account's name holds a NUL (validation refuses control characters), and
        // PostgreSQL text cannot even carry one: such a name is simply unknown.
        let creds = match username.contains('\0') {
            true => None,
            false => self.engine.credentials(username.trim())?,
        };
        let now = self.now().timestamp();
        let locked = creds.as_ref().and_then(|c| c.locked_until).map(|t| t.timestamp()).filter(|&t| t > now);
        if let Some(until) = locked {
            return Err(Refusal::AccountLocked { seconds: until - now }.into());
        }
        // Hashing runs outside the write lock: it is the slow part.
        let ok = match &creds {
            Some(c) => password_matches(password, &c.hash),
            None => {
                password_matches(password, dummy_hash());
                false
            }
        };
        match creds {
            Some(c) if ok => self.signed_in(c, record_success),
            creds => self.failed_sign_in(username, creds.map(|c| c.id)),
        }
    }

    fn signed_in(&self, c: Credentials, record_success: bool) -> Result<Session> {
        let session = Session { operator_id: c.id, username: c.username, role: c.role };
        if record_success || c.failed > 0 {
            self.write(|tx| {
                tx.clear_failed_sign_ins(c.id)?;
                if record_success {
                    let r = Record {
                        actor: &session.username,
                        action: HistoryAction::Login,
                        kind: ObjectKind::Operator,
                        id: Some(c.id),
                        details: json!({}),
                    };
                    tx.record(self.now(), &r)?;
                }
                Ok(())
            })?;
        }
        Ok(session)
    }

    fn failed_sign_in(&self, username: &str, account: Option<i64>) -> Result<Session> {
        // The typed name is stored bounded: it is untrusted input.
        // Bounded, and with any NUL replaced, so every engine can store it.
        let actor: String = username
            .trim()
            .chars()
            .take(64)
            .map(|c| if c == '\0' { char::REPLACEMENT_CHARACTER } else { c })
            .collect();
        self.write(|tx| {
            let now = self.now();
            let mut details = json!({ "reason": "wrong username or password" });
            if let Some(id) = account {
                // Counted inside the write transaction, not from the value read before hashing:
                // guesses made in parallel must each count towards the lock-out.
                let until = now + Duration::seconds(LOCKOUT_SECONDS);
                let failed = tx.count_failed_sign_in(id, LOCKOUT_AFTER, until)?;
                let locked = failed >= LOCKOUT_AFTER;
                details =
                    json!({ "reason": "wrong password", "consecutive_failures": failed, "locked": locked });
            }
            let r = Record {
                actor: &actor,
                action: HistoryAction::LoginFailed,
                kind: ObjectKind::Operator,
                id: account,
                details,
            };
            tx.record(now, &r)
        })?;
        Err(Error::Unauthenticated("wrong username or password".into()))
    }
}
