"""Builds the aiohttp Application: every service is created and closed here."""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from aiohttp import web

from app import keys
from app.access import routes as access_routes
from app.access.middleware import native_access
from app.access.rules import NATIVE
from app.access.service import Access
from app.archives import routes as archive_routes
from app.archives.service import ArchiveService, ItemArchiver
from app.compat.layer import Layer
from app.compat.layers import LAYERS
from app.compat.mount import mount, own_requests
from app.compat.offlinetube.tube import OfflineTube
from app.compat.tubearchivist.context import Background
from app.compat.tubearchivist.context import Context as TubeArchivistContext
from app.compat.tubearchivist.cookie import CookieJar
from app.compat.tubearchivist.ignored import IgnoreList
from app.compat.tubearchivist.snapshots import Snapshots
from app.compat.tubearchivist.sponsorblock import SponsorBlock
from app.compat.tubearchivist.tokens import KEY_FILE as TUBEARCHIVIST_KEY
from app.compat.tubearchivist.tokens import Tokens
from app.compat.ytdlp_host.tasks import HostTasks
from app.conditions import routes as condition_routes
from app.conditions.service import ConditionService
from app.conditions.store import ConditionStore
from app.core.auth import load_key
from app.core.db import Database
from app.core.doors import Doors
from app.core.events import EventBus
from app.core.web import error_middleware
from app.definitions import routes as definition_routes
from app.definitions.fetching import PageFetcher
from app.definitions.handler import DefinitionHandler
from app.definitions.service import DefinitionService
from app.definitions.store import DefinitionStore
from app.dl_fields import routes as dl_field_routes
from app.dl_fields.service import DlFieldService
from app.dl_fields.store import DlFieldStore
from app.downloads import routes as download_routes
from app.downloads.history import History
from app.downloads.intake import Intake
from app.downloads.queue import DownloadQueue
from app.downloads.runner import DownloadRunner
from app.downloads.service import Downloads
from app.downloads.state import QueueState
from app.downloads.store import ItemStore
from app.files import routes as file_routes
from app.files.service import FileService
from app.library import routes as library_routes
from app.library.indexing import HistoryIndexer
from app.library.refresh import Refresher
from app.library.service import Library
from app.library.shows import ShowStore
from app.library.store import LibraryStore
from app.logs import routes as log_routes
from app.logs.service import LogService
from app.nfo import routes as nfo_routes
from app.nfo.service import NfoService
from app.notifications import routes as notification_routes
from app.notifications.lifecycle import running as notifications_running
from app.player import routes as player_routes
from app.player.service import Player
from app.presets import routes as preset_routes
from app.presets.service import PresetService
from app.presets.store import PresetStore
from app.realtime.setup import setup as realtime_setup
from app.sandbox.guard import Confinement
from app.sandbox.network import NetworkPolicy
from app.settings import Settings
from app.system import console_routes, dev_routes, pages_routes, ui
from app.system import routes as system_routes
from app.system.console import Console
from app.system.lifecycle import Lifecycle
from app.system.updates import UpdateChecker
from app.tasks import routes as task_routes
from app.tasks.lifecycle import Needs as TaskNeeds
from app.tasks.lifecycle import running as tasks_running
from app.thumbnails import routes as thumbnail_routes
from app.thumbnails.cache import ThumbnailCache
from app.thumbnails.fetching import ImageFetcher
from app.thumbnails.service import Thumbnails
from app.workers.pool import WorkerPool
from app.ytdlp import command_routes
from app.ytdlp import routes as ytdlp_routes
from app.ytdlp.info import InfoService
from app.ytdlp.info_cache import InfoCache
from app.ytdlp.jobs import PRELOAD
from app.ytdlp.screening import screen_adds

log = logging.getLogger(__name__)


class StartupError(Exception):
    """Start-up cannot go on; the message is the one line the operator sees."""


def database_path(settings: Settings) -> Path:
    return settings.config_path / "tubestash.db"


