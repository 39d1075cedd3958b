//! The app's side of its store threads: what was asked, which answers are still wanted, and
//! the one write that may be waiting.
//!
//! Writes go to one thread and reads to another, each with its own connection, so a write
//! stuck behind another program's lock never holds up a page load (SQLite readers do not wait
//! for writers). Every call gets an id; an answer only counts when no newer call was made for
//! the same slot, so a slow old page can never overwrite a newer one.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::answers::Answer;
use super::worker::{Job, Lane, Latest, Reply, Slot, Work};
use crate::model::Clock;
use crate::model::{Error, Result};
use crate::store::{Location, OpenOptions, Store, WriteTicket};

/// The write in flight: what it is called on screen, since when it waits, and how to give it up.
#[derive(Debug, Clone)]
pub struct PendingWrite {
    pub id: u64,
    pub what: &'static str,
    pub since: DateTime<Utc>,
    /// None for writes that must not be given up (a sign-in attempt always counts).
    pub ticket: Option<WriteTicket>,
    /// The form (or sign-in) on screen waits for this write: it stays as typed until the answer.
    pub holds_form: bool,
}

/// An answer still wanted, with the write it finishes (if it was one).
pub struct Accepted {
    pub id: u64,
    pub answer: Answer,
    pub write: Option<PendingWrite>,
}

