-- eventdesk schema, version 1.
-- Times are INTEGER seconds since the Unix epoch, UTC. Nothing is ever hard-deleted: events get
-- deleted_at, bookings get status 'cancelled', history is append-only.

CREATE TABLE operators (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('organizer', 'desk')),
    name          TEXT    NOT NULL,
    email         TEXT,
    organization  TEXT,
    address       TEXT,
    failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until  INTEGER,
    created_at    INTEGER NOT NULL,
    CHECK (role <> 'organizer' OR (length(trim(organization)) > 0 AND length(trim(address)) > 0))
) STRICT;

CREATE TABLE attendees (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email      TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    phone      TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX attendees_by_name ON attendees (name COLLATE NOCASE, id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description TEXT    NOT NULL DEFAULT '',
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    capacity    INTEGER NOT NULL CHECK (capacity >= 1),
    -- Active bookings, kept by the triggers below so a page of events never counts bookings.
    booked      INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0),
    creator_id  INTEGER NOT NULL REFERENCES operators (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER,
    CHECK (ends_at > starts_at),
    CHECK (booked <= capacity)
) STRICT;

CREATE INDEX events_by_start ON events (starts_at) WHERE deleted_at IS NULL;
CREATE INDEX events_by_creator ON events (creator_id, starts_at) WHERE deleted_at IS NULL;

CREATE TABLE bookings (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id),
    attendee_id  INTEGER NOT NULL REFERENCES attendees (id),
    status       TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    booked_at    INTEGER NOT NULL,
    cancelled_at INTEGER
) STRICT;

CREATE UNIQUE INDEX bookings_one_active ON bookings (attendee_id, event_id) WHERE status = 'active';
CREATE INDEX bookings_by_event ON bookings (event_id, status);
CREATE INDEX bookings_by_attendee ON bookings (attendee_id, event_id);

-- The capacity guard: no insert, reactivation or move may take a seat that is not there.
CREATE TRIGGER bookings_guard_insert BEFORE INSERT ON bookings
WHEN NEW.status = 'active'
BEGIN
    SELECT RAISE(ABORT, 'event full')
    WHERE (SELECT booked >= capacity FROM events WHERE id = NEW.event_id);
END;

CREATE TRIGGER bookings_guard_update BEFORE UPDATE OF status, event_id ON bookings
WHEN NEW.status = 'active' AND (OLD.status <> 'active' OR OLD.event_id <> NEW.event_id)
BEGIN
    SELECT RAISE(ABORT, 'event full')
    WHERE (SELECT booked >= capacity FROM events WHERE id = NEW.event_id);
END;

CREATE TRIGGER bookings_count_insert AFTER INSERT ON bookings
WHEN NEW.status = 'active'
BEGIN
    UPDATE events SET booked = booked + 1 WHERE id = NEW.event_id;
END;

CREATE TRIGGER bookings_count_update AFTER UPDATE OF status, event_id ON bookings
WHEN OLD.status <> NEW.status OR OLD.event_id <> NEW.event_id
BEGIN
    UPDATE events SET booked = booked - 1 WHERE id = OLD.event_id AND OLD.status = 'active';
    UPDATE events SET booked = booked + 1 WHERE id = NEW.event_id AND NEW.status = 'active';
END;

CREATE TRIGGER bookings_never_deleted BEFORE DELETE ON bookings
BEGIN
    SELECT RAISE(ABORT, 'bookings are never deleted; cancel them');
END;

CREATE TRIGGER events_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are never deleted; set deleted_at');
END;

CREATE TRIGGER events_capacity_guard BEFORE UPDATE OF capacity ON events
WHEN NEW.capacity < OLD.booked
BEGIN
    SELECT RAISE(ABORT, 'capacity below active bookings');
END;

CREATE TABLE history (
    id          INTEGER PRIMARY KEY,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    object_kind TEXT    NOT NULL,
    object_id   INTEGER,
    details     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
    created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX history_by_actor ON history (actor, action, id);
CREATE INDEX history_by_object ON history (object_kind, object_id, id);
CREATE INDEX history_by_time ON history (created_at, id);
CREATE INDEX history_by_action ON history (action, id);

CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only');
END;

CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only');
END;
