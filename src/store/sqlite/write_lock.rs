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
//! The kernel drops the lock of a process that dies (kill -9). A stopped (SIGSTOP) or hung
//! process keeps it, so the wait has a deadline: past it the write goes on without the side
//! lock, to SQLite's busy handler, which gets SQLite's lock or reports the database busy.
//! `flock` cannot be given a timeout, so the blocking call runs on a helper thread; a lock it
//! gets after its writer went on is released at once. Until that call returns, this store's
//! writes skip the side lock instead of each waiting out the deadline again.

use std::fs::{File, TryLockError};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The longest a write waits in line for the side lock before going on without it: far above
/// a normal turn (the queue length times a transaction, a few ms), far below the busy timeout.
pub(super) const PATIENCE: Duration = Duration::from_millis(250);

/// The side lock's file beside the database.
pub(super) fn path_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wlock");
    PathBuf::from(name)
}

/// Where this store stands with the side lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Not held here, and nobody here is taking it.
    Free,
    /// Held by this store's current write.
    Held,
    /// The helper thread is blocked taking it; `wanted` while a write still waits for it.
    Taking { wanted: bool },
    /// The store was closed: the helper releases whatever it gets and ends.
    Closed,
}

struct Shared {
    state: Mutex<(State, bool)>,
    changed: Condvar,
}

impl Shared {
    /// The state and whether the helper thread was started. A panic elsewhere cannot leave
    /// the state half-changed (every change is one assignment), so a poisoned lock is used as is.
    fn lock(&self) -> MutexGuard<'_, (State, bool)> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One store's handle on the side lock.
pub(super) struct WriteLock {
    file: File,
    shared: Arc<Shared>,
}

/// The side lock for one write, released on drop (after COMMIT or ROLLBACK); `held` is false
/// when the write goes on without it.
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
        if let Some(lock) = self.lock {
            let mut guard = lock.shared.lock();
            // Errors are ignored: closing the file releases it too, and SQLite's lock decides.
            let _ = lock.file.unlock();
            guard.0 = State::Free;
        }
    }
}

impl WriteLock {
    /// Opens (creating, private) the side lock of the database at `db`; None when that fails,
    /// and writes then rely on SQLite's lock alone.
    pub(super) fn open(db: &Path) -> Option<WriteLock> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path_for(db))
            .ok()?;
        let shared = Arc::new(Shared { state: Mutex::new((State::Free, false)), changed: Condvar::new() });
        Some(WriteLock { file, shared })
    }

    /// Waits in line for the side lock, at most `patience`.
    pub(super) fn take(&self, patience: Duration) -> Turn<'_> {
        let started = Instant::now();
        let mut guard = self.shared.lock();
        if guard.0 != State::Free {
            // An earlier wait ran out and the helper still waits: the holder is stopped or hung.
            return Turn { lock: None, waited: Duration::ZERO };
        }
        match self.file.try_lock() {
            Ok(()) => {
                guard.0 = State::Held;
                return Turn { lock: Some(self), waited: Duration::ZERO };
            }
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(_)) => return Turn { lock: None, waited: Duration::ZERO },
        }
        if !guard.1 {
            if !self.start_helper() {
                return Turn { lock: None, waited: Duration::ZERO };
            }
            guard.1 = true;
        }
        guard.0 = State::Taking { wanted: true };
        self.shared.changed.notify_all();
        let deadline = started + patience;
        loop {
            let now = Instant::now();
            match guard.0 {
                State::Held => return Turn { lock: Some(self), waited: now - started },
                State::Taking { .. } if now >= deadline => {
                    guard.0 = State::Taking { wanted: false };
                    return Turn { lock: None, waited: now - started };
                }
                State::Taking { .. } => {}
                // The helper's flock failed: go on with SQLite's lock alone.
                State::Free | State::Closed => return Turn { lock: None, waited: now - started },
            }
            guard = self
                .shared
                .changed
                .wait_timeout(guard, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn start_helper(&self) -> bool {
        let Ok(file) = self.file.try_clone() else { return false };
        let shared = Arc::clone(&self.shared);
        std::thread::Builder::new()
            .name("eventdesk-wlock".into())
            .spawn(move || helper(&file, &shared))
            .is_ok()
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        self.shared.lock().0 = State::Closed;
        self.shared.changed.notify_all();
    }
}

/// The helper thread: takes the lock (blocking) whenever a write asks, and hands it over or,
/// when the write went on without it, gives it straight back. The clone of the file shares
/// its lock with the store's handle (one open file description), so either can release it.
fn helper(file: &File, shared: &Shared) {
    let mut guard = shared.lock();
    loop {
        match guard.0 {
            State::Closed => return,
            State::Taking { .. } => {
                drop(guard);
                let got = file.lock().is_ok();
                guard = shared.lock();
                guard.0 = match (guard.0, got) {
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
            State::Free | State::Held => {
                guard = shared.changed.wait(guard).unwrap_or_else(PoisonError::into_inner);
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

    #[test]
    fn a_free_lock_is_taken_and_given_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let lock = WriteLock::open(&db).unwrap();
        let turn = lock.take(PATIENCE);
        assert!(turn.held());
        let other = File::options().read(true).write(true).open(path_for(&db)).unwrap();
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)), "held while the turn lasts");
        drop(turn);
        assert!(other.try_lock().is_ok(), "released when the turn ends");
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
