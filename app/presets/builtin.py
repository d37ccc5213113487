"""The presets every install has. They live in code, not rows, so an upgrade can improve
them; negative ids keep them apart from SQLite's ids, which start at 1."""

from __future__ import annotations

from app.presets.models import PresetModel

BUILTIN_PRESETS: tuple[PresetModel, ...] = (
    PresetModel(
        id=-1,
        name="default",
        default=True,
        description="Best video and audio yt-dlp can find, merged.",
    ),
    PresetModel(
        id=-2,
        name="audio_mp3",
        default=True,
        description="Audio only, converted to mp3.",
        cli="-f ba/b -x --audio-format mp3",
    ),
    PresetModel(
        id=-3,
        name="audio_m4a",
        default=True,
        description="Audio only, as m4a (no re-encode when the source is AAC).",
        cli='-f "ba[ext=m4a]/ba/b" -x --audio-format m4a',
    ),
    PresetModel(
        id=-4,
        name="1080p",
        default=True,
        description="Best video up to 1080p with the best audio.",
        cli='-f "bv*[height<=1080]+ba/b[height<=1080]/b"',
    ),
    PresetModel(
        id=-5,
        name="720p",
        default=True,
        description="Best video up to 720p with the best audio.",
        cli='-f "bv*[height<=720]+ba/b[height<=720]/b"',
    ),
    PresetModel(
        id=-6,
        name="mobile_mp4",
        default=True,
        description="H.264 video and AAC audio in mp4: plays on phones and old TVs.",
        cli=(
            '-f "bv*[vcodec^=avc1]+ba[acodec^=mp4a]/b[vcodec^=avc1]/bv*+ba/b" '
            "-S vcodec:h264,acodec:aac --merge-output-format mp4 --remux-video mp4"
        ),
    ),
    PresetModel(
        id=-7,
        name="media_server",
        default=True,
        description="Channel and season (year) folders with info JSON and thumbnail, "
        "the layout Jellyfin, Plex and Kodi read.",
        template=(
            "%(channel,uploader|Unknown Channel)s/Season %(upload_date>%Y|0000)s/"
            "%(title)s [%(id)s].%(ext)s"
        ),
        cli="--write-info-json --write-thumbnail",
    ),
    PresetModel(
        id=-8,
        name="nfo_tv",
        default=True,
        description="Media-server layout plus a Kodi/Jellyfin/Emby episode NFO and thumbnail "
        "beside each file (the channel is the show, the year the season).",
        template=(
            "%(channel,uploader|Unknown Channel)s/Season %(upload_date>%Y|0000)s/"
            "%(title)s [%(id)s].%(ext)s"
        ),
        cli="--write-thumbnail",
        nfo="tv",
    ),
    PresetModel(
        id=-9,
        name="nfo_movie",
        default=True,
        description="One folder per video with a Kodi/Jellyfin/Emby movie NFO and thumbnail.",
        template="%(title)s [%(id)s]/%(title)s [%(id)s].%(ext)s",
        cli="--write-thumbnail",
        nfo="movie",
    ),
)
