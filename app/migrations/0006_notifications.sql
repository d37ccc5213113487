-- Notification targets: which events and presets they hear (JSON lists; empty = all) and
-- the request that delivers them (JSON: type, method, url, data_key, headers).
CREATE TABLE notifications (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    name     TEXT NOT NULL UNIQUE COLLATE NOCASE,
    "on"     TEXT NOT NULL DEFAULT '[]',
    presets  TEXT NOT NULL DEFAULT '[]',
    enabled  INTEGER NOT NULL DEFAULT 1,
    request  TEXT NOT NULL
);
