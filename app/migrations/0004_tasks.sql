-- Scheduled tasks: a URL checked on a cron timer, what is new there queued.
CREATE TABLE tasks (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    url             TEXT NOT NULL,
    timer           TEXT NOT NULL DEFAULT '',
    cookies         TEXT NOT NULL DEFAULT '',
    config          TEXT NOT NULL DEFAULT '{}',
    template        TEXT NOT NULL DEFAULT '',
    folder          TEXT NOT NULL DEFAULT '',
    preset          TEXT NOT NULL DEFAULT 'default',
    cli             TEXT NOT NULL DEFAULT '',
    auto_start      INTEGER NOT NULL DEFAULT 1,
    handler_enabled INTEGER NOT NULL DEFAULT 1,
    handler         TEXT NOT NULL DEFAULT '',
    enabled         INTEGER NOT NULL DEFAULT 1
);

-- What the scheduler knows of each task's runs; not part of what clients write.
-- ``since`` is the instant the next tick is counted from (the last run, or when the task
-- was first scheduled): a tick between it and now was missed while the server was down.
CREATE TABLE task_runs (
    task_id     INTEGER PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    since       REAL NOT NULL,
    last_run    REAL,
    last_status TEXT NOT NULL DEFAULT '',
    last_message TEXT NOT NULL DEFAULT '',
    last_queued INTEGER NOT NULL DEFAULT 0
);
