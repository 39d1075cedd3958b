-- eventdesk schema, version 9 on PostgreSQL: the Bookings tab's "cancelled" filter reads the
-- cancelled bookings alone (as SQLite's version 12; see migrations/012_cancelled_bookings.sql).
-- A booking is inserted active, so it writes nothing into this index; the store spells the
-- status out in the statement, so that a generic plan can use the partial index too.
CREATE INDEX bookings_cancelled ON bookings (id) WHERE status = 'cancelled';
