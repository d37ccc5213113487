"""Landlock confines a worker's writes to its folders; it reads, runs ffmpeg and shells as before.

Confinement cannot be undone, so every check runs in a child forked from multiprocessing's
forkserver, as the workers are, and the test reads the child's verdict from its exit code.
"""

from __future__ import annotations

import errno
import fcntl
import multiprocessing
import os
import pty
import struct
import subprocess
import termios
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from app.sandbox.landlock import abi_version, confine_writes

pytestmark = pytest.mark.skipif(
    abi_version() == 0, reason="this kernel offers no Landlock (ENOSYS, EOPNOTSUPP or not Linux)"
)

DEVNULL = Path("/dev/null")
VICTIM_TEXT = "keep me\n"


def run_confined(
    body: Callable[..., None],
    *args: Any,
    dirs: Iterable[Path],
    files: Iterable[Path] = (DEVNULL,),
) -> None:
    """Runs ``body(*args)`` in a child that first confines its writes; fails if it fails."""
    in_child(_confined, list(dirs), list(files), body, args)


def in_child(target: Callable[..., None], *args: Any) -> None:
    child = multiprocessing.get_context("forkserver").Process(target=target, args=args)
    child.start()
    child.join(60)
    if child.exitcode is None:
        child.kill()
        child.join()
    assert child.exitcode == 0, "the child failed: its traceback is in the captured stderr"


def _confined(dirs: list[Path], files: list[Path], body: Callable[..., None], args: Any) -> None:
    assert confine_writes(dirs, files) == abi_version() > 0
    body(*args)


@pytest.fixture
def inside(tmp_path: Path) -> Path:
    folder = tmp_path / "inside"
    folder.mkdir()
    (folder / "mine").write_text("mine\n")
    return folder


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim").write_text(VICTIM_TEXT)
    (folder / "empty").mkdir()
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: a file's text, or what kind of entry it is."""
    entries = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        entries[name] = path.read_text() if path.is_file() else "dir" if path.is_dir() else "?"
    return entries


