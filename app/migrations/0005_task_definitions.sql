-- Task definitions: generic site monitors (app/definitions). ``definition`` is JSON: how a
-- task URL is matched, fetched, read and turned into items.
CREATE TABLE task_definitions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    enabled     INTEGER NOT NULL DEFAULT 1,
    definition  TEXT NOT NULL
);
