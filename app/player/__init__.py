"""HLS playback of downloaded files: playlists, on-demand ffmpeg segments, subtitles."""
