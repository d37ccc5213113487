-- The media library: videos, channels and playlists from finished downloads, searchable.
-- `data` holds the record as the native API shows it (JSON); the other columns are what
-- lists sort, filter and join on.
CREATE TABLE library_videos (
    rowid         INTEGER PRIMARY KEY,
    video_id      TEXT NOT NULL UNIQUE,
    item_id       TEXT,
    channel_id    TEXT,
    published     TEXT,
    downloaded_ns INTEGER NOT NULL,
    data          TEXT NOT NULL
);
CREATE INDEX library_videos_downloaded ON library_videos (downloaded_ns, rowid);
CREATE INDEX library_videos_channel ON library_videos (channel_id, published, rowid);
CREATE INDEX library_videos_item ON library_videos (item_id);
CREATE INDEX library_videos_published ON library_videos (published, rowid);

CREATE TABLE library_channels (
    channel_id TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    subscribed INTEGER NOT NULL DEFAULT 0,
    data       TEXT NOT NULL
);

CREATE TABLE library_playlists (
    playlist_id TEXT PRIMARY KEY,
    channel_id  TEXT,
    subscribed  INTEGER NOT NULL DEFAULT 0,
    data        TEXT NOT NULL
);

CREATE TABLE library_playlist_videos (
    playlist_id TEXT NOT NULL,
    video_id    TEXT NOT NULL,
    position    INTEGER,
    PRIMARY KEY (playlist_id, video_id)
);
CREATE INDEX library_playlist_videos_video ON library_playlist_videos (video_id);

-- yt-dlp's comments, when the preset asked for them: read one video at a time.
CREATE TABLE library_comments (
    video_id TEXT PRIMARY KEY,
    data     TEXT NOT NULL
);

-- Where each user is in each video.
CREATE TABLE library_progress (
    user_id    INTEGER NOT NULL,
    video_id   TEXT NOT NULL,
    position   REAL NOT NULL DEFAULT 0,
    watched    INTEGER NOT NULL DEFAULT 0,
    updated_ns INTEGER NOT NULL,
    PRIMARY KEY (user_id, video_id)
);

-- Full text, ranked with bm25; the rowid is library_videos.rowid. Prefixes of 2 and 3
-- characters are indexed so that "fix*" is a quick lookup.
CREATE VIRTUAL TABLE library_fts USING fts5(
    title, description, channel, tags, subtitles,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
-- Every indexed term with its counts: the vocabulary typo suggestions are drawn from.
CREATE VIRTUAL TABLE library_terms USING fts5vocab(library_fts, row);

-- The library's own bits of state (whether existing history has been indexed).
CREATE TABLE library_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- TubeArchivist's "ignore" list: videos a client said not to download (its queue's
-- pending entries are Tubestash's queued items).
CREATE TABLE tubearchivist_ignored (
    video_id TEXT PRIMARY KEY,
    url      TEXT NOT NULL,
    title    TEXT,
    channel  TEXT,
    added_ns INTEGER NOT NULL
);
