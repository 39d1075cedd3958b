//! The canonical form text is compared in: Unicode NFC, then full case folding.
//!
//! `élodie@`, `ÉLODIE@` and `élodie@` typed with a combining accent are one address;
//! `straße` and `STRASSE` are one word. The store computes these forms in Rust on every write,
//! so both engines compare exactly the same strings (neither database folds all of Unicode).

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;

/// NFC, full case folding, NFC again: folding can leave a string unnormalized (a folded
/// letter followed by a combining mark), and the canonical form must be one string.
pub fn fold(text: &str) -> String {
    text.nfc().default_case_fold().nfc().collect()
}

/// The form an email is compared by: folded and trimmed (an address is stored as typed).
pub fn canonical_email(email: &str) -> String {
    fold(email.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_in_every_form() {
        let nfd = "e\u{301}lodie@example.org";
        for form in ["élodie@example.org", "ÉLODIE@example.org", nfd, "E\u{301}LODIE@Example.org"] {
            assert_eq!(canonical_email(form), "élodie@example.org", "{form:?}");
        }
        assert_eq!(fold("straße"), fold("STRASSE"));
        assert_ne!(fold("strase"), fold("straße"));
    }
}
