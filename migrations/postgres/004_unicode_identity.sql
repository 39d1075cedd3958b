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
-- Deferred: a copy inserts attendees in id order, and one may be merged into a later one.
ALTER TABLE attendees ADD COLUMN merged_into BIGINT REFERENCES attendees (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE events ADD COLUMN title_fold TEXT;

-- The trigram indexes move to the fold columns once they are filled (see the hook).
DROP INDEX attendees_search_name;
DROP INDEX attendees_search_email;

-- A merge hands the merged attendee's waiting-list entries to the one kept: the only change to
-- an entry allowed besides leaving the list, and only to the attendee its own was merged into.
-- (A trigger's WHEN cannot hold a subquery, so the function decides.)
CREATE OR REPLACE FUNCTION waitlist_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id = OLD.id AND NEW.event_id = OLD.event_id AND NEW.status = OLD.status
       AND NEW.joined_at = OLD.joined_at AND NEW.left_at IS NOT DISTINCT FROM OLD.left_at
       AND EXISTS (SELECT 1 FROM attendees WHERE id = OLD.attendee_id AND merged_into = NEW.attendee_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'waiting-list entries are append-only; an entry leaves the list once'
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'waitlist_append_only';
END $$;
