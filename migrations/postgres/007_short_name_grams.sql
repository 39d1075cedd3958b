-- eventdesk schema, version 7 on PostgreSQL: a search of one or two characters reads its first
-- page in list order too (as SQLite's version 11; see migrations/011_short_name_grams.sql).
--
-- The postings now hold every distinct substring of one, two and three characters of each
-- unmerged attendee's name_fold: a search of one or two characters is exactly the postings of
-- its own text, walked in list order, where it walked the name index with LIKE ("Pr" 2.1 s and
-- "Zo" 2.6 s a key at a million attendees). One or two characters search names only
-- (store::query::searches_emails).
--
-- The triggers of 005 build the postings with attendee_grams, so redefining it is all they
-- need. `ROWS 60`: a name has about that many grams now (see 005 for why the estimate matters).
CREATE OR REPLACE FUNCTION attendee_grams(t text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 60
    AS $$ SELECT DISTINCT substr(t, i, n) FROM generate_series(1, length(t)) AS i, generate_series(1, 3) AS n
           WHERE i + n - 1 <= length(t) $$;

-- The 3-character postings are there already. The walk index is built again after the fill
-- rather than grown through it: grown, it came out at 3.1 GB for 25 M postings (a million
-- attendees), half-empty pages from splits all over it, and the fill took 2 min 55 s.
DROP INDEX attendees_search_grams_walk;

INSERT INTO attendees_search_grams (gram, name, id, name_fold)
SELECT g, a.name, a.id, a.name_fold FROM attendees a, attendee_grams(a.name_fold) AS g
 WHERE a.merged_into IS NULL AND length(g) < 3;

CREATE INDEX attendees_search_grams_walk
    ON attendees_search_grams (gram, (nocase(name) COLLATE "C"), id) INCLUDE (name, name_fold);

ANALYZE attendees_search_grams;
