//! Hostile text for the property tests: arbitrary Unicode plus the fragments that have broken
//! real terminal apps and SQL layers (escape sequences, bidi overrides, NUL, wildcards, quotes).

#![allow(dead_code)] // each test crate uses a different subset

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseResult, TestRunner};

/// The fragments hostile strings are assembled from.
pub const FRAGMENTS: &[&str] = &[
    "\x1b[2J",
    "\x1b]0;owned\x07",
    "\x1b[31m",
    "\x1bP+q\x1b\\",
    "\u{9b}",
    "\0",
    "\t",
    "\n",
    "\r",
    "\x7f",
    " ",
    "\u{a0}",
    "\u{3000}",
    "\u{202e}",
    "\u{202d}",
    "\u{2066}",
    "\u{200f}",
    "\u{200e}",
    "\u{feff}",
    "\u{200b}",
    "\u{301}",
    "🎉",
    "👩‍👩‍👧",
    "🇪🇸",
    "日本語",
    "한국어",
    "עברית",
    "العربية",
    "%",
    "_",
    "'",
    "\"",
    ";--",
    "\\",
    "\\%",
    "' OR 1=1 --",
    "'); DROP TABLE events; --",
    "a",
    "Z",
    "7",
    "@",
    ".",
    "+",
    "-",
    "(",
    ")",
    "ä",
    "İ",
    "ß",
];

/// Arbitrary Unicode, fragment soups, whitespace-only and empty strings.
pub fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        4 => fragments(12),
        1 => "[ \t\n\u{a0}\u{3000}\u{2028}]{0,8}",
        1 => Just(String::new()),
        3 => "\\PC{1,60}",
    ]
}

/// Up to `max` fragments glued together.
pub fn fragments(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..max).prop_map(|v| v.concat())
}

/// Hostile text that is likely to pass a one-line validator (printable, bounded).
pub fn printable() -> impl Strategy<Value = String> {
    prop_oneof!["\\PC{1,60}", fragments(8).prop_filter("non-blank", |s| !s.trim().is_empty())]
}

/// Emails: well-formed addresses with hostile local parts, and hostile strings.
pub fn email() -> impl Strategy<Value = String> {
    prop_oneof![
        ("[a-zA-Z0-9._%+'-]{1,20}", "[a-z0-9-]{1,10}", "[a-z]{2,5}")
            .prop_map(|(l, d, t)| format!("{l}@{d}.{t}")),
        (fragments(5), "[a-z]{1,8}").prop_map(|(l, d)| format!("{l}@{d}.org")),
        hostile(),
    ]
}

/// Runs a property `cases` times (PROPTEST_CASES overrides it) and panics with the shrunk input.
pub fn check<S>(cases: u32, strategy: S, test: impl Fn(S::Value) -> TestCaseResult)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

/// The independent oracle for one-line fields: what the validators are documented to accept.
pub fn one_line_ok(s: &str, max: usize) -> Option<String> {
    let t = s.trim();
    let n = t.chars().count();
    (n >= 1 && n <= max && !t.chars().any(char::is_control)).then(|| t.to_string())
}

/// 100 000 characters mixing every troublesome class.
pub fn huge() -> String {
    "日\u{202e}a\x1b[2J%_'\0🎉".chars().cycle().take(100_000).collect()
}
