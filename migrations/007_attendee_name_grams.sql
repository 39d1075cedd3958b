-- eventdesk schema, version 7: a common name search reads its first page in list order.
--
-- The trigram index (006) finds a search's candidates in id order, so a search many attendees
-- match had to sort all of them for its first page ("Priya" at a million attendees: 62 500
-- candidates, ~90 ms a key), unless a short walk of the name index happened to meet a page of
-- them first. This table holds every distinct 3-character substring ("gram") of each
-- attendee's name_fold beside the name itself, keyed in the attendee list's own order
-- (name COLLATE NOCASE, id) after the gram: the postings of one gram are a name-ordered list
-- of every attendee whose name contains it. A search walks the postings of its rarest gram
-- in that order, checks each candidate with the real LIKE, and stops after a page.
--
-- Names only, to keep the size down (an email has twice a name's grams): the attendees whose
-- email alone matches come from a trigram index of the email alone, `attendees_search_emails`
-- (006's index holds name and email in one, and asking it for email matches only still reads
-- the doclists the names put there: 14 ms for "priya" at a million attendees). Merged
-- attendees have none: every list leaves them out. Each posting carries name_fold too, so a
-- candidate is checked (LIKE) on the posting itself, without a look-up of its attendee: a
-- capped count of 1 000 matches then reads 1 000 consecutive postings and nothing else.
--
-- Kept by triggers, so every writer (the desk, merge, import, a raw sqlite3 session) keeps it
-- in step; the generator and `copy` drop them while they fill and index the new attendees in
-- one statement, as they do for the trigram index (their names start with attendees_search_).
-- Triggers cannot use WITH, so the positions 0 .. length - 3 come from json_each over an
-- array of that many zeros.
CREATE TABLE attendees_search_grams (
    gram TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    id   INTEGER NOT NULL,
    name_fold TEXT NOT NULL,
    PRIMARY KEY (gram, name, id)
) WITHOUT ROWID;

-- Sorted in the key's order, repeats dropped by OR IGNORE (a DISTINCT sorted twice): see
-- store/sqlite/search/grams.rs, `index_from`.
INSERT OR IGNORE INTO attendees_search_grams (gram, name, id, name_fold)
SELECT substr(a.name_fold, g.key + 1, 3), a.name, a.id, a.name_fold
  FROM attendees a,
       json_each('[' || rtrim(replace(hex(zeroblob(max(coalesce(length(a.name_fold), 0) - 2, 0))), '00', '0,'), ',') || ']') g
 WHERE a.merged_into IS NULL
 ORDER BY 1, 2 COLLATE NOCASE, 3;

CREATE TRIGGER attendees_search_grams_insert AFTER INSERT ON attendees
WHEN NEW.merged_into IS NULL AND NEW.name_fold IS NOT NULL
BEGIN
    INSERT INTO attendees_search_grams (gram, name, id, name_fold)
    SELECT DISTINCT substr(NEW.name_fold, g.key + 1, 3), NEW.name, NEW.id, NEW.name_fold
      FROM json_each('[' || rtrim(replace(hex(zeroblob(max(coalesce(length(NEW.name_fold), 0) - 2, 0))), '00', '0,'), ',') || ']') g;
END;

CREATE TRIGGER attendees_search_grams_update AFTER UPDATE OF id, name, name_fold, merged_into ON attendees
BEGIN
    DELETE FROM attendees_search_grams
     WHERE id = OLD.id AND name = OLD.name
       AND gram IN (SELECT substr(OLD.name_fold, g.key + 1, 3)
                      FROM json_each('[' || rtrim(replace(hex(zeroblob(max(coalesce(length(OLD.name_fold), 0) - 2, 0))), '00', '0,'), ',') || ']') g);
    INSERT INTO attendees_search_grams (gram, name, id, name_fold)
    SELECT DISTINCT substr(NEW.name_fold, g.key + 1, 3), NEW.name, NEW.id, NEW.name_fold
      FROM json_each('[' || rtrim(replace(hex(zeroblob(max(coalesce(length(NEW.name_fold), 0) - 2, 0))), '00', '0,'), ',') || ']') g
     WHERE NEW.merged_into IS NULL AND NEW.name_fold IS NOT NULL;
END;

CREATE TRIGGER attendees_search_grams_delete AFTER DELETE ON attendees
BEGIN
    DELETE FROM attendees_search_grams
     WHERE id = OLD.id AND name = OLD.name
       AND gram IN (SELECT substr(OLD.name_fold, g.key + 1, 3)
                      FROM json_each('[' || rtrim(replace(hex(zeroblob(max(coalesce(length(OLD.name_fold), 0) - 2, 0))), '00', '0,'), ',') || ']') g);
END;

CREATE VIRTUAL TABLE attendees_search_emails USING fts5 (
    email_canonical,
    content = 'attendees', content_rowid = 'id',
    tokenize = 'trigram case_sensitive 0'
);

INSERT INTO attendees_search_emails (attendees_search_emails) VALUES ('rebuild');

CREATE TRIGGER attendees_search_emails_insert AFTER INSERT ON attendees
BEGIN
    INSERT INTO attendees_search_emails (rowid, email_canonical) VALUES (NEW.id, NEW.email_canonical);
END;

CREATE TRIGGER attendees_search_emails_update AFTER UPDATE OF id, email_canonical ON attendees
BEGIN
    INSERT INTO attendees_search_emails (attendees_search_emails, rowid, email_canonical)
        VALUES ('delete', OLD.id, OLD.email_canonical);
    INSERT INTO attendees_search_emails (rowid, email_canonical) VALUES (NEW.id, NEW.email_canonical);
END;

CREATE TRIGGER attendees_search_emails_delete AFTER DELETE ON attendees
BEGIN
    INSERT INTO attendees_search_emails (attendees_search_emails, rowid, email_canonical)
        VALUES ('delete', OLD.id, OLD.email_canonical);
END;

-- An organizer's Events tab counts (capped at 1 000) and lists her events not over yet, in
-- start order: with ends_at in the index both read index entries only, instead of a table
-- row per event to test ends_at (2.6 ms for the count at 2 000 events each, against 0.06 ms
-- at 200). Events only: a booking changes `booked`, which is not in it.
DROP INDEX events_by_creator;
CREATE INDEX events_by_creator ON events (creator_id, starts_at, ends_at) WHERE deleted_at IS NULL;
