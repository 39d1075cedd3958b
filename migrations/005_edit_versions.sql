-- eventdesk schema, version 5: edits carry the version they were based on.
--
-- `version` counts the edits of a row's own fields (never a booking's change to `booked`), so a
-- form opened at version N can be refused when another desk saved N + 1 in the meantime.
-- Existing rows start at 1, as a new row does.

ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE attendees ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
