//! A side lock that hands the write lock from one desk to the next in the kernel.
//!
//! SQLite's own write lock is taken by polling: a waiter's busy handler wakes every few hundred
//! microseconds to try again, so under contention the waiters compete with the holder for the
//! CPU and the lock changes hands at random. So each write first takes an exclusive `flock` on
//! `<db>-wlock` and only then runs `BEGIN IMMEDIATE`: waiters sleep in the kernel until the
//! holder's release wakes one, which then finds SQLite's lock free. SQLite's lock still decides
//! (the sqlite3 shell, older eventdesks and bulk loads never take this one); the side lock only
//! lines eventdesk's writers up before they reach it.
//!
//! A desk writing back to back keeps the lock between its writes for a moment (a lease): the
//! next write then starts without a system call, and the waiters are not woken by a release
//! they would lose to it anyway. The lease is bounded the way eventually-fair mutexes bound
//! barging: after a streak of writes in a row, a desk that finds others waiting (they hold
//! `<db>-wwait` shared while they wait) lets go, steps back a moment so the first waiter
//! gets it, and lines up behind. A lease nobody uses is given back after a millisecond.
//!
//! The kernel drops the lock of a process that dies (kill -9). A stopped (SIGSTOP) or hung
//! process keeps it, so the wait has a deadline: past it the write goes on without the side
//! lock, to SQLite's busy handler, which gets SQLite's lock or reports the database busy.
//! `flock` cannot be given a timeout, so the blocking call runs on a helper thread; a lock it
//! gets after its writer went on is released at once. Until that call returns, this store's
//! writes skip the side lock instead of each waiting out the deadline again. The same thread
//! gives back an unused lease.

use std::fs::{File, TryLockError};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The longest a write waits in line for the side lock before going on without it: above a
/// normal turn (the streaks of the desks ahead, tens of ms with eight writing flat out), far
/// below the busy timeout.
pub(super) const PATIENCE: Duration = Duration::from_millis(250);

/// How long a desk's run of back-to-back writes may keep the lock, when it gives the lock
/// back to a waiter, and how long it then steps back.
#[derive(Debug, Clone, Copy)]
struct Timings {
    /// Long enough that a hand-over (a wake-up, then a first write on a page cache another
    /// desk's commit made stale: ~250 µs more than a warm one) is paid once per ~30 bookings
    /// rather than once per booking; short enough that a waiter's turn comes within a few
    /// streaks (P = 8 writing flat out: p99 ~75 ms, the longest 90–300 ms in the benches,
    /// against seconds for SQLite's lock).
    streak: Duration,
    /// How long a lease outlives its last write: far longer than a back-to-back caller takes
    /// to start its next write, far shorter than anyone notices.
    lease_idle: Duration,
    /// How long a desk that let go at the end of its streak waits before lining up again, so
    /// the waiter the release woke takes the lock first (it does in ~40 µs at the median).
    handoff: Duration,
}

const DESK_TIMINGS: Timings = Timings {
    streak: Duration::from_millis(10),
    lease_idle: Duration::from_millis(1),
    handoff: Duration::from_micros(300),
};

/// The side lock's file beside the database.
pub(super) fn path_for(db: &Path) -> PathBuf {
    beside(db, "-wlock")
}

/// The file waiters hold shared while they wait, so a holder can tell whether anyone does.
fn waiting_path_for(db: &Path) -> PathBuf {
    beside(db, "-wwait")
}

fn beside(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Where this store stands with the side lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Not held here, and nobody here is taking it.
    Free,
    /// Held by this store's current write.
    Held,
    /// Held between writes since the last one ended; the helper gives it back when unused.
    Leased { since: Instant },
    /// The helper thread is blocked taking it; `wanted` while a write still waits for it.
    Taking { wanted: bool },
    /// The store was closed: the helper releases whatever it gets and ends.
    Closed,
}

struct Inner {
    state: State,
    /// Whether the helper thread was started.
    helper: bool,
    /// When the current run of back-to-back writes got the lock.
    streak: Instant,
    /// Whether the helper wakes by itself to look at a lease (it then needs no notice).
    watching: bool,
}

