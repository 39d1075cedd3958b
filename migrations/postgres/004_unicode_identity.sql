-- eventdesk schema for PostgreSQL, version 4: one person, one email, whatever the Unicode form
-- or case (SQLite's 006).
--
-- `email_canonical`, `name_fold` and `title_fold` hold the text in NFC with full case folding
-- (model::fold). `nocase()` folds ASCII only and SQLite has no folding at all, so the store
-- computes them in Rust on every insert and update, and the migration back-fills existing rows
-- in Rust right after this file (store/postgres/unicode.rs), in the same transaction, then
-- builds the indexes over them.
--
-- `merged_into` marks an attendee merged into another (`eventdesk attendee merge`): the row
-- stays, for history, but lists, searches and the email rule no longer see it.
ALTER TABLE attendees ADD COLUMN email_canonical TEXT;
ALTER TABLE attendees ADD COLUMN name_fold TEXT;
ALTER TABLE attendees ADD COLUMN merged_into BIGINT REFERENCES attendees (id);
ALTER TABLE events ADD COLUMN title_fold TEXT;

-- The trigram indexes move to the fold columns once they are filled (see the hook).
DROP INDEX attendees_search_name;
DROP INDEX attendees_search_email;
