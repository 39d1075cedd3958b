//! libpq's password file (`~/.pgpass`, or `PGPASSFILE`).
//!
//! Each line is `host:port:database:user:password`; `*` in any of the first four fields matches
//! anything, `\:` and `\\` stand for a literal colon and backslash, `#` starts a comment line,
//! and the first matching line wins. Like libpq, a file that its group or others can read is
//! ignored: a password file anyone can read is a leak, not a secret.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// The connection a password is wanted for.
pub struct Key<'a> {
    pub host: String,
    pub port: u16,
    pub dbname: &'a str,
    pub user: &'a str,
}

/// The password the file holds for `key`, if the file exists, is private, and has a match.
pub fn lookup(file: &Path, key: &Key<'_>) -> Option<String> {
    let meta = fs::metadata(file).ok()?;
    if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 {
        return None;
    }
    let text = fs::read_to_string(file).ok()?;
    find(&text, key)
}

/// The first line of `text` matching `key`.
pub fn find(text: &str, key: &Key<'_>) -> Option<String> {
    let port = key.port.to_string();
    let wanted = [key.host.as_str(), port.as_str(), key.dbname, key.user];
    text.lines().filter(|l| !l.starts_with('#')).find_map(|line| {
        let fields = fields(line)?;
        let matches = fields[..4].iter().zip(wanted).all(|(field, want)| field == "*" || field == want);
        matches.then(|| fields[4].clone())
    })
}

/// Splits a line into its five fields, undoing the escapes; `None` for a malformed line.
fn fields(line: &str) -> Option<[String; 5]> {
    let mut fields: Vec<String> = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut()?.push(chars.next().unwrap_or('\\')),
            ':' => fields.push(String::new()),
            c => fields.last_mut()?.push(c),
        }
    }
    // libpq ends the password at the next unescaped colon and ignores what follows.
    fields.truncate(5);
    fields.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(host: &str) -> Key<'static> {
        Key { host: host.into(), port: 5432, dbname: "eventdesk", user: "desk" }
    }

    #[test]
    fn the_first_matching_line_wins() {
        let text =
            "# comment\nother:5432:eventdesk:desk:no\n127.0.0.1:5432:eventdesk:desk:first\n*:*:*:*:second\n";
        assert_eq!(find(text, &key("127.0.0.1")).as_deref(), Some("first"));
        assert_eq!(find(text, &key("db.example")).as_deref(), Some("second"));
    }

    #[test]
    fn wildcards_match_any_field_but_only_whole_fields() {
        let text = "*:5432:*:desk:pw\n";
        assert_eq!(find(text, &key("anything")).as_deref(), Some("pw"));
        assert_eq!(find("*:5433:*:desk:pw\n", &key("h")), None);
        assert_eq!(find("h*:5432:*:desk:pw\n", &key("host")), None);
    }

    #[test]
    fn escaped_colons_and_backslashes() {
        let text = "fe80\\:\\:1:5432:eventdesk:desk:p\\:w\\\\x\n";
        assert_eq!(find(text, &key("fe80::1")).as_deref(), Some("p:w\\x"));
    }

    #[test]
    fn a_malformed_line_is_skipped() {
        assert_eq!(find("just:three:fields\n*:*:*:*:ok\n", &key("h")).as_deref(), Some("ok"));
    }

    #[test]
    fn a_readable_file_is_ignored_a_private_one_is_used() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("pgpass");
        fs::write(&file, "*:*:*:*:secret\n").expect("write");
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).expect("chmod");
        assert_eq!(lookup(&file, &key("h")), None, "group/world-readable files are ignored");
        fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).expect("chmod");
        assert_eq!(lookup(&file, &key("h")).as_deref(), Some("secret"));
        assert_eq!(lookup(&dir.path().join("missing"), &key("h")), None);
    }
}
