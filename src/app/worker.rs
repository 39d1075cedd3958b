//! Threads that own a `Store` and run the app's store calls in order, off the UI thread.
//!
//! The app sends a `Job` (a closure over the store, tagged with an id and the slot of state it
//! answers for) and later gets a `Reply` back as an `Action`; nothing here knows the app's
//! state. A read that a newer read for the same slot has superseded before it started is
//! skipped, so a held key never queues up a backlog of pages nobody will see.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use super::answers::Answer;
use crate::store::{Store, WriteTicket};

/// The piece of app state a store call answers for; a newer call for a slot makes older
/// answers for it stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The change token polled on each tick.
    Token,
    Events,
    Bookings,
    History,
    /// The selected event's attendees, in the Events tab's detail pane.
    Detail,
    /// The Events tab's summary line.
    Summary,
    Picker,
    /// A list being written to a file, on a thread and connection of its own.
    Export,
    /// The Door tab: the event's figures and the bookings matching its search.
    Door,
    /// Writes: at most one at a time, never skipped.
    Write,
    /// Settings sent to the stores (tests move their clock); never stale.
    Control,
}

impl Slot {
    const COUNT: usize = 11;

    fn index(self) -> usize {
        self as usize
    }

    /// Whether an older job of this slot may be skipped for a newer one.
    fn skippable(self) -> bool {
        !matches!(self, Slot::Write | Slot::Control)
    }
}

/// The id of the newest job sent for each slot, shared with the threads so they can skip.
#[derive(Debug, Default)]
pub struct Latest([AtomicU64; Slot::COUNT]);

impl Latest {
    pub fn set(&self, slot: Slot, id: u64) {
        self.0[slot.index()].store(id, Ordering::SeqCst);
    }

    pub fn get(&self, slot: Slot) -> u64 {
        self.0[slot.index()].load(Ordering::SeqCst)
    }

    fn superseded(&self, slot: Slot, id: u64) -> bool {
        slot.skippable() && self.get(slot) > id
    }
}

/// A store call as the worker runs it.
pub type Work = Box<dyn FnOnce(&mut Store) -> Answer + Send>;

pub struct Job {
    pub id: u64,
    pub slot: Slot,
    /// For a write that may be given up: the store claims it before committing.
    pub ticket: Option<WriteTicket>,
    pub work: Work,
}

/// What came back for a job; `answer` is None when the job was skipped or given up unrun.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub id: u64,
    pub slot: Slot,
    pub answer: Option<Answer>,
}

/// One thread and the queue into it. Dropping the lane lets the thread finish its current
/// job and end; nobody waits for it, so quitting never hangs on a held lock.
pub struct Lane {
    jobs: Sender<Job>,
}

impl Lane {
    pub fn spawn(
        name: &str,
        store: Store,
        replies: Sender<Reply>,
        latest: Arc<Latest>,
    ) -> std::io::Result<Lane> {
        let (jobs, queue) = channel();
        std::thread::Builder::new().name(name.into()).spawn(move || run(store, &queue, &replies, &latest))?;
        Ok(Lane { jobs })
    }

    /// Queues a job; false when the thread is gone.
    pub fn send(&self, job: Job) -> bool {
        self.jobs.send(job).is_ok()
    }
}

fn run(mut store: Store, queue: &Receiver<Job>, replies: &Sender<Reply>, latest: &Latest) {
    for job in queue {
        let given_up = job.ticket.as_ref().is_some_and(WriteTicket::is_given_up);
        let answer = if given_up || latest.superseded(job.slot, job.id) {
            None
        } else {
            store.set_ticket(job.ticket);
            let answer = (job.work)(&mut store);
            store.set_ticket(None);
            Some(answer)
        };
        if replies.send(Reply { id: job.id, slot: job.slot, answer }).is_err() {
            return;
        }
    }
}
