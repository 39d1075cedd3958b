//! The `eventdesk` binary: parse the command line, run it, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;
use eventdesk::cli::{self, Cli};

fn main() -> ExitCode {
    // clap prints its own usage errors and exits 2 (help and version exit 0).
    let args = Cli::parse();
    if let Err(usage) = args.check() {
        usage.exit();
    }
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            cli::report(&err);
            ExitCode::from(cli::exit_code(&err))
        }
    }
}
