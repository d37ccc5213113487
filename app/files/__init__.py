"""The download folder as a file browser: listings, actions, ffprobe and file info, ZIPs."""
