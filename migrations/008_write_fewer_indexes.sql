-- eventdesk schema, version 8: indexes a booking commit writes only where they pay their way.
--
-- A booking commit writes every page it changes, and each index is a page of its own. Two of
-- the seven it wrote did no work of their own:
--
-- * `bookings_one_active` (unique, active bookings only) and `bookings_by_attendee` (every
--   booking) were both keyed (attendee_id, event_id). One unique index over every booking does
--   both jobs: its third key is 1 for an active booking and NULL for a cancelled one, and a
--   unique index holds NULLs apart, so a pair keeps any number of cancelled bookings beside at
--   most one active one, and a lookup by attendee (and event) finds them all. It keeps the old
--   name: the guard a violation reports (src/store/sqlite/errors.rs) and the index `eventdesk
--   check` looks for.
-- * `history_by_actor` (actor, action, id) served no query: the History actor filter compares
--   without case (`actor = ? COLLATE NOCASE`), which a BINARY index cannot seek, and an actor
--   with an action is found through `history_by_action`.
DROP INDEX bookings_one_active;
DROP INDEX bookings_by_attendee;
CREATE UNIQUE INDEX bookings_one_active
    ON bookings (attendee_id, event_id, (CASE status WHEN 'active' THEN 1 END));
DROP INDEX history_by_actor;
