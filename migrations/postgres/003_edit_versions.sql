-- eventdesk schema for PostgreSQL, version 3: edits carry the version they were based on
-- (SQLite's 005).
--
-- `version` counts the edits of a row's own fields (never a booking's change to `booked`), so a
-- form opened at version N can be refused when another desk saved N + 1 in the meantime.
-- Existing rows start at 1, as a new row does.

ALTER TABLE events ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CONSTRAINT events_version_positive CHECK (version >= 1);
ALTER TABLE attendees ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CONSTRAINT attendees_version_positive CHECK (version >= 1);
