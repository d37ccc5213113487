-- API keys: only a hash of each key is kept (the key is shown once, when it is made);
-- `prefix` is the key's first characters, so people can tell keys apart in lists.
-- `permissions` is a JSON list, used when `role` is 'custom'.
CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    hash        TEXT NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    role        TEXT NOT NULL,
    permissions TEXT NOT NULL DEFAULT '[]',
    created_at  REAL NOT NULL
);

-- yt-dlp-host tasks: each is a download item (`item_id`) made for one key (`owner`).
CREATE TABLE ytdlp_host_tasks (
    id          TEXT PRIMARY KEY,
    item_id     TEXT NOT NULL,
    task_type   TEXT NOT NULL,
    owner       TEXT NOT NULL,
    request     TEXT NOT NULL DEFAULT '{}',
    created_at  REAL NOT NULL
);
