"""The logging handler behind the log file and the live feed.

A record is formatted (and its secrets taken out) where it is logged; the line is then
written by a thread of its own (``QueueListener``), so logging from the event loop never
waits for the disk, and handed to the live feed.
"""

from __future__ import annotations

import logging
import queue
from logging.handlers import QueueListener, RotatingFileHandler
from pathlib import Path

from app.logs.feed import LogFeed
from app.logs.lines import LineFormatter


class LogSink(logging.Handler):
    def __init__(self, formatter: LineFormatter, feed: LogFeed, level: str) -> None:
        super().__init__(level)
        self.setFormatter(formatter)
        self._feed = feed
        self._lines: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
        self._listener: QueueListener | None = None
        self._file: RotatingFileHandler | None = None

    def start(self, path: Path, max_bytes: int, backups: int) -> None:
        """Opens the file (blocking: call it off the loop) and starts the writer thread."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = RotatingFileHandler(
            path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
        )
        self._file.setFormatter(logging.Formatter("%(message)s"))
        self._listener = QueueListener(self._lines, self._file)
        self._listener.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # logging's own rule: a bad record must not break the caller
            self.handleError(record)
            return
        self._lines.put(logging.makeLogRecord({"msg": text, "levelno": record.levelno}))
        self._feed.publish(text)

    def stop(self) -> None:
        """Writes what is queued and closes the file (blocking: call it off the loop)."""
        if self._listener is not None:
            self._listener.stop()
        if self._file is not None:
            self._file.close()
