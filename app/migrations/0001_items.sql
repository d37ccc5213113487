-- Download items. `data` holds the item as clients see it (JSON, never the cookies), so a
-- history page is served by joining stored text without parsing it.
CREATE TABLE items (
    id          TEXT PRIMARY KEY,
    location    TEXT NOT NULL CHECK (location IN ('queue', 'done')),
    status      TEXT,
    created_ns  INTEGER NOT NULL,
    extractor   TEXT,
    video_id    TEXT,
    cookies     TEXT,
    data        TEXT NOT NULL
);
CREATE INDEX items_location_created ON items (location, created_ns, id);
CREATE INDEX items_location_status_created ON items (location, status, created_ns, id);
CREATE INDEX items_identity ON items (extractor, video_id) WHERE location = 'queue';

-- Small pieces of service state that outlive a restart (e.g. whether the queue is paused).
CREATE TABLE state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
