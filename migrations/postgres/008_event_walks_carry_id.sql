-- eventdesk schema, version 8 on PostgreSQL: the events' start walks are read from the index
-- alone.
--
-- Every events list runs in (starts_at, id) order, and a capped count walks that order too
-- (src/store/postgres/reads.rs, count_events). SQLite's indexes carry the rowid, so there the
-- walk never leaves the index; PostgreSQL's did not carry id, so each of the up to 1 001 rows
-- a capped count reads was fetched from the heap to sort on it: an organizer's Events tab grew
-- from 1.4 ms at 10 000 bookings to 3.4 ms at a million. With id in the key (and the end, which
-- the "not over yet" filter tests, and the folded title a search tests, carried alongside)
-- the walk is an index-only scan.
DROP INDEX events_by_start;
CREATE INDEX events_by_start ON events (starts_at, id) INCLUDE (ends_at, title_fold) WHERE deleted_at IS NULL;
DROP INDEX events_by_creator;
CREATE INDEX events_by_creator ON events (creator_id, starts_at, id) INCLUDE (ends_at, title_fold) WHERE deleted_at IS NULL;
