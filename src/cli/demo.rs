//! `eventdesk demo`: create (or reuse, or reset) the demo database, print its sign-ins and open
//! the terminal app on it as the demo desk account.

use std::io::{ErrorKind, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;
use serde_json::json;

use super::Context;
use super::context::data_dir;
use super::output::{self, Align, Table};
use crate::demo::{self, DemoLogin};
use crate::model::{Role, sanitize_display};
use crate::store::Store;

/// The demo file's name in the user data directory, apart from the everyday database.
const DEMO_FILE: &str = "eventdesk-demo.db";

/// `eventdesk demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Delete the demo database (and its -wal/-shm files) and seed a fresh one
    #[arg(long)]
    pub reset: bool,
    /// Only create and print; do not open the terminal app
    #[arg(long)]
    pub no_open: bool,
}

/// Only `--db` moves the demo; `EVENTDESK_DB` is ignored so the demo never seeds (or, with
/// `--reset`, deletes) the everyday database an environment points at.
pub fn run(ctx: &Context, args: &DemoArgs) -> anyhow::Result<()> {
    let path = match ctx.db_flag() {
        Some(path) => path.to_path_buf(),
        None => data_dir()?.join(DEMO_FILE),
    };
    if args.reset {
        remove_database(&path)?;
    }
    let mut store = Store::open(&path)?;
    let reused = demo::is_seeded(&store)?;
    let seeded = if reused { None } else { Some(demo::seed(&mut store)?) };
    let accounts = demo::accounts()?;
    if ctx.json {
        output::json(&json!({ "path": path, "reused": reused, "accounts": accounts, "seeded": seeded }))?;
    } else {
        output::emit(&describe(&path, reused, &accounts))?;
    }
    if args.no_open || !std::io::stdout().is_terminal() {
        return Ok(());
    }
    let desk = demo::desk_login()?;
    let session = store.login(&desk.username, &desk.password)?;
    crate::tui::run(store, Some(session))
}

/// Removes the database file and its WAL companions; missing files are fine.
fn remove_database(path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = PathBuf::from(name);
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot remove {}", file.display()));
            }
            _ => {}
        }
    }
    Ok(())
}

fn describe(path: &Path, reused: bool, accounts: &[DemoLogin]) -> String {
    let what = if reused { "reusing the demo database" } else { "created a demo database" };
    let mut text = format!("{what}: {}\n", sanitize_display(&path.display().to_string()));
    if reused {
        text.push_str("(events were placed relative to when it was made; --reset places them again)\n");
    }
    let mut table =
        Table::new(&[("ROLE", Align::Left), ("USERNAME", Align::Left), ("PASSWORD", Align::Left)]);
    for a in accounts {
        table.row(vec![a.role.as_str().to_string(), a.username.clone(), a.password.clone()]);
    }
    text.push('\n');
    text.push_str(&table.render(""));
    if let Some(desk) = accounts.iter().find(|a| a.role == Role::Desk) {
        text.push_str(&format!(
            "\ntry: EVENTDESK_PASSWORD={} eventdesk --db '{}' --user {} event list\n",
            desk.password,
            sanitize_display(&path.display().to_string()),
            desk.username
        ));
    }
    text
}
