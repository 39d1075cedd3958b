-- eventdesk schema, version 6 on PostgreSQL: a Bookings search reads the bookings table alone
-- (as SQLite's version 10; see migrations/010_booking_search_text.sql for the design).
--
-- Each booking carries its attendee's name_fold and email_canonical and its event's title_fold,
-- joined by U+001F, so the newest-first walk of a search tests one column of one table instead
-- of joining two others for every row it reads.
--
-- Kept by triggers: a row trigger fills it in before a booking is inserted without it (the
-- store and the generator write it in the INSERT itself, so theirs never runs) or moved to
-- another attendee or event; an attendee's bookings are rewritten when the name or email
-- changes, an event's when its title does.
ALTER TABLE bookings ADD COLUMN search_fold TEXT;

CREATE FUNCTION booking_search_fold(attendee BIGINT, event BIGINT) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT (SELECT coalesce(a.name_fold, '') || chr(31) || coalesce(a.email_canonical, '')
                    FROM attendees a WHERE a.id = attendee)
                 || chr(31) || (SELECT coalesce(e.title_fold, '') FROM events e WHERE e.id = event) $$;

UPDATE bookings b SET search_fold =
    coalesce(a.name_fold, '') || chr(31) || coalesce(a.email_canonical, '') || chr(31) || coalesce(e.title_fold, '')
  FROM attendees a, events e
 WHERE a.id = b.attendee_id AND e.id = b.event_id;

CREATE FUNCTION bookings_search_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_fold := booking_search_fold(NEW.attendee_id, NEW.event_id);
    RETURN NEW;
END $$;

CREATE TRIGGER bookings_search_insert BEFORE INSERT ON bookings
    FOR EACH ROW WHEN (NEW.search_fold IS NULL) EXECUTE FUNCTION bookings_search_fill();
CREATE TRIGGER bookings_search_update BEFORE UPDATE OF attendee_id, event_id ON bookings
    FOR EACH ROW EXECUTE FUNCTION bookings_search_fill();

CREATE FUNCTION bookings_search_attendee() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bookings b SET search_fold =
        coalesce(NEW.name_fold, '') || chr(31) || coalesce(NEW.email_canonical, '') || chr(31)
        || (SELECT coalesce(e.title_fold, '') FROM events e WHERE e.id = b.event_id)
     WHERE b.attendee_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER bookings_search_attendee AFTER UPDATE OF name_fold, email_canonical ON attendees
    FOR EACH ROW
    WHEN (OLD.name_fold IS DISTINCT FROM NEW.name_fold OR OLD.email_canonical IS DISTINCT FROM NEW.email_canonical)
    EXECUTE FUNCTION bookings_search_attendee();

CREATE FUNCTION bookings_search_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bookings b SET search_fold =
        (SELECT coalesce(a.name_fold, '') || chr(31) || coalesce(a.email_canonical, '')
           FROM attendees a WHERE a.id = b.attendee_id)
        || chr(31) || coalesce(NEW.title_fold, '')
     WHERE b.event_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER bookings_search_event AFTER UPDATE OF title_fold ON events
    FOR EACH ROW WHEN (OLD.title_fold IS DISTINCT FROM NEW.title_fold)
    EXECUTE FUNCTION bookings_search_event();

ANALYZE bookings;
