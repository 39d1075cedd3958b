-- eventdesk schema, version 4: at the door. The waiting list of a full event, and check-ins.
--
-- Both are records, kept like bookings: nothing is ever deleted, and each row changes once at
-- most (an entry leaves the list; a check-in is undone), so the history of the door can be read
-- back from the rows themselves. The rules keep everything below; the triggers and indexes
-- refuse the same things to a raw `sqlite3` session.

CREATE TABLE waitlist (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id),
    attendee_id INTEGER NOT NULL REFERENCES attendees (id),
    status      TEXT    NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'promoted', 'removed')),
    joined_at   INTEGER NOT NULL,
    -- When the entry was promoted or removed; set exactly when it left the list.
    left_at     INTEGER,
    CHECK ((status = 'waiting') = (left_at IS NULL))
) STRICT;

-- An attendee waits for an event at most once at a time.
CREATE UNIQUE INDEX waitlist_one_waiting ON waitlist (attendee_id, event_id) WHERE status = 'waiting';
-- The queue: first come, first served. Promotion reads its head from here.
CREATE INDEX waitlist_queue ON waitlist (event_id, joined_at, id) WHERE status = 'waiting';
CREATE INDEX waitlist_by_attendee ON waitlist (attendee_id, event_id);

-- Someone holding a seat has nothing to wait for.
CREATE TRIGGER waitlist_not_booked BEFORE INSERT ON waitlist
WHEN NEW.status = 'waiting'
BEGIN
    SELECT RAISE(ABORT, 'the attendee already holds a seat on this event')
    WHERE EXISTS (SELECT 1 FROM bookings
                   WHERE attendee_id = NEW.attendee_id AND event_id = NEW.event_id AND status = 'active');
END;

-- An entry leaves the list once (waiting -> promoted or removed); nothing else about it changes.
CREATE TRIGGER waitlist_append_only BEFORE UPDATE ON waitlist
WHEN OLD.status <> 'waiting' OR NEW.status = 'waiting' OR NEW.id <> OLD.id OR NEW.event_id <> OLD.event_id
  OR NEW.attendee_id <> OLD.attendee_id OR NEW.joined_at <> OLD.joined_at
BEGIN
    SELECT RAISE(ABORT, 'waiting-list entries are append-only; an entry leaves the list once');
END;

CREATE TRIGGER waitlist_never_deleted BEFORE DELETE ON waitlist
BEGIN
    SELECT RAISE(ABORT, 'waiting-list entries are never deleted; remove them from the list');
END;

CREATE TABLE checkins (
    id            INTEGER PRIMARY KEY,
    booking_id    INTEGER NOT NULL REFERENCES bookings (id),
    checked_in_at INTEGER NOT NULL,
    -- The operator's username, as history keeps its actor.
    checked_in_by TEXT    NOT NULL,
    -- An undo is a timestamp on the check-in, never a DELETE.
    undone_at     INTEGER,
    undone_by     TEXT,
    CHECK ((undone_at IS NULL) = (undone_by IS NULL))
) STRICT;

-- At most one standing check-in per booking; undone ones stay beside it.
CREATE UNIQUE INDEX checkins_one_standing ON checkins (booking_id) WHERE undone_at IS NULL;

-- A check-in only for an active booking.
CREATE TRIGGER checkins_active_booking BEFORE INSERT ON checkins
WHEN NEW.undone_at IS NULL
BEGIN
    SELECT RAISE(ABORT, 'only an active booking can be checked in')
    WHERE (SELECT status FROM bookings WHERE id = NEW.booking_id) IS NOT 'active';
END;

-- A check-in is undone once; nothing else about it changes.
CREATE TRIGGER checkins_append_only BEFORE UPDATE ON checkins
WHEN OLD.undone_at IS NOT NULL OR NEW.undone_at IS NULL OR NEW.id <> OLD.id OR NEW.booking_id <> OLD.booking_id
  OR NEW.checked_in_at <> OLD.checked_in_at OR NEW.checked_in_by <> OLD.checked_in_by
BEGIN
    SELECT RAISE(ABORT, 'check-ins are append-only; undo one by setting undone_at once');
END;

CREATE TRIGGER checkins_never_deleted BEFORE DELETE ON checkins
BEGIN
    SELECT RAISE(ABORT, 'check-ins are never deleted; undo them');
END;

-- The attendee is in the room: their booking can be neither cancelled nor moved until the
-- check-in is undone.
CREATE TRIGGER bookings_checked_in_guard BEFORE UPDATE OF status, event_id ON bookings
WHEN OLD.status <> NEW.status OR OLD.event_id <> NEW.event_id
BEGIN
    SELECT RAISE(ABORT, 'checked in: undo the check-in first')
    WHERE EXISTS (SELECT 1 FROM checkins WHERE booking_id = OLD.id AND undone_at IS NULL);
END;
