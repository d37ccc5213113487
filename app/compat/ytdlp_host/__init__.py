"""The yt-dlp-host API (``../shared/seeds/ytdlp-host-api.md``) at the main port's root.

Each task is a download item (native queue and history show it) in a folder of its own,
``ytdlp-host/<task_id>/`` under the download root, removed with its files
``YTP_TASK_CLEANUP_TIME`` minutes after it ends. Keys are the service's API keys.
"""