def ffmpeg(output: Path, **streams: Any) -> subprocess.CompletedProcess[bytes]:
    command = ["ffmpeg", "-nostats", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=d=1"]
    return subprocess.run([*command, str(output)], check=False, timeout=60, **streams)


# Each refused write, as a module-level function so the forkserver child can import it.


def create(inside: Path, outside: Path) -> None:
    (outside / "planted").write_text("x")


def truncate_on_open(inside: Path, outside: Path) -> None:
    (outside / "victim").open("w").close()


def truncate_by_path(inside: Path, outside: Path) -> None:
    os.truncate(outside / "victim", 0)


def append(inside: Path, outside: Path) -> None:
    with (outside / "victim").open("a") as victim:
        victim.write("x")


def overwrite_in_place(inside: Path, outside: Path) -> None:
    with (outside / "victim").open("r+") as victim:
        victim.write("x")


def delete(inside: Path, outside: Path) -> None:
    (outside / "victim").unlink()


def rename_out(inside: Path, outside: Path) -> None:
    (outside / "victim").rename(inside / "stolen")


def rename_in(inside: Path, outside: Path) -> None:
    (inside / "mine").rename(outside / "planted")


def rename_over(inside: Path, outside: Path) -> None:
    (inside / "mine").replace(outside / "victim")


def rename_within(inside: Path, outside: Path) -> None:
    (outside / "victim").rename(outside / "renamed")


def make_dir(inside: Path, outside: Path) -> None:
    (outside / "dir").mkdir()


def remove_dir(inside: Path, outside: Path) -> None:
    (outside / "empty").rmdir()


def symlink(inside: Path, outside: Path) -> None:
    (outside / "link").symlink_to("/etc/passwd")


def fifo(inside: Path, outside: Path) -> None:
    os.mkfifo(outside / "fifo")


REFUSED = [
    create,
    truncate_on_open,
    truncate_by_path,
    append,
    overwrite_in_place,
    delete,
    rename_out,
    rename_in,
    rename_over,
    rename_within,
    make_dir,
    remove_dir,
    symlink,
    fifo,
]


def expect_refused(write: Callable[[Path, Path], None], inside: Path, outside: Path) -> None:
    with pytest.raises(PermissionError):
        write(inside, outside)


@pytest.mark.parametrize("write", REFUSED, ids=lambda write: write.__name__)
def test_a_write_outside_the_allowed_folders_is_refused(
    write: Callable[[Path, Path], None], inside: Path, outside: Path
) -> None:
    before = snapshot(outside)
    run_confined(expect_refused, write, inside, outside, dirs=[inside])
    assert snapshot(outside) == before
    assert (inside / "mine").read_text() == "mine\n"


def expect_no_hard_link(inside: Path, outside: Path) -> None:
    # A link inside would let the worker write the victim through it: the kernel answers
    # EXDEV (not EACCES), as for any reparenting it refuses, so `mv` falls back to a copy.
    with pytest.raises(OSError) as refused:
        os.link(outside / "victim", inside / "alias")
    assert refused.value.errno == errno.EXDEV
    (inside / "alias").write_text("x")  # what it could have become: a file of its own


def test_a_file_outside_cannot_be_hard_linked_inside(inside: Path, outside: Path) -> None:
    run_confined(expect_no_hard_link, inside, outside, dirs=[inside])
    assert (outside / "victim").read_text() == VICTIM_TEXT


def write_inside(inside: Path) -> None:
    (inside / "new").write_text("new\n")
    (inside / "mine").write_text("changed\n")
    (inside / "sub").mkdir()
    (inside / "new").rename(inside / "sub" / "moved")  # across folders: REFER from ABI 2
    (inside / "sub" / "link").symlink_to("moved")
    (inside / "mine").unlink()


def test_writes_inside_the_allowed_folders_work(inside: Path) -> None:
    run_confined(write_inside, inside, dirs=[inside])
    assert snapshot(inside) == {"sub": "dir", "sub/link": "new\n", "sub/moved": "new\n"}


def read_outside(outside: Path) -> None:
    assert (outside / "victim").read_text() == VICTIM_TEXT
    assert sorted(p.name for p in outside.iterdir()) == ["empty", "victim"]
    listing = subprocess.run(["ls", str(outside)], capture_output=True, check=True, timeout=30)
    assert listing.stdout.split() == [b"empty", b"victim"]


def test_reading_and_running_programs_outside_stay_allowed(inside: Path, outside: Path) -> None:
    run_confined(read_outside, outside, dirs=[inside])


def shell_writes(inside: Path, outside: Path) -> None:
    refused = subprocess.run(["sh", "-c", "echo x > victim"], cwd=outside, timeout=30)
    assert refused.returncode != 0
    subprocess.run(["sh", "-c", "echo x > made"], cwd=inside, check=True, timeout=30)


def test_a_shell_inherits_the_confinement(inside: Path, outside: Path) -> None:
    before = snapshot(outside)
    run_confined(shell_writes, inside, outside, dirs=[inside])
    assert snapshot(outside) == before
    assert (inside / "made").read_text() == "x\n"


def ffmpeg_writes(inside: Path, outside: Path) -> None:
    # stdin=DEVNULL, opened read-write (and after confinement) by Python: it needs its rule,
    # and ffmpeg's terminal check on it must still answer "not a terminal".
    assert ffmpeg(outside / "out.mp4", stdin=subprocess.DEVNULL).returncode != 0
    assert ffmpeg(inside / "out.mp4", stdin=subprocess.DEVNULL).returncode == 0


def test_ffmpeg_writes_inside_and_is_refused_outside(inside: Path, outside: Path) -> None:
    before = snapshot(outside)
    run_confined(ffmpeg_writes, inside, outside, dirs=[inside])
    assert snapshot(outside) == before
    assert (inside / "out.mp4").stat().st_size > 1000


def open_devnull() -> None:
    with pytest.raises(PermissionError):
        subprocess.run(["true"], stdin=subprocess.DEVNULL, check=True, timeout=30)


def test_devnull_is_writable_only_when_listed(inside: Path) -> None:
    run_confined(open_devnull, dirs=[inside], files=[])


def terminal_then_confine(inside: Path) -> None:
    # Landlock checks a file when it is opened: a terminal the worker already holds, as
    # its stdio or its children's, keeps its ioctls (size, modes) under IOCTL_DEV too.
    leader, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    assert confine_writes([inside], [DEVNULL]) > 0
    assert os.get_terminal_size(terminal) == os.terminal_size((120, 40))
    termios.tcgetattr(terminal)
    streams = {"stdin": terminal, "stdout": terminal, "stderr": terminal}
    assert ffmpeg(inside / "out.mp4", **streams).returncode == 0
    size = subprocess.run(["stty", "size"], stdin=terminal, capture_output=True, timeout=30)
    assert size.stdout == b"40 120\n"
    os.close(leader)


def test_a_terminal_opened_before_confinement_keeps_working(inside: Path) -> None:
    in_child(terminal_then_confine, inside)
    assert (inside / "out.mp4").stat().st_size > 1000


def device_ioctls(outside: Path) -> None:
    with DEVNULL.open("rb") as listed:  # a listed file keeps its ioctls: "not a terminal"
        with pytest.raises(termios.error) as answer:
            termios.tcgetattr(listed.fileno())
        assert answer.value.args[0] == errno.ENOTTY
    with Path("/dev/zero").open("rb") as unlisted:  # another device opened now does not
        with pytest.raises(termios.error) as answer:
            termios.tcgetattr(unlisted.fileno())
        assert answer.value.args[0] == errno.EACCES


@pytest.mark.skipif(abi_version() < 5, reason="device ioctls are handled from Landlock ABI 5")
def test_device_ioctls_follow_the_write_rules(inside: Path, outside: Path) -> None:
    run_confined(device_ioctls, outside, dirs=[inside])


def write_listed_file(inside: Path, outside: Path) -> None:
    (outside / "victim").write_text("allowed\n")
    os.truncate(outside / "victim", 3)
    with pytest.raises(PermissionError):
        (outside / "sibling").write_text("x")
    with pytest.raises(PermissionError):
        (outside / "victim").unlink()


def test_a_listed_file_may_be_written_but_not_its_folder(inside: Path, outside: Path) -> None:
    files = [DEVNULL, outside / "victim", outside / "missing"]
    run_confined(write_listed_file, inside, outside, dirs=[inside, inside / "missing"], files=files)
    assert snapshot(outside) == {"empty": "dir", "victim": "all"}
