//! Opening a database: the file, the connection settings, refusing what isn't ours, migrating.

use std::fs;
use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, MAIN_DB, OpenFlags, Transaction, TransactionBehavior};

use super::{busy, unicode};
use crate::model::Error;
use crate::store::OpenOptions;

/// `PRAGMA application_id` of an eventdesk database ("EvDk").
pub(super) const APPLICATION_ID: i32 = 0x4576_446b;

/// The schema, in order; `PRAGMA user_version` counts how many have been applied.
const MIGRATIONS: &[(&str, &str)] = &[
    ("001_initial", include_str!("../../../migrations/001_initial.sql")),
    ("002_attendee_search_index", include_str!("../../../migrations/002_attendee_search_index.sql")),
    ("003_attendee_trigram_search", include_str!("../../../migrations/003_attendee_trigram_search.sql")),
    ("004_waitlist_and_checkins", include_str!("../../../migrations/004_waitlist_and_checkins.sql")),
    ("005_edit_versions", include_str!("../../../migrations/005_edit_versions.sql")),
    ("006_unicode_identity", include_str!("../../../migrations/006_unicode_identity.sql")),
    ("007_attendee_name_grams", include_str!("../../../migrations/007_attendee_name_grams.sql")),
    ("008_write_fewer_indexes", include_str!("../../../migrations/008_write_fewer_indexes.sql")),
    (
        "009_event_counts_from_the_index",
        include_str!("../../../migrations/009_event_counts_from_the_index.sql"),
    ),
    ("010_booking_search_text", include_str!("../../../migrations/010_booking_search_text.sql")),
    ("011_short_name_grams", include_str!("../../../migrations/011_short_name_grams.sql")),
    ("012_cancelled_bookings", include_str!("../../../migrations/012_cancelled_bookings.sql")),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn open_connection(path: &Path, options: &OpenOptions) -> Result<Connection, Error> {
    let unusable = |message: String| Error::Unusable { location: path.display().to_string(), message };
    if options.create {
        create_private_file(path).map_err(unusable)?;
    } else if !path.is_file() {
        // Before SQLite sees the path, which would create the file (and its -wal and -shm).
        return Err(Error::NoDatabase { location: path.display().to_string() });
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| unusable(explain(&e)))?;
    busy::install(&conn, options.busy, options.busy_timeout).map_err(|e| unusable(explain(&e)))?;
    if conn.is_readonly(MAIN_DB).unwrap_or(false) {
        return Err(unusable(
            "the file is read-only; eventdesk needs to write it (check its permissions)".into(),
        ));
    }
    let version = identify(&conn).map_err(unusable)?;
    configure(&conn, options).map_err(|e| unusable(explain(&e)))?;
    if version < SCHEMA_VERSION {
        migrate(&conn).map_err(unusable)?;
    }
    Ok(conn)
}

/// A new database file is created here, before SQLite sees it, so it is never world-readable;
/// SQLite gives the `-wal` and `-shm` files the same permissions.
fn create_private_file(path: &Path) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| format!("cannot create the folder {}: {e}", dir.display()))?;
    }
    match fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            // An empty file (e.g. made by `touch`) is a new database in all but name: make it
            // private before it holds password hashes. Best effort: a read-only file is refused
            // later, with its own message.
            if fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
                let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
            }
            Ok(())
        }
        Err(e) => Err(format!("cannot create the database file: {e}")),
    }
}

/// Reads the header fields without writing anything, and refuses files that are not ours or
/// are newer than this binary, leaving them untouched. One statement, so another process's
/// migration cannot commit between the reads.
fn identify(conn: &Connection) -> Result<i64, String> {
    let (version, app_id, tables) = read_identity(conn).map_err(|e| explain(&e))?;
    check_identity(version, app_id, tables)?;
    Ok(version)
}

fn read_identity(conn: &Connection) -> rusqlite::Result<(i64, i64, i64)> {
    conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version), \
                (SELECT application_id FROM pragma_application_id), \
                (SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

fn check_identity(version: i64, app_id: i64, tables: i64) -> Result<(), String> {
    let ours = app_id == i64::from(APPLICATION_ID);
    if (app_id != 0 && !ours) || (version == 0 && tables > 0) || (version > 0 && !ours) {
        return Err("this is an SQLite database, but not an eventdesk one; pass another --db path".into());
    }
    if version > SCHEMA_VERSION {
        return Err(format!(
            "this database has schema version {version}, newer than this eventdesk supports ({SCHEMA_VERSION}); \
             upgrade eventdesk"
        ));
    }
    Ok(())
}

/// The page size of a new file; an existing one keeps its own (`eventdesk copy` writes a new
/// one). A booking commit writes each page it changed, whole, to the WAL and syncs it: eight
/// pages (the event, the booking, the history row and their five indexes). At 1 KiB that is a
/// quarter of the bytes of SQLite's default 4 KiB, and the raw booking transaction on this
/// schema costs ~30 % less (docs/PERFORMANCE.md (1)); the app's keys and its cold start stay
/// within noise (section (3)). Filling a million rows in one go is slower: `generate` at 1 M
/// bookings takes 77 s instead of 45 s.
const PAGE_SIZE: i64 = 1024;

/// Per-connection settings; pragmas that change the journal must run outside transactions.
fn configure(conn: &Connection, options: &OpenOptions) -> rusqlite::Result<()> {
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    let mode = switch_to_wal(conn, options.busy_timeout)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "the database cannot use write-ahead logging (journal mode {mode}); keep it on a local disk"
        )));
    }
    // A booking confirmed to a customer must survive a power cut.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if let Some(kib) = options.page_cache_kib {
        // A negative size is in KiB rather than pages, whatever the file's page size.
        conn.pragma_update(None, "cache_size", -i64::from(kib))?;
    }
    Ok(())
}

