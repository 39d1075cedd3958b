//! `init` and `register`: the database file and the operator accounts.

use std::io::IsTerminal;

use clap::{Args, ValueEnum};
use serde_json::json;

use super::Context;
use super::context::env_password;
use super::output;
use crate::model::{Error, Field, NewOperator, Role, sanitize_display};

/// `eventdesk register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// organizer (runs events) or desk (books attendees)
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Sign-in name: 3–32 letters, digits, '.', '_' or '-'
    #[arg(long)]
    pub username: String,
    /// Display name [default: the username]
    #[arg(long, default_value = "")]
    pub name: String,
    #[arg(long, default_value = "")]
    pub email: String,
    /// Organization name (organizers)
    #[arg(long, default_value = "")]
    pub org: String,
    /// Business address (organizers)
    #[arg(long, default_value = "")]
    pub address: String,
}

/// The role as typed on the command line; clap rejects anything else with a usage error.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Organizer,
    Desk,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Organizer => Role::Organizer,
            RoleArg::Desk => Role::Desk,
        }
    }
}

/// `eventdesk init`: opening the store creates and migrates the file.
pub fn init(ctx: &Context) -> anyhow::Result<()> {
    let location = ctx.store()?.location().to_string();
    if ctx.json {
        return output::json(&json!({ "path": location }));
    }
    output::line(format!("database ready: {}", sanitize_display(&location)))
}

/// `eventdesk register`: creates an operator account.
pub fn register(ctx: &Context, args: &RegisterArgs) -> anyhow::Result<()> {
    let new = NewOperator {
        username: args.username.clone(),
        password: new_password(&args.username)?,
        role: Some(args.role.into()),
        name: args.name.clone(),
        email: args.email.clone(),
        organization: args.org.clone(),
        address: args.address.clone(),
    };
    let operator = ctx.store()?.register(&new)?;
    if ctx.json {
        return output::json(&operator);
    }
    output::line(format!(
        "registered {} {} (id {})",
        operator.role.as_str(),
        sanitize_display(&operator.username),
        operator.id
    ))
}

/// The new account's password: `EVENTDESK_PASSWORD`, else typed twice at a terminal.
fn new_password(username: &str) -> anyhow::Result<String> {
    if let Some(password) = env_password()? {
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(Field::Password, "set EVENTDESK_PASSWORD or run in a terminal").into());
    }
    let first = rpassword::prompt_password(format!("new password for {username}: "))?;
    let second = rpassword::prompt_password("repeat the password: ")?;
    if first != second {
        return Err(Error::invalid(Field::Password, "the two passwords differ").into());
    }
    Ok(first)
}
