"""Runs ``python main.py`` as a separate process, for tests and benchmarks."""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

from tests.fixtures.pytest_plugin import PLUGIN_DIR

ROOT = Path(__file__).resolve().parents[1]


# Sockets holding the ports free_port() handed out, open until this process exits.
_RESERVED: list[socket.socket] = []


@atexit.register
def _release() -> None:
    for sock in _RESERVED:
        sock.close()


def free_port() -> int:
    """A loopback port chosen by the OS and reserved for this process until it exits.

    The port stays bound (with SO_REUSEADDR, never listening), so a server of this test,
    in this process or a child, can still listen on it (aiohttp binds with SO_REUSEADDR
    too), while nothing else can take it: the kernel never hands a bound port to another
    socket's ``bind(("127.0.0.1", 0))`` nor to an outgoing connection, so parallel test
    workers cannot race for it between this call and the server's start. Until a server
    listens there, connections to it are refused: it is also "a port where nothing listens".
    """
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    _RESERVED.append(sock)
    return int(sock.getsockname()[1])


class ServerProcess:
    def __init__(self, data: Path, *, project: Path | str = ROOT, **env: str) -> None:
        """``project`` is the folder it runs from (its ``main.py`` and working folder)."""
        self.project = Path(project)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(PLUGIN_DIR), str(self.project)]),
            "YTP_PORT": str(self.port),
            "YTP_CONFIG_PATH": str(data / "config"),
            "YTP_DOWNLOAD_PATH": str(data / "downloads"),
            "YTP_TEMP_PATH": str(data / "tmp"),
            "YTP_LOG_LEVEL": "WARNING",
            # The fixture site is on loopback; a test proving the default overrides this.
            "YTP_ALLOW_INTERNAL_URLS": "true",
            **env,
        }
        data.mkdir(parents=True, exist_ok=True)
        self._log = data / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0, ready: str = "/api/ping") -> float:
        """Starts the server; returns the seconds until it answered ``ready`` (a GET)."""
        started = time.monotonic()
        with self._log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(self.project / "main.py")],
                cwd=self.project,
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self._log.read_text()[-2000:]}")
            try:
                # 401: up, with authentication on.
                answer = requests.get(f"{self.base_url}{ready}", timeout=1)
                if answer.ok or answer.status_code == 401:
                    return time.monotonic() - started
            except requests.ConnectionError:
                time.sleep(0.01)  # nothing to await across processes: poll the port
        raise TimeoutError("server did not answer in time")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def get(self, path: str, **kwargs: Any) -> Any:
        response = requests.get(self.base_url + path, timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: Any) -> Any:
        response = requests.post(self.base_url + path, json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