/// Switching a new file to WAL needs an exclusive lock, and SQLite reports busy at once instead
/// of calling the busy handler when several processes switch together: retry until the timeout.
fn switch_to_wal(conn: &Connection, timeout: Duration) -> rusqlite::Result<String> {
    let deadline = Instant::now() + timeout;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Err(e) if is_busy(&e) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1))
            }
            outcome => return outcome,
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

/// Applies every missing migration in one IMMEDIATE transaction; a second process that opened
/// the same new file waits for the lock, then finds the work done.
fn migrate(conn: &Connection) -> Result<(), String> {
    let run = || -> rusqlite::Result<Result<(), String>> {
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let (version, app_id, tables) = read_identity(&tx)?;
        if let Err(refusal) = check_identity(version, app_id, tables) {
            return Ok(Err(refusal));
        }
        let start = usize::try_from(version).unwrap_or(0);
        let upgrading = start < MIGRATIONS.len();
        if upgrading {
            // An upgrade may build the postings of every attendee in one sorted insert.
            tx.pragma_update(None, "threads", super::bulk::sort_threads())?;
        }
        for (i, (_, sql)) in MIGRATIONS.iter().enumerate().skip(start) {
            tx.execute_batch(sql)?;
            if i + 1 == unicode::VERSION {
                unicode::after_sql(&tx)?;
            }
        }
        if upgrading {
            tx.pragma_update(None, "threads", 0)?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(Ok(()))
    };
    run().map_err(|e| explain(&e))?
}

/// What to do about SQLITE_IOERR, which says only "disk I/O error".
pub(super) const IO_FAILURE: &str =
    "disk I/O error: check that the disk has free space and is working, then try again";

/// One line about an error met while opening, saying what to do.
fn explain(e: &rusqlite::Error) -> String {
    let code = match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    };
    match code {
        Some(ErrorCode::NotADatabase) => {
            "not a database file (or it is corrupt); pass another --db path".into()
        }
        Some(ErrorCode::DatabaseCorrupt) => "the database file is corrupt; restore it from a backup".into(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "the database is busy, try again (another program holds a lock on it)".into()
        }
        Some(ErrorCode::ReadOnly) => {
            "the file or its folder is read-only; eventdesk needs to write both".into()
        }
        Some(ErrorCode::CannotOpen) => {
            "cannot open the file: check that it and its folder exist and are writable".into()
        }
        Some(ErrorCode::DiskFull) => "the disk is full; free some space and try again".into(),
        // A full disk shows up here when the shared-memory file cannot grow.
        Some(ErrorCode::SystemIoFailure) => IO_FAILURE.into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_rules() {
        let ours = i64::from(APPLICATION_ID);
        assert!(check_identity(0, 0, 0).is_ok(), "a new empty file is migrated");
        assert!(check_identity(SCHEMA_VERSION, ours, 5).is_ok());
        assert!(check_identity(0, 0, 3).unwrap_err().contains("not an eventdesk"));
        assert!(check_identity(1, 0, 3).unwrap_err().contains("not an eventdesk"));
        assert!(check_identity(SCHEMA_VERSION + 1, ours, 5).unwrap_err().contains("newer"));
    }

    fn page_size(path: &Path) -> i64 {
        Connection::open(path).unwrap().query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_new_file_gets_small_pages_and_an_old_one_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.db");
        drop(open_connection(&new, &OpenOptions::default()).unwrap());
        assert_eq!(page_size(&new), PAGE_SIZE);

        // A file made by an eventdesk of SQLite's default page size, with a row in it.
        let old = dir.path().join("old.db");
        drop(open_connection(&old, &OpenOptions::default()).unwrap());
        let conn = Connection::open(&old).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.pragma_update(None, "page_size", 4096).unwrap();
        conn.execute_batch("VACUUM").unwrap();
        conn.execute("INSERT INTO operators (username, password_hash, role, name, created_at) VALUES ('o', 'h', 'desk', 'O', 0)", [])
            .unwrap();
        drop(conn);
        assert_eq!(page_size(&old), 4096);
        let reopened = open_connection(&old, &OpenOptions::default()).unwrap();
        assert_eq!(page_size(&old), 4096, "opening does not rewrite the file");
        let n: i64 = reopened.query_row("SELECT count(*) FROM operators", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn the_page_cache_is_sqlites_unless_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let cache = |options: &OpenOptions| -> i64 {
            let conn = open_connection(&path, options).unwrap();
            conn.query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap()
        };
        assert_eq!(cache(&OpenOptions::default()), -2000, "SQLite's default, 2 000 KiB");
        let bigger = OpenOptions { page_cache_kib: Some(8192), ..OpenOptions::default() };
        assert_eq!(cache(&bigger), -8192);
    }
}
