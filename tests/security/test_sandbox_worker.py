"""A confined worker cannot write outside its roots or reach internal addresses, even when
the code it runs tries directly: Python calls meet the audit hook, everything below it (libc,
a shell, ffmpeg) meets Landlock in the kernel."""

from __future__ import annotations

import ctypes
import os
import socket
import subprocess
from ipaddress import ip_network
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

from app.sandbox import landlock
from app.sandbox.guard import Confinement
from app.sandbox.network import NetworkPolicy
from app.workers.pool import WorkerPool
from tests.conftest import MakePool

KERNEL = pytest.mark.skipif(not landlock.abi_version(), reason="Landlock is not available here")


def write_attempts(job: dict[str, str], conn: Connection) -> None:
    """Runs in the worker: each way of writing, and whether it worked."""
    outside, inside = Path(job["outside"]), Path(job["inside"])
    results: dict[str, bool] = {}

    def attempt(name: str, action: Any) -> None:
        try:
            action()
        except OSError:
            results[name] = False
        else:
            results[name] = True

    attempt("open", lambda: (outside / "open").write_text("x"))
    attempt("append", lambda: (outside / "existing").open("a").close())
    attempt("os.open", lambda: os.close(os.open(outside / "os-open", os.O_WRONLY | os.O_CREAT)))
    attempt("mkdir", lambda: (outside / "dir").mkdir())
    attempt("remove", lambda: (outside / "existing").unlink())
    attempt("rename-out", lambda: (inside / "mine").rename(outside / "moved"))
    attempt("rename-in", lambda: (outside / "existing").rename(inside / "taken"))
    attempt("symlink", lambda: (outside / "link").symlink_to(inside))
    attempt("utime", lambda: os.utime(outside / "existing", (0, 0)))
    attempt("escape-by-dots", lambda: (inside / ".." / "dots").write_text("x"))
    attempt("inside", lambda: (inside / "fine").write_text("x"))
    attempt("relative", lambda: Path("relative").write_text("x"))
    results["cwd-is-private"] = Path.cwd().is_relative_to(inside)
    libc = ctypes.CDLL(None, use_errno=True)
    flags = os.O_WRONLY | os.O_CREAT
    results["libc"] = libc.open(str(outside / "libc").encode(), flags, 0o644) >= 0
    shell = subprocess.run(["sh", "-c", f"echo x > {outside / 'shell'}"], check=False)
    results["shell"] = shell.returncode == 0
    conn.send(results)


def connect_attempts(job: dict[str, Any], conn: Connection) -> None:
    results: dict[str, bool] = {}
    for host in job["hosts"]:
        try:
            socket.create_connection((host, job["port"]), timeout=5).close()
        except PermissionError:
            results[host] = False
        else:
            results[host] = True
    conn.send(results)


async def run(pool: WorkerPool, target: Any, job: dict[str, Any]) -> dict[str, bool]:
    child = await pool.spawn(target, job)
    messages = [message async for message in child.messages()]
    await child.wait()
    pool.release(child)
    assert messages and isinstance(messages[-1], dict), messages
    results: dict[str, bool] = messages[-1]
    return results


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    outside, inside = tmp_path / "outside", tmp_path / "root"
    outside.mkdir()
    inside.mkdir()
    (outside / "existing").write_text("keep")
    (inside / "mine").write_text("mine")
    return outside, inside


async def test_python_writes_outside_are_refused(
    make_pool: MakePool, roots: tuple[Path, Path]
) -> None:
    outside, inside = roots
    confinement = Confinement.of(inside, (), NetworkPolicy())
    pool = await make_pool(confinement=confinement)
    results = await run(pool, write_attempts, {"outside": str(outside), "inside": str(inside)})
    python_level = {key: value for key, value in results.items() if key not in ("libc", "shell")}
    assert python_level == {
        "open": False,
        "append": False,
        "os.open": False,
        "mkdir": False,
        "remove": False,
        "rename-out": False,
        "rename-in": False,
        "symlink": False,
        "utime": False,
        "escape-by-dots": False,
        "inside": True,
        "relative": True,
        "cwd-is-private": True,
    }
    assert sorted(p.name for p in outside.iterdir()) == ["existing"]
    assert (outside / "existing").read_text() == "keep"


@KERNEL
async def test_writes_below_python_are_refused_by_the_kernel(
    make_pool: MakePool, roots: tuple[Path, Path]
) -> None:
    outside, inside = roots
    pool = await make_pool(confinement=Confinement.of(inside, (), NetworkPolicy()))
    results = await run(pool, write_attempts, {"outside": str(outside), "inside": str(inside)})
    assert results["libc"] is False
    assert results["shell"] is False
    assert sorted(p.name for p in outside.iterdir()) == ["existing"]


async def test_connections_to_internal_addresses_are_refused(
    make_pool: MakePool, tmp_path: Path
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        hosts = ["127.0.0.1", "localhost", "127.1"]
        if socket.gethostbyname(socket.gethostname()).startswith("127."):
            hosts.append(socket.gethostname())  # a plain name that resolves to loopback
        refused = await make_pool(confinement=Confinement.of(tmp_path, (), NetworkPolicy()))
        job = {"hosts": hosts, "port": port}
        assert await run(refused, connect_attempts, job) == dict.fromkeys(hosts, False)
        allowed = NetworkPolicy(allowed=(ip_network("127.0.0.0/8"),))
        listed = await make_pool(confinement=Confinement.of(tmp_path, (), allowed))
        assert await run(listed, connect_attempts, job) == dict.fromkeys(hosts, True)
