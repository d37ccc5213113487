"""Runtime settings: the only place that reads ``YTP_*`` environment variables."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Network = IPv4Network | IPv6Network
# Lists are written as "a,b,c" in the environment, not as JSON.
Names = Annotated[tuple[str, ...], NoDecode]
Networks = Annotated[tuple[Network, ...], NoDecode]


class Settings(BaseSettings):
    """Every setting of the service; each field is ``YTP_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="YTP_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8081, ge=0, le=65535)
    config_path: Path = Path("var/config")
    download_path: Path = Path("var/downloads")
    temp_path: Path = Path("var/tmp")
    auth_username: str = ""
    auth_password: str = ""
    max_workers: int = Field(default=2, ge=1, le=64)
    max_workers_per_extractor: int = Field(default=2, ge=1, le=64)
    base_path: str = "/"
    remove_files: bool = False
    console_enabled: bool = False
    browser_enabled: bool = True
    browser_control_enabled: bool = False
    default_pagination: int = Field(default=50, ge=1, le=1000)
    max_playlist_items: int = Field(default=1000, ge=1)
    max_request_size: int = Field(default=1024 * 1024, ge=1024)
    allow_unsafe_options: bool = False
    max_urls_per_request: int = Field(default=500, ge=1, le=100_000)
    # A download failing with a network error, HTTP 5xx or 429 is tried again this often,
    # after a delay that doubles from download_retry_delay seconds (at most an hour).
    download_retries: int = Field(default=3, ge=0, le=100)
    download_retry_delay: float = Field(default=30.0, ge=0.0, le=3600.0)
    # Doors: which browsers, hosts and networks the service trusts.
    cors_origins: Names = ()
    allowed_hosts: Names = ()
    trusted_proxies: Networks = ()
    allow_internal_urls: bool = False
    allowed_networks: Networks = ()
    # Thumbnails the UI shows through /api/thumbnail: kept on disk under the temp path.
    thumbnail_cache_size: int = Field(default=64 * 1024 * 1024, ge=0)
    thumbnail_max_size: int = Field(default=5 * 1024 * 1024, ge=1024, le=100 * 1024 * 1024)
    thumbnail_timeout: float = Field(default=10.0, gt=0.0, le=300.0)
    log_level: str = "INFO"
    # OfflineTube's API (app/compat/offlinetube): a port of its own (off by default; the
    # original used 8001), the yt-dlp search key its searches use, what trending searches
    # for, and the preset its downloads, searches and infos use.
    offlinetube_port: int | None = Field(default=None, ge=1, le=65535)
    offlinetube_search: str = Field(default="ytsearch", pattern=r"^[a-z][a-z0-9_]{0,63}$")
    offlinetube_trending: str = Field(default="trending", min_length=1, max_length=500)
    offlinetube_preset: str = Field(default="default", min_length=1, max_length=255)
    # The player's ffmpeg processes (HLS segments, subtitle conversion) running at once, and
    # the memory kept for segments already made (MiB).
    player_max_processes: int = Field(default=2, ge=1, le=32)
    player_cache_mb: int = Field(default=64, ge=1, le=4096)
    # Access: the first admin key (instead of one made and logged at the first start), and
    # each key's task creations: key_rate_limit per key_rate_window seconds (yt-dlp-host's
    # REQUEST_LIMIT per TASK_CLEANUP_TIME).
    admin_key: str = Field(default="", repr=False)
    key_rate_limit: int = Field(default=20, ge=1, le=1_000_000)
    key_rate_window: float = Field(default=600.0, gt=0.0, le=86_400.0)
    # yt-dlp-host tasks, with their files, are removed this many minutes after they end.
    task_cleanup_time: float = Field(default=10.0, gt=0.0, le=525_600.0)
    # The TubeArchivist API at the root of a port of its own (its clients keep only scheme,
    # host and port); always under /ta on the main port.
    tubearchivist_port: int | None = Field(default=None, ge=1, le=65535)
    sponsorblock_url: str = "https://sponsor.ajay.app"
    # The log file under config_path/logs, rotated at log_file_size bytes, log_file_count
    # old files kept; /api/logs and the Logs page read it.
    file_logging: bool = True
    log_file_size: int = Field(default=5 * 1024 * 1024, ge=1024, le=1024**3)
    log_file_count: int = Field(default=5, ge=0, le=100)
    # Operations: updates, a desktop wrapper that owns the server, development endpoints.
    check_for_updates: bool = True
    update_index_url: str = "https://pypi.org/pypi"
    native: bool = False
    dev_mode: bool = False
    # What the web UI shows.
    instance_title: str = Field(default="", max_length=200)
    ui_update_title: bool = True
    simple_mode: bool = False

    @field_validator("cors_origins", "allowed_hosts", mode="before")
    @classmethod
    def _split_names(cls, value: Any) -> Any:
        return _split(value)

    @field_validator("trusted_proxies", "allowed_networks", mode="before")
    @classmethod
    def _split_networks(cls, value: Any) -> Any:
        return tuple(ip_network(item, strict=False) for item in _split(value))

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            if not origin.startswith(("http://", "https://")) or origin.count("/") != 2:
                raise ValueError(f"{origin!r} is not an origin like https://host:port")
        return tuple(origin.lower() for origin in value)

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(host.lower().rstrip(".") for host in value)

    @field_validator("admin_key")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and (len(value) < 16 or len(value) > 512 or not value.isprintable()):
            raise ValueError("must be 16 to 512 printable characters")
        return value

    @field_validator("base_path")
    @classmethod
    def _normalise_base_path(cls, value: str) -> str:
        stripped = value.strip().strip("/")
        return f"/{stripped}" if stripped else "/"

    @field_validator("update_index_url")
    @classmethod
    def _index_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL like https://pypi.org/pypi")
        return value.rstrip("/")

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    @property
    def auth_enabled(self) -> bool:
        return bool(self.auth_username and self.auth_password)

    def resolved(self) -> Settings:
        """The same settings with every path made absolute, so children and tests agree."""
        return self.model_copy(
            update={
                "config_path": self.config_path.expanduser().resolve(),
                "download_path": self.download_path.expanduser().resolve(),
                "temp_path": self.temp_path.expanduser().resolve(),
            }
        )


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    return value


def describe_error(error: ValidationError) -> str:
    """One line naming the offending variable, for start-up failures."""
    parts = []
    for item in error.errors():
        name = "YTP_" + "_".join(str(p) for p in item["loc"]).upper()
        parts.append(f"{name}: {item['msg']}")
    return "invalid setting " + "; ".join(parts)
