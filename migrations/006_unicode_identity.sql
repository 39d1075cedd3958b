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
-- Deferred: a copy inserts attendees in id order, and one may be merged into a later one.
ALTER TABLE attendees ADD COLUMN merged_into INTEGER REFERENCES attendees (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE events ADD COLUMN title_fold TEXT;

-- The trigram index moves to the fold columns once they are filled (see the hook).
DROP TRIGGER attendees_search_insert;
DROP TRIGGER attendees_search_update;
DROP TRIGGER attendees_search_delete;
DROP TABLE attendees_search;
DROP INDEX attendees_by_name;

-- A merge hands the merged attendee's waiting-list entries to the one kept: the only change to
-- an entry allowed besides leaving the list, and only to the attendee its own was merged into.
DROP TRIGGER waitlist_append_only;
CREATE TRIGGER waitlist_append_only BEFORE UPDATE ON waitlist
WHEN (OLD.status <> 'waiting' OR NEW.status = 'waiting' OR NEW.id <> OLD.id OR NEW.event_id <> OLD.event_id
  OR NEW.attendee_id <> OLD.attendee_id OR NEW.joined_at <> OLD.joined_at)
  AND NOT (NEW.id = OLD.id AND NEW.event_id = OLD.event_id AND NEW.status = OLD.status
       AND NEW.joined_at = OLD.joined_at AND NEW.left_at IS OLD.left_at
       AND NEW.attendee_id = (SELECT merged_into FROM attendees WHERE id = OLD.attendee_id))
BEGIN
    SELECT RAISE(ABORT, 'waiting-list entries are append-only; an entry leaves the list once');
END;
