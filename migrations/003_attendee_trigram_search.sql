-- eventdesk schema, version 3: the attendee search looks up a trigram index instead of scanning.
-- A search matches name or email anywhere (LIKE '%text%'), which no b-tree can seek: version 2
-- scanned the whole name index, ~0.1-0.2 s a key at 1 000 000 attendees. An FTS5 `trigram` index
-- holds every 3-character substring of both columns, so a search of 3+ characters finds its
-- candidates in time proportional to the matches. The store still applies its LIKE to them:
-- the index folds case for all of Unicode and LIKE for ASCII only, so it only narrows.
--
-- External content: the text stays in `attendees` alone and the index refers to it by id.
-- SQLite does not keep such an index in step by itself, hence the triggers; they are the only
-- writers. Attendees are never deleted, but the delete trigger keeps a raw DELETE from leaving
-- the index behind. The update trigger also fires on `id`: the index is keyed by it.
-- (`INSERT OR REPLACE` of an attendee would bypass the delete trigger unless recursive_triggers
-- is on; the store never uses it, and `eventdesk check` would report the mismatch.)
CREATE VIRTUAL TABLE attendees_search USING fts5 (
    name, email,
    content = 'attendees', content_rowid = 'id',
    tokenize = 'trigram case_sensitive 0'
);

INSERT INTO attendees_search (attendees_search) VALUES ('rebuild');

CREATE TRIGGER attendees_search_insert AFTER INSERT ON attendees
BEGIN
    INSERT INTO attendees_search (rowid, name, email) VALUES (NEW.id, NEW.name, NEW.email);
END;

CREATE TRIGGER attendees_search_update AFTER UPDATE OF id, name, email ON attendees
BEGIN
    INSERT INTO attendees_search (attendees_search, rowid, name, email)
        VALUES ('delete', OLD.id, OLD.name, OLD.email);
    INSERT INTO attendees_search (rowid, name, email) VALUES (NEW.id, NEW.name, NEW.email);
END;

CREATE TRIGGER attendees_search_delete AFTER DELETE ON attendees
BEGIN
    INSERT INTO attendees_search (attendees_search, rowid, name, email)
        VALUES ('delete', OLD.id, OLD.name, OLD.email);
END;
