"""Typed application keys: how routes reach the services that ``create_app`` built."""

from __future__ import annotations

from aiohttp import web

from app.access.service import Access
from app.archives.service import ArchiveService, ItemArchiver
from app.compat.offlinetube.tube import OfflineTube
from app.compat.tubearchivist.context import CONTEXT
from app.compat.ytdlp_host.tasks import HostTasks
from app.conditions.service import ConditionService
from app.core.db import Database
from app.core.events import EventBus
from app.definitions.service import DefinitionService
from app.dl_fields.service import DlFieldService
from app.downloads.service import Downloads
from app.files.service import FileService
from app.library.indexing import HistoryIndexer
from app.library.service import Library
from app.logs.service import LogService
from app.nfo.service import NfoService
from app.notifications.outbox import Notifier
from app.notifications.service import NotificationService
from app.player.service import Player
from app.presets.service import PresetService
from app.realtime.hub import Hub
from app.realtime.wire import WireFeed
from app.settings import Settings
from app.system.console import Console
from app.system.lifecycle import Lifecycle
from app.system.updates import UpdateChecker
from app.tasks.handlers import Handlers
from app.tasks.metadata import TaskMetadata
from app.tasks.service import TaskService
from app.tasks.tools import TaskTools
from app.thumbnails.service import Thumbnails
from app.workers.pool import WorkerPool
from app.workers.prefork import Zygote
from app.ytdlp.info import InfoService

SETTINGS = web.AppKey("settings", Settings)
BUS = web.AppKey("bus", EventBus)
DB = web.AppKey("db", Database)
POOL = web.AppKey("pool", WorkerPool)
# Set by ``main.py`` only: the zygote its workers' forkserver comes from (``app.workers.prefork``).
FORKS = web.AppKey("forks", Zygote)
DOWNLOADS = web.AppKey("downloads", Downloads)
WIRE = web.AppKey("wire", WireFeed)  # the bus's events as the seed's wire events
HUB = web.AppKey("hub", Hub)
PRESETS = web.AppKey("presets", PresetService)
INFO = web.AppKey("info", InfoService)
CONDITIONS = web.AppKey("conditions", ConditionService)
DL_FIELDS = web.AppKey("dl_fields", DlFieldService)
ARCHIVES = web.AppKey("archives", ArchiveService)
ITEM_ARCHIVER = web.AppKey("item_archiver", ItemArchiver)
NFO = web.AppKey("nfo", NfoService)
FILES = web.AppKey("files", FileService)  # the file browser, ffprobe, ZIP downloads
PLAYER = web.AppKey("player", Player)
TASK_DEFINITIONS = web.AppKey("task_definitions", DefinitionService)
NOTIFICATIONS = web.AppKey("notifications", NotificationService)
NOTIFIER = web.AppKey("notifier", Notifier)
TASKS = web.AppKey("tasks", TaskService)
TASK_TOOLS = web.AppKey("task_tools", TaskTools)
TASK_METADATA = web.AppKey("task_metadata", TaskMetadata)
TASK_HANDLERS = web.AppKey("task_handlers", Handlers)  # task definitions register theirs
OFFLINETUBE = web.AppKey("offlinetube", OfflineTube)  # the OfflineTube layer's service
THUMBNAILS = web.AppKey("thumbnails", Thumbnails)
ACCESS = web.AppKey("access", Access)  # API keys, roles, rate limits: every door asks it
YTDLP_HOST = web.AppKey("ytdlp_host", HostTasks)  # yt-dlp-host tasks over the downloads
LIBRARY = web.AppKey("library", Library)
LIBRARY_INDEXER = web.AppKey("library_indexer", HistoryIndexer)
# The TubeArchivist layer sits below these keys: it declares its own, the same object.
TUBEARCHIVIST = CONTEXT
LOGS = web.AppKey("logs", LogService)  # the log file and its live feed
CONSOLE = web.AppKey("console", Console)
UPDATES = web.AppKey("updates", UpdateChecker)
LIFECYCLE = web.AppKey("lifecycle", Lifecycle)  # start time; a stop asked for by the API
