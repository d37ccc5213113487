-- Rows that no longer load (damaged JSON, fields that no longer validate) are moved here at
-- start-up: one bad row neither stops the server nor is lost. `data` holds the row's
-- columns as JSON; nothing reads this table but an operator restoring a row by hand.
CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT NOT NULL,      -- the table the row came from
    row_id      TEXT NOT NULL,      -- its id there
    reason      TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_ns  INTEGER NOT NULL
);