struct Shared {
    inner: Mutex<Inner>,
    changed: Condvar,
}

impl Shared {
    /// A panic elsewhere cannot leave the state half-changed (every change is one
    /// assignment), so a poisoned lock is used as is.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One store's handle on the side lock.
pub(super) struct WriteLock {
    file: File,
    timings: Timings,
    /// None when it could not be made: waiters are then not seen and streaks run unbounded.
    waiting: Option<File>,
    shared: Arc<Shared>,
}

/// The side lock for one write, kept as a lease on drop (after COMMIT or ROLLBACK); `held`
/// is false when the write goes on without it.
pub(super) struct Turn<'a> {
    lock: Option<&'a WriteLock>,
    /// How long the write waited for its turn, to take off SQLite's busy timeout.
    pub waited: Duration,
}

#[cfg(test)]
impl Turn<'_> {
    pub(super) fn held(&self) -> bool {
        self.lock.is_some()
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let Some(lock) = self.lock else { return };
        let mut inner = lock.shared.lock();
        if inner.state != State::Held {
            return;
        }
        if !inner.helper {
            if !lock.start_helper() {
                // Nobody would give a lease back: release now. Errors are ignored: closing
                // the file releases it too, and SQLite's lock decides.
                let _ = lock.file.unlock();
                inner.state = State::Free;
                return;
            }
            inner.helper = true;
        }
        inner.state = State::Leased { since: Instant::now() };
        if !inner.watching {
            lock.shared.changed.notify_all();
        }
    }
}

impl WriteLock {
    /// Opens (creating, private) the side lock of the database at `db`; None when that fails,
    /// and writes then rely on SQLite's lock alone.
    pub(super) fn open(db: &Path) -> Option<WriteLock> {
        WriteLock::with_timings(db, DESK_TIMINGS)
    }

    fn with_timings(db: &Path, timings: Timings) -> Option<WriteLock> {
        let file = private_file(&path_for(db))?;
        let waiting = private_file(&waiting_path_for(db));
        let inner = Inner { state: State::Free, helper: false, streak: Instant::now(), watching: false };
        let shared = Arc::new(Shared { inner: Mutex::new(inner), changed: Condvar::new() });
        Some(WriteLock { file, timings, waiting, shared })
    }

    /// Waits in line for the side lock, at most `patience`.
    pub(super) fn take(&self, patience: Duration) -> Turn<'_> {
        let started = Instant::now();
        let mut inner = self.shared.lock();
        let Timings { streak, handoff, .. } = self.timings;
        if let State::Leased { .. } = inner.state {
            if started < inner.streak + streak || !self.others_wait() {
                if started >= inner.streak + streak {
                    inner.streak = started;
                }
                inner.state = State::Held;
                return Turn { lock: Some(self), waited: Duration::ZERO };
            }
            let _ = self.file.unlock();
            inner.state = State::Free;
            drop(inner);
            std::thread::sleep(handoff);
            inner = self.shared.lock();
        }
        if inner.state != State::Free {
            // An earlier wait ran out and the helper still waits: the holder is stopped or hung.
            return Turn { lock: None, waited: Duration::ZERO };
        }
        match self.file.try_lock() {
            Ok(()) => {
                inner.state = State::Held;
                inner.streak = Instant::now();
                return Turn { lock: Some(self), waited: Duration::ZERO };
            }
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(_)) => return Turn { lock: None, waited: Duration::ZERO },
        }
        if !inner.helper {
            if !self.start_helper() {
                return Turn { lock: None, waited: Duration::ZERO };
            }
            inner.helper = true;
        }
        inner.state = State::Taking { wanted: true };
        self.shared.changed.notify_all();
        let deadline = started + patience;
        loop {
            let now = Instant::now();
            match inner.state {
                State::Held => {
                    inner.streak = now;
                    return Turn { lock: Some(self), waited: now - started };
                }
                State::Taking { .. } if now >= deadline => {
                    inner.state = State::Taking { wanted: false };
                    return Turn { lock: None, waited: now - started };
                }
                State::Taking { .. } => {}
                // The helper's flock failed: go on with SQLite's lock alone.
                State::Free | State::Leased { .. } | State::Closed => {
                    return Turn { lock: None, waited: now - started };
                }
            }
            inner = self
                .shared
                .changed
                .wait_timeout(inner, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Whether another desk waits for the side lock: it holds the waiting file shared.
    fn others_wait(&self) -> bool {
        let Some(waiting) = &self.waiting else { return false };
        match waiting.try_lock() {
            Ok(()) => {
                let _ = waiting.unlock();
                false
            }
            Err(_) => true,
        }
    }

    fn start_helper(&self) -> bool {
        let Ok(file) = self.file.try_clone() else { return false };
        let waiting = self.waiting.as_ref().and_then(|w| w.try_clone().ok());
        let shared = Arc::clone(&self.shared);
        let lease_idle = self.timings.lease_idle;
        std::thread::Builder::new()
            .name("eventdesk-wlock".into())
            .spawn(move || helper(&file, waiting.as_ref(), &shared, lease_idle))
            .is_ok()
    }
}

fn private_file(path: &Path) -> Option<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .ok()
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        self.shared.lock().state = State::Closed;
        self.shared.changed.notify_all();
    }
}

