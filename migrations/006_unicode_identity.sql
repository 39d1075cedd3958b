-- eventdesk schema, version 6: one person, one email, whatever the Unicode form or case.
--
-- `email_canonical`, `name_fold` and `title_fold` hold the text in NFC with full case folding
-- (model::fold). SQL cannot fold all of Unicode, so the store computes them in Rust on every
-- insert and update, and the migration back-fills existing rows in Rust right after this file
-- (store/sqlite/unicode.rs), in the same transaction, then builds the indexes over them.
--
-- `merged_into` marks an attendee merged into another (`eventdesk attendee merge`): the row
-- stays, for history, but lists, searches and the email rule no longer see it.
ALTER TABLE attendees ADD COLUMN email_canonical TEXT;
ALTER TABLE attendees ADD COLUMN name_fold TEXT;
ALTER TABLE attendees ADD COLUMN merged_into INTEGER REFERENCES attendees (id);
ALTER TABLE events ADD COLUMN title_fold TEXT;

-- The trigram index moves to the fold columns once they are filled (see the hook).
DROP TRIGGER attendees_search_insert;
DROP TRIGGER attendees_search_update;
DROP TRIGGER attendees_search_delete;
DROP TABLE attendees_search;
DROP INDEX attendees_by_name;