def create_app(settings: Settings, layers: Sequence[Layer] = LAYERS) -> web.Application:
    """The native API's app, holding every service, with the compatibility ``layers``
    mounted on it (``app.compat.mount``); under ``YTP_BASE_PATH`` when that is set."""
    settings = settings.resolved()
    doors = Doors(settings, api_keys=True)  # Host, CORS, same origin, credentials
    access = Access(settings)  # opened with the database (``_access``)
    screen = screen_adds if settings.allow_unsafe_options else None  # keys are not trusted
    checks = [
        *doors.middlewares(),
        error_middleware,
        native_access(access, settings, NATIVE, screen),
    ]
    app = web.Application(client_max_size=settings.max_request_size)
    app.middlewares.extend(own_requests(app, checks))
    app.on_startup.append(doors.open)
    app[keys.SETTINGS] = settings
    app[keys.BUS] = EventBus()
    app[keys.ACCESS] = access
    app[keys.LIFECYCLE] = lifecycle = Lifecycle(native=settings.native)
    app[keys.UPDATES] = UpdateChecker(settings.update_index_url, enabled=settings.check_for_updates)
    app.cleanup_ctx.extend(
        [
            _data_dirs,
            _logging,
            _database,
            _workers,
            _console,
            _config,
            _notifications,
            _library,  # before the downloads, so that it hears every finish
            _downloads,
            _library_indexing,
            _media_tools,
            _player,
            _tasks,
            _thumbnails,
            _access,
            _ytdlp_host,
            _tubearchivist,
        ]
    )
    app.on_shutdown.append(_end_streams)
    system_routes.setup(app)
    console_routes.setup(app)
    pages_routes.setup(app)  # before the UI's root files: /README.md is a document
    dev_routes.setup(app)
    log_routes.setup(app)
    download_routes.setup(app)
    preset_routes.setup(app)
    ytdlp_routes.setup(app)
    condition_routes.setup(app)
    dl_field_routes.setup(app)
    definition_routes.setup(app)
    archive_routes.setup(app)
    nfo_routes.setup(app)
    file_routes.setup(app)
    player_routes.setup(app)
    library_routes.setup(app)
    task_routes.setup(app)
    notification_routes.setup(app)
    command_routes.setup(app)
    thumbnail_routes.setup(app)
    access_routes.setup(app)
    realtime_setup(app)
    ui.setup(app)
    ui.setup_root_files(app)
    mount(app, settings, layers)
    if settings.base_path == "/":
        return app
    root = web.Application()
    root[keys.LIFECYCLE] = lifecycle  # the runner reads it on the app it runs
    root.add_subapp(settings.base_path, app)
    root[keys.ACCESS] = access  # for ``run``, which holds the root app
    return root