/// The helper thread: takes the lock (blocking) whenever a write asks, and hands it over or,
/// when the write went on without it, gives it straight back; gives back a lease nobody used.
/// The clone of the file shares its lock with the store's handle (one open file description),
/// so either can release it.
fn helper(file: &File, waiting: Option<&File>, shared: &Shared, lease_idle: Duration) {
    let mut inner = shared.lock();
    loop {
        match inner.state {
            State::Closed => {
                // A lease may still be held; unlocking a lock not held does nothing.
                let _ = file.unlock();
                return;
            }
            State::Taking { .. } => {
                drop(inner);
                // Seen by a holder deciding whether to let go (`others_wait`).
                let shown = waiting.is_some_and(|w| w.try_lock_shared().is_ok());
                let got = file.lock().is_ok();
                if shown {
                    let _ = waiting.map(File::unlock);
                }
                inner = shared.lock();
                inner.state = match (inner.state, got) {
                    (State::Taking { wanted: true }, true) => State::Held,
                    (State::Closed, got) => {
                        if got {
                            let _ = file.unlock();
                        }
                        return;
                    }
                    (_, got) => {
                        if got {
                            let _ = file.unlock();
                        }
                        State::Free
                    }
                };
                shared.changed.notify_all();
            }
            // While a streak lasts this wakes once per `lease_idle`, not once per write.
            State::Leased { .. } | State::Held => {
                let now = Instant::now();
                let until = match inner.state {
                    State::Leased { since } if now >= since + lease_idle => {
                        let _ = file.unlock();
                        inner.state = State::Free;
                        continue;
                    }
                    State::Leased { since } => since + lease_idle,
                    _ => now + lease_idle,
                };
                inner.watching = true;
                inner =
                    shared.changed.wait_timeout(inner, until - now).unwrap_or_else(PoisonError::into_inner).0;
                inner.watching = false;
            }
            State::Free => {
                inner = shared.changed.wait(inner).unwrap_or_else(PoisonError::into_inner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Another holder in this process: a separate open of the file is a separate flock owner.
    fn holder(db: &Path) -> File {
        let f = File::options().read(true).write(true).open(path_for(db)).unwrap();
        f.lock().unwrap();
        f
    }

    fn other_handle(db: &Path) -> File {
        File::options().read(true).write(true).open(path_for(db)).unwrap()
    }

    /// Whether `other`'s try finds the lock held (by the store under test).
    fn blocked(other: &File) -> bool {
        matches!(other.try_lock(), Err(TryLockError::WouldBlock))
    }

    /// Polls `ready` for up to a minute: the lease ends on the helper's clock, not the test's.
    fn eventually(what: &str, mut ready: impl FnMut() -> bool) {
        let until = Instant::now() + Duration::from_secs(60);
        while !ready() {
            assert!(Instant::now() < until, "{what} never happened");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    const LONG_LEASE: Timings = Timings {
        streak: Duration::from_secs(3600),
        lease_idle: Duration::from_secs(3600),
        handoff: Duration::from_millis(1),
    };

    #[test]
    fn a_free_lock_is_taken_and_given_back_once_the_lease_ends() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let lock = WriteLock::open(&db).unwrap();
        let turn = lock.take(PATIENCE);
        assert!(turn.held());
        let other = other_handle(&db);
        assert!(blocked(&other), "held while the turn lasts");
        drop(turn);
        eventually("the lease's release", || other.try_lock().is_ok());
    }

    #[test]
    fn a_lease_keeps_the_lock_for_the_next_write_and_closing_the_store_ends_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let lock = WriteLock::with_timings(&db, LONG_LEASE).unwrap();
        drop(lock.take(PATIENCE));
        let other = other_handle(&db);
        assert!(blocked(&other), "kept between writes");
        let next = lock.take(Duration::ZERO);
        assert!(next.held(), "the next write goes on with the lease");
        assert_eq!(next.waited, Duration::ZERO);
        drop(next);
        drop(lock);
        eventually("the release of a closed store's lease", || other.try_lock().is_ok());
    }

    #[test]
    fn a_streak_that_outlasts_its_time_hands_the_lock_to_the_desk_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let ends_at_once = Timings { streak: Duration::ZERO, ..LONG_LEASE };
        let first = WriteLock::with_timings(&db, ends_at_once).unwrap();
        drop(first.take(PATIENCE));
        let second = Arc::new(WriteLock::with_timings(&db, DESK_TIMINGS).unwrap());
        let waiter = Arc::clone(&second);
        let (got, arrived) = std::sync::mpsc::channel();
        let waiting = std::thread::spawn(move || {
            let turn = waiter.take(Duration::from_secs(60));
            got.send((turn.held(), Instant::now())).unwrap();
        });
        eventually("the second desk waiting", || first.others_wait());
        let turn = first.take(Duration::from_secs(60));
        let first_again = Instant::now();
        assert!(turn.held(), "the first desk's turn comes back after the second's");
        let (second_held, second_at) = arrived.recv().unwrap();
        assert!(second_held, "the waiting desk got the lock, not a timeout");
        assert!(second_at < first_again, "the waiting desk went first");
        waiting.join().unwrap();
    }

    #[test]
    fn with_nobody_waiting_a_streak_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let lock = WriteLock::with_timings(&db, Timings { streak: Duration::ZERO, ..LONG_LEASE }).unwrap();
        drop(lock.take(PATIENCE));
        assert!(!lock.others_wait());
        let other = other_handle(&db);
        let next = lock.take(Duration::ZERO);
        assert!(next.held());
        assert!(blocked(&other), "never let go in between");
    }

    #[test]
    fn a_waiter_gets_the_lock_when_the_holder_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let lock = WriteLock::open(&db).unwrap();
        let held = holder(&db);
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            drop(held);
        });
        let turn = lock.take(Duration::from_secs(60));
        assert!(turn.held(), "handed over by the kernel, not given up");
        release.join().unwrap();
    }

    #[test]
    fn a_holder_that_never_lets_go_is_waited_for_only_until_the_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let lock = WriteLock::open(&db).unwrap();
        let held = holder(&db);
        assert!(!lock.take(Duration::from_millis(20)).held(), "went on without it");
        assert!(!lock.take(Duration::from_secs(60)).held(), "the next write does not wait again");
        drop(held);
        // The helper's late flock is given straight back, and the next writes line up again.
        let mut turn = lock.take(PATIENCE);
        for _ in 0..1000 {
            if turn.held() {
                break;
            }
            drop(turn);
            std::thread::sleep(Duration::from_millis(10));
            turn = lock.take(PATIENCE);
        }
        assert!(turn.held(), "the side lock came back into use");
    }
}