/// How giving up went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GiveUp {
    /// It will never be saved.
    Gave(&'static str),
    /// The store had already started committing it.
    TooLate(&'static str),
    /// This write cannot be given up.
    NotAllowed(&'static str),
    Nothing,
}

pub struct Db {
    writer: Option<Lane>,
    /// None when a second connection could not be opened: reads then queue behind writes.
    reader: Option<Lane>,
    replies: Receiver<Reply>,
    /// For threads started later (an export), which answer on the same channel.
    answer: Sender<Reply>,
    /// Where the store is, and its clock, for the connections those threads open.
    location: Location,
    clock: Clock,
    latest: Arc<Latest>,
    next: u64,
    in_flight: usize,
    /// Every read sent and not yet answered (stale or not): its id, slot and when it was sent.
    reads: Vec<(u64, Slot, DateTime<Utc>)>,
    write: Option<PendingWrite>,
}

impl Db {
    /// Moves `store` onto the write thread and opens a second connection for reads. Without a
    /// write thread (the system refused one) every call fails with the returned reason.
    pub fn start(store: Store) -> (Db, Option<Error>) {
        let (location, clock) = (store.location().clone(), store.clock());
        let reader = open_reader(&store);
        let (tx, replies) = channel();
        let latest = Arc::new(Latest::default());
        let lane = |name: &str, store| Lane::spawn(name, store, tx.clone(), latest.clone());
        let (writer, trouble) = match lane("eventdesk-writer", store) {
            Ok(lane) => (Some(lane), None),
            Err(e) => (None, Some(Error::Storage(format!("cannot start the database thread: {e}")))),
        };
        let reader = reader.ok().and_then(|store| lane("eventdesk-reader", store).ok());
        let db = Db {
            writer,
            reader,
            replies,
            answer: tx,
            location,
            clock,
            latest,
            next: 0,
            in_flight: 0,
            reads: Vec::new(),
            write: None,
        };
        (db, trouble)
    }

    /// Asks a read for `slot`; `also` are slots this answer fills too (an older call for any
    /// of them is then stale).
    pub fn read(&mut self, slot: Slot, also: &[Slot], now: DateTime<Utc>, work: Work) -> Result<()> {
        let id = self.ids(slot, also);
        self.reads.push((id, slot, now));
        self.send(false, Job { id, slot, ticket: None, work })
    }

    /// Asks a write. Callers check `pending_write` first: one write waits at a time.
    pub fn write(&mut self, pending: PendingWrite, work: Work) -> Result<()> {
        let id = self.ids(Slot::Write, &[]);
        let ticket = pending.ticket.clone();
        self.write = Some(PendingWrite { id, ..pending });
        let sent = self.send(true, Job { id, slot: Slot::Write, ticket, work });
        if sent.is_err() {
            self.write = None;
        }
        sent
    }

    /// Runs `work` for `slot` on a thread of its own, over a connection of its own, so a long
    /// job (an export of a million rows) holds up neither reads nor writes. `work` gets the
    /// connection, or why it could not be opened. Returns the call's id.
    pub fn spawn(
        &mut self,
        slot: Slot,
        work: impl FnOnce(Result<Store>) -> Answer + Send + 'static,
    ) -> Result<u64> {
        let id = self.ids(slot, &[]);
        let (location, clock, answer) = (self.location.clone(), self.clock, self.answer.clone());
        let run = move || {
            let options = OpenOptions { clock, create: false, ..OpenOptions::default() };
            let done = work(Store::open_with(location, options));
            // The app may be gone (it quit meanwhile): nobody to tell.
            let _ = answer.send(Reply { id, slot, answer: Some(done) });
        };
        std::thread::Builder::new()
            .name("eventdesk-export".into())
            .spawn(run)
            .map_err(|e| Error::Storage(format!("cannot start a thread: {e}")))?;
        self.in_flight += 1;
        Ok(id)
    }

    /// Moves the clock of every store thread, and of the threads started from now on.
    #[cfg(test)]
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
        self.control(move |s| s.set_clock(clock));
    }

    /// Sends a settings change to every store thread (tests move the clock this way).
    #[cfg(test)]
    pub fn control(&mut self, work: impl Fn(&mut Store) + Send + Clone + 'static) {
        let lanes = if self.reader.is_some() { vec![true, false] } else { vec![true] };
        debug_assert!(self.writer.is_some(), "tests always have a write thread");
        for to_writer in lanes {
            let work = work.clone();
            let id = self.ids(Slot::Control, &[]);
            let work: Work = Box::new(move |s| {
                work(s);
                Answer::Done
            });
            // A thread that is gone has no clock to move.
            let _ = self.send(to_writer, Job { id, slot: Slot::Control, ticket: None, work });
        }
    }

    fn ids(&mut self, slot: Slot, also: &[Slot]) -> u64 {
        self.next += 1;
        for s in std::iter::once(&slot).chain(also) {
            self.latest.set(*s, self.next);
        }
        self.next
    }

    fn send(&mut self, to_writer: bool, job: Job) -> Result<()> {
        let lane =
            if to_writer { self.writer.as_ref() } else { self.reader.as_ref().or(self.writer.as_ref()) };
        if !lane.is_some_and(|lane| lane.send(job)) {
            return Err(Error::Storage("the database thread stopped; restart eventdesk".into()));
        }
        self.in_flight += 1;
        Ok(())
    }

    /// Takes a reply off the thread; None when it is stale (a newer call for its slot was made,
    /// or the write was given up) and must not change anything.
    pub fn accept(&mut self, reply: Reply) -> Option<Accepted> {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.reads.retain(|(id, ..)| *id != reply.id);
        let answer = reply.answer?;
        if reply.slot == Slot::Write {
            let write = self.write.take_if(|w| w.id == reply.id)?;
            return Some(Accepted { id: reply.id, answer, write: Some(write) });
        }
        if self.latest.get(reply.slot) != reply.id {
            return None;
        }
        Some(Accepted { id: reply.id, answer, write: None })
    }

    /// The id of the newest call for `slot`.
    #[cfg(test)]
    pub fn latest(&self, slot: Slot) -> u64 {
        self.latest.get(slot)
    }

    /// Whether `id` is still the newest call for `slot`.
    pub fn is_latest(&self, slot: Slot, id: u64) -> bool {
        self.latest.get(slot) == id
    }

    /// Gives up the waiting write, if any; a given-up write is forgotten at once.
    pub fn give_up(&mut self) -> GiveUp {
        let Some(w) = &self.write else { return GiveUp::Nothing };
        let Some(ticket) = &w.ticket else { return GiveUp::NotAllowed(w.what) };
        if ticket.give_up() {
            let what = w.what;
            self.write = None;
            GiveUp::Gave(what)
        } else {
            GiveUp::TooLate(w.what)
        }
    }

    pub fn pending_write(&self) -> Option<&PendingWrite> {
        self.write.as_ref()
    }

    /// Since when the oldest read still out was sent. A stale one counts too: the read
    /// thread is still busy with it, and the newer read waits behind it.
    pub fn oldest_read(&self) -> Option<DateTime<Utc>> {
        self.reads.iter().map(|(.., since)| *since).min()
    }

    /// Whether a read for `slot` is still out.
    pub fn reading(&self, slot: Slot) -> bool {
        self.reads.iter().any(|(_, s, _)| *s == slot)
    }

    /// Whether any call (wanted or stale) is still out.
    pub fn busy(&self) -> bool {
        self.in_flight > 0
    }

    /// Every reply already back, without waiting.
    pub fn try_replies(&self) -> Vec<Reply> {
        self.replies.try_iter().collect()
    }

    /// Waits up to `timeout` for one reply; None when none came (or the threads are gone).
    pub fn wait_reply(&self, timeout: Duration) -> Option<Reply> {
        self.replies.recv_timeout(timeout).ok()
    }
}

/// The reading connection's page cache: a searched list's capped count looks up the attendee
/// and event of ~1 600 bookings, ~4 500 pages at a million bookings, which SQLite's default
/// 2 MiB cannot hold, so each keystroke re-read part of them from the OS (the key at 1 M:
/// 4.9–5.9 ms with 2 MiB, 3.7–4.7 ms with 8 MiB; 32 MiB is no faster).
const READER_CACHE_KIB: u32 = 8 * 1024;

/// A second connection to the same database, with the same clock, for reads.
fn open_reader(store: &Store) -> Result<Store> {
    // Never creates: the file the desk opened must still be there.
    let options = OpenOptions {
        clock: store.clock(),
        create: false,
        page_cache_kib: Some(READER_CACHE_KIB),
        ..OpenOptions::default()
    };
    Store::open_with(store.location().clone(), options)
}
