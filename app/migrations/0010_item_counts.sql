-- Counts kept as items change, so that neither a total nor a page far into a long history
-- walks the items. SQLite's B-trees do not know positions: an OFFSET steps over every
-- entry before it, and count(*) visits them all (at 1,000,000 items, tens of ms each).
--
-- The items' order (created_ns) is cut into blocks of about a thousand items. A block holds
-- the items with start_ns <= created_ns < the next block's start_ns (equal created_ns never
-- straddle two blocks). item_counts says how many items of each location and status each
-- block holds; a page finds its block by adding up those counts (a thousand small rows)
-- and steps over at most one block's items. The store splits a block that grows past twice
-- the size (ItemStore, in the transaction that grew it); triggers keep the counts.
CREATE TABLE item_blocks (
    start_ns  INTEGER PRIMARY KEY,
    n         INTEGER NOT NULL DEFAULT 0     -- items in the block, of any location
);
CREATE TABLE item_counts (
    location  TEXT NOT NULL,
    status    TEXT NOT NULL,                 -- '' for an item without one
    start_ns  INTEGER NOT NULL,              -- the block
    n         INTEGER NOT NULL,
    PRIMARY KEY (location, status, start_ns)
) WITHOUT ROWID;

-- The first block starts before any time.
INSERT INTO item_blocks (start_ns) VALUES (-9223372036854775808);
INSERT INTO item_blocks (start_ns)
    SELECT created_ns FROM (
        SELECT created_ns, row_number() OVER (ORDER BY created_ns) AS k FROM items
    ) WHERE k % 1000 = 1 AND k > 1
    ON CONFLICT DO NOTHING;
INSERT INTO item_counts (location, status, start_ns, n)
    SELECT location, coalesce(status, ''),
           (SELECT max(start_ns) FROM item_blocks WHERE start_ns <= items.created_ns),
           count(*)
    FROM items GROUP BY 1, 2, 3;
UPDATE item_blocks SET n = (
    SELECT coalesce(sum(n), 0) FROM item_counts WHERE item_counts.start_ns = item_blocks.start_ns
);

CREATE TRIGGER items_count_insert AFTER INSERT ON items BEGIN
    INSERT INTO item_counts (location, status, start_ns, n) VALUES (
        NEW.location, coalesce(NEW.status, ''),
        (SELECT max(start_ns) FROM item_blocks WHERE start_ns <= NEW.created_ns), 1
    ) ON CONFLICT DO UPDATE SET n = n + 1;
    UPDATE item_blocks SET n = n + 1
        WHERE start_ns = (SELECT max(start_ns) FROM item_blocks WHERE start_ns <= NEW.created_ns);
END;

CREATE TRIGGER items_count_delete AFTER DELETE ON items BEGIN
    UPDATE item_counts SET n = n - 1
        WHERE location = OLD.location AND status = coalesce(OLD.status, '')
        AND start_ns = (SELECT max(start_ns) FROM item_blocks WHERE start_ns <= OLD.created_ns);
    UPDATE item_blocks SET n = n - 1
        WHERE start_ns = (SELECT max(start_ns) FROM item_blocks WHERE start_ns <= OLD.created_ns);
END;

CREATE TRIGGER items_count_update AFTER UPDATE OF location, status, created_ns ON items
WHEN OLD.location IS NOT NEW.location OR OLD.status IS NOT NEW.status
    OR OLD.created_ns IS NOT NEW.created_ns
BEGIN
    UPDATE item_counts SET n = n - 1
        WHERE location = OLD.location AND status = coalesce(OLD.status, '')
        AND start_ns = (SELECT max(start_ns) FROM item_blocks WHERE start_ns <= OLD.created_ns);
    UPDATE item_blocks SET n = n - 1
        WHERE start_ns = (SELECT max(start_ns) FROM item_blocks WHERE start_ns <= OLD.created_ns);
    INSERT INTO item_counts (location, status, start_ns, n) VALUES (
        NEW.location, coalesce(NEW.status, ''),
        (SELECT max(start_ns) FROM item_blocks WHERE start_ns <= NEW.created_ns), 1
    ) ON CONFLICT DO UPDATE SET n = n + 1;
    UPDATE item_blocks SET n = n + 1
        WHERE start_ns = (SELECT max(start_ns) FROM item_blocks WHERE start_ns <= NEW.created_ns);
END;

-- Pages without a status filter, or with "every status but one", step over a block through
-- this index: it carries the status, so the filter never reads the (large) row.
DROP INDEX items_location_created;
CREATE INDEX items_location_created ON items (location, created_ns, id, status);

-- Rows whose stored text is not JSON, as they are written: pages join the texts unparsed,
-- so start-up sets such rows aside, and reads only these ids to find them instead of
-- checking every row (at 1,000,000 items, seconds). The server itself writes JSON only;
-- this catches rows written by anything else.
CREATE TABLE items_unreadable (id TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO items_unreadable (id) SELECT id FROM items WHERE NOT json_valid(data);
CREATE TRIGGER items_unreadable_insert AFTER INSERT ON items WHEN NOT json_valid(NEW.data)
BEGIN
    INSERT OR IGNORE INTO items_unreadable (id) VALUES (NEW.id);
END;
CREATE TRIGGER items_unreadable_update AFTER UPDATE OF data ON items
WHEN NOT json_valid(NEW.data)
BEGIN
    INSERT OR IGNORE INTO items_unreadable (id) VALUES (NEW.id);
END;
CREATE TRIGGER items_unreadable_delete AFTER DELETE ON items BEGIN
    DELETE FROM items_unreadable WHERE id = OLD.id;
END;
