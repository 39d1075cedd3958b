//! Giving up a write from another thread, with no window in which it is both given up and saved.
//!
//! A front end that runs store calls off its UI thread hands the store a ticket for the write it
//! asked for. The user may give the ticket up at any moment; the store claims it after the
//! write's work is done and just before it commits. Exactly one of the two wins, so a write
//! that was given up is rolled back even when the lock it waited for was freed in between.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::model::{Error, Result};

const WAITING: u8 = 0;
const GIVEN_UP: u8 = 1;
const COMMITTING: u8 = 2;

/// Shared between the thread that may give a write up and the store that runs it.
#[derive(Debug, Clone, Default)]
pub struct WriteTicket(Arc<AtomicU8>);

impl WriteTicket {
    pub fn new() -> WriteTicket {
        WriteTicket::default()
    }

    /// Gives the write up. True when it will never commit; false when the store already claimed
    /// the ticket, so the write is being (or has been) saved.
    pub fn give_up(&self) -> bool {
        match self.0.compare_exchange(WAITING, GIVEN_UP, Ordering::SeqCst, Ordering::SeqCst) {
            Ok(_) => true,
            Err(state) => state == GIVEN_UP,
        }
    }

    pub fn is_given_up(&self) -> bool {
        self.0.load(Ordering::SeqCst) == GIVEN_UP
    }

    /// Called by the store right before committing: from here on the write can no longer be
    /// given up. A ticket already claimed stays claimed (a job may commit several writes).
    pub(super) fn claim(&self) -> Result<()> {
        match self.0.compare_exchange(WAITING, COMMITTING, Ordering::SeqCst, Ordering::SeqCst) {
            Ok(_) => Ok(()),
            Err(COMMITTING) => Ok(()),
            Err(_) => Err(Error::GivenUp),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn giving_up_first_refuses_the_commit() {
        let t = WriteTicket::new();
        assert!(t.give_up());
        assert!(t.give_up(), "giving up twice is still given up");
        assert_eq!(t.claim(), Err(Error::GivenUp));
        assert!(t.is_given_up());
    }

    #[test]
    fn a_claimed_ticket_cannot_be_given_up() {
        let t = WriteTicket::new();
        assert_eq!(t.claim(), Ok(()));
        assert!(!t.give_up(), "too late: the write is being saved");
        assert_eq!(t.claim(), Ok(()), "a second write of the same job may commit too");
        assert!(!t.is_given_up());
    }

    #[test]
    fn exactly_one_side_wins_a_race() {
        for _ in 0..200 {
            let t = WriteTicket::new();
            let other = t.clone();
            let claimer = std::thread::spawn(move || other.claim().is_ok());
            let gave_up = t.give_up();
            let committed = claimer.join().unwrap_or(false);
            assert_ne!(gave_up, committed, "given up and committed at once, or neither");
        }
    }
}
