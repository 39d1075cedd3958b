-- eventdesk schema, version 10: a Bookings search reads the bookings table alone.
--
-- The search matches the attendee's name or email or the event's title. Walking the bookings
-- newest first and looking each one's attendee and event up cost two random descents a row,
-- into a million attendees and a hundred thousand events: "Priya" (101 matches counted, ~1 600
-- bookings read) took 1.9 ms at a million bookings against 1.0 ms at ten thousand, in the
-- `sqlite3` shell. Each booking now carries the three folded fields it is searched by,
-- joined by U+001F (no searched field holds a control character, and a search for one matches
-- nothing: store::sql::contains_pattern), so the walk reads consecutive rows of one table:
-- 0.26 ms at both sizes.
--
-- Kept by triggers, so every writer keeps it in step: a booking inserted without it gets it
-- (the store, the generator and `copy` write it in the INSERT itself), a moved or merged booking
-- is rewritten, and so are an attendee's bookings when the name or email changes and an event's
-- when its title does. `eventdesk check` compares every row with what it should hold.
ALTER TABLE bookings ADD COLUMN search_fold TEXT;

UPDATE bookings SET search_fold =
    (SELECT coalesce(a.name_fold, '') || char(31) || coalesce(a.email_canonical, '')
       FROM attendees a WHERE a.id = bookings.attendee_id)
    || char(31) || (SELECT coalesce(e.title_fold, '') FROM events e WHERE e.id = bookings.event_id);

CREATE TRIGGER bookings_search_insert AFTER INSERT ON bookings
WHEN NEW.search_fold IS NULL
BEGIN
    UPDATE bookings SET search_fold =
        (SELECT coalesce(a.name_fold, '') || char(31) || coalesce(a.email_canonical, '')
           FROM attendees a WHERE a.id = NEW.attendee_id)
        || char(31) || (SELECT coalesce(e.title_fold, '') FROM events e WHERE e.id = NEW.event_id)
     WHERE id = NEW.id;
END;

CREATE TRIGGER bookings_search_update AFTER UPDATE OF attendee_id, event_id ON bookings
BEGIN
    UPDATE bookings SET search_fold =
        (SELECT coalesce(a.name_fold, '') || char(31) || coalesce(a.email_canonical, '')
           FROM attendees a WHERE a.id = NEW.attendee_id)
        || char(31) || (SELECT coalesce(e.title_fold, '') FROM events e WHERE e.id = NEW.event_id)
     WHERE id = NEW.id;
END;

CREATE TRIGGER bookings_search_attendee AFTER UPDATE OF name_fold, email_canonical ON attendees
WHEN OLD.name_fold IS NOT NEW.name_fold OR OLD.email_canonical IS NOT NEW.email_canonical
BEGIN
    UPDATE bookings SET search_fold =
        coalesce(NEW.name_fold, '') || char(31) || coalesce(NEW.email_canonical, '')
        || char(31) || (SELECT coalesce(e.title_fold, '') FROM events e WHERE e.id = bookings.event_id)
     WHERE attendee_id = NEW.id;
END;

CREATE TRIGGER bookings_search_event AFTER UPDATE OF title_fold ON events
WHEN OLD.title_fold IS NOT NEW.title_fold
BEGIN
    UPDATE bookings SET search_fold =
        (SELECT coalesce(a.name_fold, '') || char(31) || coalesce(a.email_canonical, '')
           FROM attendees a WHERE a.id = bookings.attendee_id)
        || char(31) || coalesce(NEW.title_fold, '')
     WHERE event_id = NEW.id;
END;

-- The Events lists' searches test title_fold on the index entries they walk, instead of
-- reading each entry's table row (an organizer's "Rus" at 100 000 events: ~400 entries for a
-- count of 101).
DROP INDEX events_by_start;
CREATE INDEX events_by_start ON events (starts_at, deleted_at, title_fold) WHERE deleted_at IS NULL;
DROP INDEX events_by_creator;
CREATE INDEX events_by_creator ON events (creator_id, starts_at, ends_at, deleted_at, title_fold)
    WHERE deleted_at IS NULL;
