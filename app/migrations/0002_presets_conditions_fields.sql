-- User presets; the built-in ones live in code (app/presets/builtin.py) with negative ids.
CREATE TABLE presets (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description      TEXT NOT NULL DEFAULT '',
    folder           TEXT NOT NULL DEFAULT '',
    template         TEXT NOT NULL DEFAULT '',
    cookies          TEXT NOT NULL DEFAULT '',
    cli              TEXT NOT NULL DEFAULT '',
    download_archive TEXT NOT NULL DEFAULT '',
    priority         INTEGER NOT NULL DEFAULT 0
);

-- Conditions: a match filter on extracted metadata and what to do when it matches.
CREATE TABLE conditions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    filter      TEXT NOT NULL,
    cli         TEXT NOT NULL DEFAULT '',
    extras      TEXT NOT NULL DEFAULT '{}',
    enabled     INTEGER NOT NULL DEFAULT 1,
    priority    INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT ''
);

-- Extra fields the add form shows, each mapped to one yt-dlp long option.
CREATE TABLE dl_fields (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    field       TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('text', 'bool', 'select')),
    "order"     INTEGER NOT NULL DEFAULT 0,
    value       TEXT NOT NULL DEFAULT '',
    icon        TEXT NOT NULL DEFAULT '',
    extras      TEXT NOT NULL DEFAULT '{}'
);
