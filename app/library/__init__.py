"""The media library: videos, channels and playlists from finished downloads.

Filled from the metadata yt-dlp had at download time (``app/ytdlp/catalog.py``, carried by
the item's completion event) and, for history that predates it, from the item and the
``.info.json`` beside its file; searchable with SQLite FTS5; with each user's place in
each video.
"""
