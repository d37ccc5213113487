"""Tubestash: a self-hosted download manager built on yt-dlp."""

__version__ = "0.1.0"
