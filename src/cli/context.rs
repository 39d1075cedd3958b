//! What every command needs: the database (opened once, on first use), the signed-in operator
//! and the output mode.

use std::cell::OnceCell;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};

use crate::model::{Error, Session};
use crate::store::{Location, OpenOptions, Store};

/// The file name of the everyday database inside the user data directory.
const DB_FILE: &str = "eventdesk.db";
const NO_PASSWORD: &str = "not signed in: set EVENTDESK_PASSWORD or run in a terminal";

/// Global options plus the lazily opened store, shared by all commands.
pub struct Context {
    db: Option<PathBuf>,
    user: Option<String>,
    pub json: bool,
    /// Whether a missing SQLite file may be created (only `init`); every other command
    /// refuses a path where no database is, so a typo never makes an empty one.
    create: bool,
    store: OnceCell<Store>,
}

impl Context {
    pub fn new(db: Option<PathBuf>, user: Option<String>, json: bool) -> Self {
        Self { db, user, json, create: false, store: OnceCell::new() }
    }

    /// Lets this context create the database file when none is there (`eventdesk init`).
    #[must_use]
    pub fn creating(self) -> Self {
        Self { create: true, ..self }
    }

    /// The path given with `--db`, if any (the demo ignores `EVENTDESK_DB` on purpose).
    pub fn db_flag(&self) -> Option<&Path> {
        self.db.as_deref()
    }

    /// The store, opened (and migrated) on first use; created only by a `creating` context.
    pub fn store(&self) -> anyhow::Result<&Store> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let options = OpenOptions { create: self.create, ..OpenOptions::default() };
        let store = Store::open_with(self.db_location()?, options)?;
        Ok(self.store.get_or_init(|| store))
    }

    /// Consumes the context, handing its store to a front end that owns it (the terminal app).
    pub fn into_store(self) -> anyhow::Result<Store> {
        self.store()?;
        self.store.into_inner().ok_or_else(|| anyhow!("internal: store vanished after opening"))
    }

    /// `--db`, else `EVENTDESK_DB`, else `eventdesk.db` in the user data directory: a
    /// PostgreSQL URL or an SQLite file.
    pub fn db_location(&self) -> anyhow::Result<Location> {
        let given = match &self.db {
            Some(path) => Some(path.clone()),
            None => std::env::var_os("EVENTDESK_DB").filter(|v| !v.is_empty()).map(PathBuf::from),
        };
        Ok(match given {
            Some(path) => location_of(path),
            None => Location::Sqlite(data_dir()?.join(DB_FILE)),
        })
    }

    /// Signs in for one command. A success writes no history row; every command would.
    pub fn session(&self) -> anyhow::Result<Session> {
        let Some(user) = self.user.as_deref().filter(|u| !u.trim().is_empty()) else {
            return Err(Error::Unauthenticated(
                "not signed in: pass --user NAME or set EVENTDESK_USER".into(),
            )
            .into());
        };
        let password = password(&format!("password for {user}: "))?;
        Ok(self.store()?.authenticate(user, &password)?)
    }

    /// The operator name given, if any (for the terminal app's sign-in).
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }
}

/// A URL is text; a path that is not UTF-8 can only be a file.
fn location_of(given: PathBuf) -> Location {
    match given.to_str() {
        Some(text) => Location::parse(text),
        None => Location::Sqlite(given),
    }
}

/// The per-user data directory (`~/.local/share/eventdesk` on Linux), created if missing.
pub fn data_dir() -> anyhow::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "eventdesk")
        .ok_or_else(|| anyhow!("no home directory to keep the database in; pass --db PATH"))?;
    let dir = dirs.data_dir().to_path_buf();
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// The password from `EVENTDESK_PASSWORD`, else a no-echo prompt when a person is at the keyboard.
pub fn password(prompt: &str) -> anyhow::Result<String> {
    if let Some(value) = env_password()? {
        return Ok(value);
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt).context("cannot read the password");
    }
    Err(Error::Unauthenticated(NO_PASSWORD.into()).into())
}

/// `EVENTDESK_PASSWORD` when set; a value that is not UTF-8 cannot be a password we stored.
pub fn env_password() -> anyhow::Result<Option<String>> {
    match std::env::var_os("EVENTDESK_PASSWORD") {
        None => Ok(None),
        Some(value) => value
            .into_string()
            .map(Some)
            .map_err(|_| Error::Unauthenticated("EVENTDESK_PASSWORD is not valid UTF-8".into()).into()),
    }
}

/// No command: open the terminal app, signed in when both user and password are in the
/// environment, else on its sign-in screen. The store opens first so a bad file fails here,
/// before the terminal is switched to raw mode.
pub fn open_app(ctx: Context) -> anyhow::Result<()> {
    let user = ctx.user().map(str::to_owned);
    let store = ctx.into_store()?;
    let session = match (user, env_password()?) {
        (Some(user), Some(password)) => Some(store.login(&user, &password)?),
        _ => None,
    };
    crate::tui::run(store, session)
}

/// Reads every page of a list. Stops on an empty page rather than a short one, so a store that
/// caps the page size below what was asked still returns every row.
pub fn all_pages<T>(
    fetch: impl FnMut(crate::store::Page) -> crate::model::Result<Vec<T>>,
) -> anyhow::Result<Vec<T>> {
    let mut rows = Vec::new();
    crate::export::each_page(fetch, |page| {
        rows.extend(page);
        Ok::<_, anyhow::Error>(true)
    })?;
    Ok(rows)
}
