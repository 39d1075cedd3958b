//! Starting many processes at one instant, without sleeps: every child's stdin is the read end
//! of one pipe. A child sets itself up, prints `ready`, then blocks reading stdin; once all are
//! ready the parent closes the only write end, and every child sees end-of-file together.

use std::io::{self, BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

/// The line a child prints when it is set up and about to wait for the start.
pub const READY: &str = "ready";

/// What one child printed after the start, and how it ended.
#[derive(Debug, Clone)]
pub struct Finished {
    /// Whether it reached the start line (printed `ready`) before it was released.
    pub was_ready: bool,
    /// Standard output after the `ready` line.
    pub stdout: String,
    pub stderr: String,
    pub success: bool,
}

/// Spawns every command, waits until each has printed `ready` (or died), releases them all at
/// once, and collects their output in the order given.
pub fn start_together(commands: Vec<Command>) -> io::Result<Vec<Finished>> {
    let (reader, writer) = io::pipe()?;
    let mut children = Vec::with_capacity(commands.len());
    for mut command in commands {
        command.stdin(reader.try_clone()?).stdout(Stdio::piped()).stderr(Stdio::piped());
        // The command (and its copy of the read end) is dropped right after spawning.
        children.push(command.spawn()?);
    }
    drop(reader);
    let mut waiting = Vec::with_capacity(children.len());
    for child in &mut children {
        waiting.push(wait_ready(child)?);
    }
    // The release: the last write end closes, every blocked read returns end-of-file.
    drop(writer);
    children.into_iter().zip(waiting).map(|(child, (out, ready))| finish(child, out, ready)).collect()
}

fn wait_ready(child: &mut Child) -> io::Result<(Option<BufReader<std::process::ChildStdout>>, bool)> {
    let Some(stdout) = child.stdout.take() else {
        return Ok((None, false));
    };
    let mut out = BufReader::new(stdout);
    let mut line = String::new();
    out.read_line(&mut line)?;
    Ok((Some(out), line.trim_end() == READY))
}

fn finish(
    child: Child,
    out: Option<BufReader<std::process::ChildStdout>>,
    was_ready: bool,
) -> io::Result<Finished> {
    let mut stdout = String::new();
    if let Some(mut out) = out {
        out.read_to_string(&mut stdout)?;
    }
    // stdout is taken, so this reads only stderr and waits for the exit.
    let output = child.wait_with_output()?;
    Ok(Finished {
        was_ready,
        stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        success: output.status.success(),
    })
}

/// The child's side: announce readiness, then block until the parent releases everyone.
pub fn wait_for_start() -> io::Result<()> {
    use std::io::Write;
    let mut out = io::stdout().lock();
    writeln!(out, "{READY}")?;
    out.flush()?;
    drop(out);
    io::stdin().lock().read_to_end(&mut Vec::new())?;
    Ok(())
}
