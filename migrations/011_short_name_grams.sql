-- eventdesk schema, version 11: a search of one or two characters reads its first page in list
-- order too.
--
-- The postings of 007 held 3-character grams only, so a shorter search walked the name index
-- with LIKE, reading every attendee before the first match when its matches sort last or when
-- nothing matches: "Pr" 212 ms and "Zo" 624 ms a key at a million attendees, against 6 and 5 ms
-- at ten thousand. The postings now hold every distinct substring of one, two and three
-- characters of each unmerged attendee's name_fold: a search of one or two characters is then
-- exactly the postings of its own text, read in list order, and stops after a page.
--
-- One or two characters search names only (store::query::searches_emails): two characters of
-- an email match most addresses ("or" in every .org), and postings for them would hold about
-- 35 rows an attendee against a name's 18.
--
-- The positions 0 .. length - 1 and the lengths 1 .. 3 come from json_each (triggers cannot
-- use WITH); a gram runs past the end of the name for no position.
-- The 3-character grams are there already; sorted in the key's order, repeats dropped by OR
-- IGNORE, as 007 fills them.
INSERT OR IGNORE INTO attendees_search_grams (gram, name, id, name_fold)
SELECT substr(a.name_fold, g.key + 1, n.value), a.name, a.id, a.name_fold
  FROM attendees a,
       json_each('[' || rtrim(replace(hex(zeroblob(coalesce(length(a.name_fold), 0))), '00', '0,'), ',') || ']') g,
       json_each('[1,2]') n
 WHERE a.merged_into IS NULL AND g.key + n.value <= length(a.name_fold)
 ORDER BY 1, 2 COLLATE NOCASE, 3;

DROP TRIGGER attendees_search_grams_insert;
DROP TRIGGER attendees_search_grams_update;
DROP TRIGGER attendees_search_grams_delete;

CREATE TRIGGER attendees_search_grams_insert AFTER INSERT ON attendees
WHEN NEW.merged_into IS NULL AND NEW.name_fold IS NOT NULL
BEGIN
    INSERT INTO attendees_search_grams (gram, name, id, name_fold)
    SELECT DISTINCT substr(NEW.name_fold, g.key + 1, n.value), NEW.name, NEW.id, NEW.name_fold
      FROM json_each('[' || rtrim(replace(hex(zeroblob(length(NEW.name_fold))), '00', '0,'), ',') || ']') g,
           json_each('[1,2,3]') n
     WHERE g.key + n.value <= length(NEW.name_fold);
END;

CREATE TRIGGER attendees_search_grams_update AFTER UPDATE OF id, name, name_fold, merged_into ON attendees
BEGIN
    DELETE FROM attendees_search_grams
     WHERE id = OLD.id AND name = OLD.name
       AND gram IN (SELECT substr(OLD.name_fold, g.key + 1, n.value)
                      FROM json_each('[' || rtrim(replace(hex(zeroblob(coalesce(length(OLD.name_fold), 0))), '00', '0,'), ',') || ']') g,
                           json_each('[1,2,3]') n
                     WHERE g.key + n.value <= length(OLD.name_fold));
    INSERT INTO attendees_search_grams (gram, name, id, name_fold)
    SELECT DISTINCT substr(NEW.name_fold, g.key + 1, n.value), NEW.name, NEW.id, NEW.name_fold
      FROM json_each('[' || rtrim(replace(hex(zeroblob(coalesce(length(NEW.name_fold), 0))), '00', '0,'), ',') || ']') g,
           json_each('[1,2,3]') n
     WHERE NEW.merged_into IS NULL AND NEW.name_fold IS NOT NULL
       AND g.key + n.value <= length(NEW.name_fold);
END;

CREATE TRIGGER attendees_search_grams_delete AFTER DELETE ON attendees
BEGIN
    DELETE FROM attendees_search_grams
     WHERE id = OLD.id AND name = OLD.name
       AND gram IN (SELECT substr(OLD.name_fold, g.key + 1, n.value)
                      FROM json_each('[' || rtrim(replace(hex(zeroblob(coalesce(length(OLD.name_fold), 0))), '00', '0,'), ',') || ']') g,
                           json_each('[1,2,3]') n
                     WHERE g.key + n.value <= length(OLD.name_fold));
END;