async def _data_dirs(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    archives = settings.config_path / "archives"  # presets' download archives
    for path in (settings.config_path, archives, settings.download_path, settings.temp_path):
        path.mkdir(parents=True, exist_ok=True)
    # One server per data folder: a second one would resume the same partial files.
    lock = os.open(settings.config_path / "tubestash.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        raise StartupError(f"another Tubestash is using {settings.config_path}") from None
    yield
    os.close(lock)


async def _end_streams(app: web.Application) -> None:
    """Live streams end first: the server then waits for every request to finish."""
    if keys.LOGS in app:
        app[keys.LOGS].feed.close()
    if keys.CONSOLE in app:
        await app[keys.CONSOLE].close()


async def _logging(app: web.Application) -> AsyncIterator[None]:
    """The log file and the live feed: open before the rest, so their start-up is in it."""
    logs = LogService(app[keys.SETTINGS])
    await logs.open()
    app[keys.LOGS] = logs
    yield
    await logs.close()


async def _database(app: web.Application) -> AsyncIterator[None]:
    db = await Database.open(database_path(app[keys.SETTINGS]))
    app[keys.DB] = db
    yield
    await db.close()


async def _access(app: web.Application) -> AsyncIterator[None]:
    """The keys (``run`` makes the first admin key once the server listens)."""
    await app[keys.ACCESS].open(app[keys.DB])
    yield


async def _workers(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    # Enough idle workers for a full set of downloads and probes to start without a fork.
    confinement = Confinement.of(
        settings.temp_path,
        (settings.download_path, settings.config_path / "archives"),
        NetworkPolicy.of(settings),
    )
    pool = WorkerPool(
        PRELOAD,
        keep_idle=settings.max_workers + _probe_slots(settings),
        confinement=confinement,
        forks=app.get(keys.FORKS),
    )
    await pool.start_server()
    app[keys.POOL] = pool
    yield
    await pool.close()


async def _console(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    console = Console(
        app[keys.POOL],
        settings.download_path,
        enabled=settings.console_enabled,
        allow_unsafe=settings.allow_unsafe_options,
    )
    app[keys.CONSOLE] = console
    yield
    await console.close()


async def _config(app: web.Application) -> AsyncIterator[None]:
    """Presets, conditions and download fields: loaded before the queue needs them."""
    settings = app[keys.SETTINGS]
    presets = PresetService(
        PresetStore(app[keys.DB]), app[keys.BUS], allow_unsafe=settings.allow_unsafe_options
    )
    await presets.open()
    app[keys.PRESETS] = presets
    cache = InfoCache()
    info = InfoService(
        app[keys.POOL],
        presets,
        cache,
        settings.temp_path,
        allow_unsafe=settings.allow_unsafe_options,
        network=NetworkPolicy.of(settings),
    )
    app[keys.INFO] = info
    conditions = ConditionService(
        ConditionStore(app[keys.DB]),
        app[keys.BUS],
        presets,
        info,
        allow_unsafe=settings.allow_unsafe_options,
    )
    await conditions.open()
    presets.add_users(conditions.preset_users)
    app[keys.CONDITIONS] = conditions
    dl_fields = DlFieldService(
        DlFieldStore(app[keys.DB]), app[keys.BUS], allow_unsafe=settings.allow_unsafe_options
    )
    await dl_fields.open()
    app[keys.DL_FIELDS] = dl_fields
    definitions = DefinitionService(
        DefinitionStore(app[keys.DB]),
        app[keys.BUS],
        PageFetcher(NetworkPolicy.of(settings)),
    )
    await definitions.open()
    app[keys.TASK_DEFINITIONS] = definitions
    yield
    await cache.close()


async def _notifications(app: web.Application) -> AsyncIterator[None]:
    """Targets and their outbox: subscribed before the queue opens and publishes."""
    settings = app[keys.SETTINGS]
    policy = NetworkPolicy.of(settings)
    async with notifications_running(
        app[keys.DB], app[keys.BUS], policy, forks=app.get(keys.FORKS)
    ) as (targets, notifier):
        app[keys.NOTIFICATIONS] = targets
        app[keys.NOTIFIER] = notifier
        yield


async def _downloads(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    db = app[keys.DB]
    bus = app[keys.BUS]
    pool = app[keys.POOL]
    store = ItemStore(db)
    history = History(store, bus, settings.download_path)
    await store.set_aside_unreadable("done")
    await history.open()
    queue = DownloadQueue(
        settings=settings,
        store=store,
        history=history,
        state=QueueState(db),
        bus=bus,
        runner=DownloadRunner(pool, settings.download_path, settings.temp_path),
        intake=Intake(
            pool,
            settings.temp_path,
            max_entries=settings.max_playlist_items,
            parallel=_probe_slots(settings),
        ),
        presets=app[keys.PRESETS],
        conditions=app[keys.CONDITIONS],
    )
    app[keys.DOWNLOADS] = Downloads(queue, history, remove_files=settings.remove_files)
    await queue.open()
    yield
    await queue.close()


async def _library(app: web.Application) -> AsyncIterator[None]:
    """The library: subscribed before the queue opens, so no finished download is missed."""
    db = app[keys.DB]
    library = Library(
        LibraryStore(db), ShowStore(db), app[keys.BUS], app[keys.SETTINGS].download_path
    )
    await library.open()
    app[keys.LIBRARY] = library
    yield
    await library.close()


async def _library_indexing(app: web.Application) -> AsyncIterator[None]:
    """History that predates the library is indexed in the background, once."""
    indexer = HistoryIndexer(app[keys.LIBRARY], app[keys.DOWNLOADS])
    await indexer.open()
    app[keys.LIBRARY_INDEXER] = indexer
    yield
    await indexer.close()


async def _media_tools(app: web.Application) -> AsyncIterator[None]:
    """Archives, NFO files, the file browser and the OfflineTube layer: built on presets and
    the downloads."""
    settings = app[keys.SETTINGS]
    presets = app[keys.PRESETS]
    archives = ArchiveService(presets, settings.config_path / "archives")
    app[keys.ARCHIVES] = archives
    downloads = app[keys.DOWNLOADS]
    app[keys.ITEM_ARCHIVER] = ItemArchiver(archives, presets, downloads)
    app[keys.NFO] = NfoService(downloads, app[keys.INFO], settings.download_path)
    app[keys.OFFLINETUBE] = OfflineTube(
        settings, downloads, app[keys.POOL], presets, app[keys.INFO]
    )
    app[keys.FILES] = FileService(
        settings.download_path,
        downloads,
        browser_enabled=settings.browser_enabled,
        control_enabled=settings.browser_control_enabled,
    )
    yield


async def _player(app: web.Application) -> AsyncIterator[None]:
    """HLS playback of downloaded files: its ffmpeg runs end with the app."""
    settings = app[keys.SETTINGS]
    player = Player(
        settings.download_path,
        settings.base_path,
        max_processes=settings.player_max_processes,
        cache_bytes=settings.player_cache_mb * 1024 * 1024,
    )
    app[keys.PLAYER] = player
    yield
    await player.close()


async def _tasks(app: web.Application) -> AsyncIterator[None]:
    """Scheduled tasks: above the downloads they queue into and the archives they mark."""
    settings = app[keys.SETTINGS]
    needs = TaskNeeds(
        db=app[keys.DB],
        bus=app[keys.BUS],
        pool=app[keys.POOL],
        presets=app[keys.PRESETS],
        info=app[keys.INFO],
        downloads=app[keys.DOWNLOADS],
        archives=app[keys.ARCHIVES],
        network=NetworkPolicy.of(settings),
        archive_root=settings.config_path / "archives",
        download_root=settings.download_path,
        allow_unsafe=settings.allow_unsafe_options,
    )
    async with tasks_running(needs) as tasks:
        app[keys.TASKS] = tasks.service
        app[keys.TASK_TOOLS] = tasks.tools
        app[keys.TASK_METADATA] = tasks.metadata
        app[keys.TASK_HANDLERS] = tasks.handlers
        # Definitions are asked first: a site monitor that matches beats the built-ins.
        tasks.handlers.register_definition(DefinitionHandler(app[keys.TASK_DEFINITIONS]))
        yield


async def _thumbnails(app: web.Application) -> AsyncIterator[None]:
    """The thumbnail proxy: its own guarded session and a disk cache under the temp path."""
    settings = app[keys.SETTINGS]
    fetcher = ImageFetcher(
        NetworkPolicy.of(settings),
        max_bytes=settings.thumbnail_max_size,
        timeout=settings.thumbnail_timeout,
    )
    cache = ThumbnailCache(settings.temp_path / "thumbnails", settings.thumbnail_cache_size)
    thumbnails = Thumbnails(fetcher, cache)
    await thumbnails.open()
    app[keys.THUMBNAILS] = thumbnails
    yield
    await thumbnails.close()


async def _ytdlp_host(app: web.Application) -> AsyncIterator[None]:
    """yt-dlp-host's tasks: items of the downloads, removed a while after they end."""
    settings = app[keys.SETTINGS]
    tasks = HostTasks(
        app[keys.DB],
        app[keys.DOWNLOADS],
        settings.download_path,
        cleanup_after=settings.task_cleanup_time * 60,
    )
    await tasks.open()
    app[keys.YTDLP_HOST] = tasks
    yield
    await tasks.close()


async def _tubearchivist(app: web.Application) -> AsyncIterator[None]:
    """What the TubeArchivist layer reads: the library, downloads and tasks, its tokens,
    cookie, snapshots and SponsorBlock client."""
    settings = app[keys.SETTINGS]
    key = await asyncio.to_thread(load_key, settings.config_path / TUBEARCHIVIST_KEY)
    snapshots = Snapshots(
        app[keys.DB],
        database_path(settings),
        settings.config_path / "snapshots",
        restored=app[keys.LIBRARY].store.forget_count,
    )
    jobs = Background()
    refresher = Refresher(app[keys.LIBRARY], app[keys.DOWNLOADS], settings.download_path)
    app[keys.TUBEARCHIVIST] = TubeArchivistContext(
        settings=settings,
        tokens=Tokens.of(settings, key),
        access=app[keys.ACCESS],
        library=app[keys.LIBRARY],
        indexer=app[keys.LIBRARY_INDEXER],
        refresher=refresher,
        downloads=app[keys.DOWNLOADS],
        tasks=app[keys.TASKS],
        task_tools=app[keys.TASK_TOOLS],
        snapshots=snapshots,
        cookie=await CookieJar.open(settings.config_path),
        ignored=IgnoreList(app[keys.DB]),
        sponsorblock=SponsorBlock(
            settings.sponsorblock_url, PageFetcher(NetworkPolicy.of(settings))
        ),
        jobs=jobs,
    )
    yield
    await jobs.close()
    await refresher.close()
    await snapshots.close()


def _probe_slots(settings: Settings) -> int:
    """How many URLs are identified at once."""
    return max(2, settings.max_workers)
