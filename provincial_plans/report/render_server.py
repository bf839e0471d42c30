"""Warm render server: render jobs run as forks of a process that has rendered a report already.

A process model beside Snakemake's. Snakemake starts every job as a process of its own and sees only its exit
status; a render job spends about 1.2 s importing WeasyPrint (cffi parsing Pango's declarations) and about 0.8 s
warming up (templates compiled, fonts read and shaped) before its own pages, and a year has 32 such jobs. So a job
that finds no server renders in its own process, as any job would, and then leaves that warm process behind as the
server (a fork, in a session of its own): later jobs ask it to fork a copy of itself that runs their command in
their working folder, with their environment, umask, standard output and error; the job prints what its copy prints
and exits with its status. Snakemake sees ordinary jobs; a run that renders one report pays nothing for this. The
command a copy runs is the `render` callable its first job handed over (report.cli), so this module imports nothing
of the stages.

One server per working folder, Python, environment and version of the package's code (every module of every stage:
the socket's name is a digest of them), so a changed module or another workflow never meets an old server. A
server ends after IDLE_S seconds without a request (or at SIGTERM) and removes its socket, lock and log; the next
server to start removes those of servers that were killed (their lock is free and their socket answers nobody). The
socket lives in a folder only this user can enter and the server serves only this user. A killed job stops its
copy. Where there is no fcntl (Windows) there is no server: every job renders in its own process.

None in a SLURM job: a server left behind there outlives the job's allocation (it is in a session of its own) and a
later job on the node would render in it, outside its own allocation's CPUs, memory limit and accounting; with every
job's own SLURM_* variables in the digest, each job also started a server of its own. Cluster profiles render
several reports per job instead (`render_batch`).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import signal
import socket
import struct
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: no flock, no Unix-socket credentials; jobs render in their own process
    fcntl = None

IDLE_S = 120.0  # a server this long without a request ends
PACKAGE = Path(__file__).resolve().parent.parent  # the whole package: every stage's modules
HEADER = struct.Struct("!I")  # length of a JSON request
STARTED = b"started\n"


def socket_path(cwd: Path | None = None) -> Path | None:
    """The server socket for this folder, Python, environment and code; None where there can be no server: no
    Unix sockets, no way to check the user at the other end (SO_PEERCRED, Linux), or a SLURM job."""
    if fcntl is None or not hasattr(socket, "AF_UNIX") or not hasattr(socket, "SO_PEERCRED"):
        return None
    if "SLURM_JOB_ID" in os.environ:  # see the module's docstring
        return None
    digest = hashlib.sha256()
    for part in (sys.executable, str(PACKAGE), str((cwd or Path.cwd()).resolve())):
        digest.update(part.encode() + b"\0")
    for name, value in sorted(os.environ.items()):
        digest.update(f"{name}={value}\0".encode(errors="surrogateescape"))
    for module in sorted(PACKAGE.rglob("*.py")):
        stat = module.stat()
        digest.update(f"{module.relative_to(PACKAGE)}:{stat.st_mtime_ns}:{stat.st_size}\0".encode())
    folder = Path(tempfile.gettempdir()) / f"provincial-plans-{os.getuid()}"
    path = folder / f"render-{digest.hexdigest()[:20]}.sock"
    return path if len(os.fsencode(path)) < 100 else None  # sun_path holds 108 bytes


def _private_folder(folder: Path) -> bool:
    """Create the socket folder (mode 0700) or check that an existing one is ours and closed to others."""
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = os.lstat(folder)
    return info.st_uid == os.getuid() and (info.st_mode & 0o077) == 0 and not os.path.islink(folder)


def run(argv: list[str], render: Callable[[list[str]], int]) -> int:
    """Run the render command `argv` in the server; without one, `render(argv)` here, then become the server."""
    path = socket_path()
    if path is None or not _private_folder(path.parent):
        return render(argv)
    for _ in range(2):  # a server that ends just as a job connects never started it: ask again once
        connection = _connect(path)
        if connection is None:
            break
        with connection:
            status = _ask(connection, argv)
        if status is not None:
            return status
    status = render(argv)
    if status == 0:
        _leave_server(path, render)
    return status


def _connect(path: Path) -> socket.socket | None:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(str(path))
    except OSError:
        client.close()
        return None
    return client


def _ask(connection: socket.socket, argv: list[str]) -> int | None:
    """Send the job and relay its end: its exit status, or None if the server closed before starting it."""
    request = json.dumps(
        {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "umask": _umask()}, ensure_ascii=False
    ).encode("utf-8", errors="surrogateescape")
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        socket.send_fds(connection, [HEADER.pack(len(request)) + request], [1, 2])
        reply = connection.makefile("rb")
        if reply.readline() != STARTED:
            return None
        end = reply.readline().decode("ascii", errors="replace").split()
    except OSError:
        return None
    if len(end) == 2 and end[0] == "exit" and end[1].lstrip("-").isdigit():
        return int(end[1])
    print("error: the render server's copy running this job stopped before it finished", file=sys.stderr)
    return 1


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _leave_server(path: Path, render: Callable[[list[str]], int]) -> None:
    """Fork this warm process into a server of its own session, unless one listens already; the job goes on."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.fork() != 0:
        return
    try:
        os.setsid()  # outlives the job; not stopped by a signal to the job's process group
        quiet = os.open(os.devnull, os.O_RDWR)
        for target in (0, 1, 2):
            os.dup2(quiet, target)  # the job's output pipe closes with the job: its `tee` ends
        serve(path, render)
    finally:
        os._exit(0)


def serve(path: Path, render: Callable[[list[str]], int]) -> None:
    """Listen on `path` (unless another server does) and fork a copy per job, which runs `render(argv)`, until
    IDLE_S without one.

    The server holds its lock file (flock) for its whole life, so that a lock nobody holds marks a server that
    is gone; its socket, lock and log are removed when it ends."""
    lock = _hold(path.with_suffix(".lock"))
    if lock is None:
        return  # another server lives, or another job is becoming the server
    listener = None
    try:
        client = _connect(path)
        if client is not None:  # a server of an earlier version, which holds no lock while it serves
            client.close()
            return
        _remove_stale(path.parent)
        log = os.open(path.with_suffix(".log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        for target in (1, 2):
            os.dup2(log, target)
        os.close(log)
        os.ftruncate(lock, 0)
        os.write(lock, f"{os.getpid()}\n".encode("ascii"))  # for a person asking which process it is
        path.unlink(missing_ok=True)  # a socket nobody listens on: left by a server that was killed
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(path))
        os.chmod(path, 0o600)
        listener.listen(64)
        signal.signal(signal.SIGTERM, _stop)
        _accept(listener, lock, render)
    except SystemExit:  # SIGTERM: end as when idle
        pass
    finally:
        if listener is not None:
            listener.close()
            path.unlink(missing_ok=True)
        path.with_suffix(".log").unlink(missing_ok=True)
        path.with_suffix(".lock").unlink(missing_ok=True)  # while still held: no starter takes it meanwhile
        os.close(lock)


def _accept(listener: socket.socket, lock: int, render: Callable[[list[str]], int]) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # copies are reaped by the kernel; they report to their job
    gc.freeze()  # a copy's garbage collector leaves the inherited objects alone: fewer pages copied on write
    listener.settimeout(IDLE_S)
    while True:
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            return
        with connection:
            connection.settimeout(None)
            job = _receive(connection)
            if job is None:
                continue
            request, fds = job
            if os.fork() == 0:
                listener.close()
                os.close(lock)  # the lock stays the server's alone: it is free once the server ends
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                _run_job(connection, request, fds, render)
                os._exit(0)
            for fd in fds:
                os.close(fd)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _hold(lock_path: Path) -> int | None:
    """The lock file's descriptor, locked; None when another process holds it, or when the file was removed
    (by a server ending) between opening and locking it."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(fd).st_ino == os.stat(lock_path).st_ino:
            return fd
    except OSError:  # held (BlockingIOError), or removed meanwhile (FileNotFoundError)
        pass
    os.close(fd)
    return None


def _remove_stale(folder: Path) -> None:
    """Sockets, locks and logs of servers that are gone (killed before they could remove them): a lock nobody
    holds, or none, and a socket that answers nobody."""
    for lock_path in folder.glob("render-*.lock"):
        held = _hold(lock_path)
        if held is None:
            continue  # a live server, or one starting
        try:
            if _gone(lock_path.with_suffix(".sock")):
                lock_path.unlink(missing_ok=True)
        finally:
            os.close(held)
    for leftover in [*folder.glob("render-*.sock"), *folder.glob("render-*.log")]:
        if not leftover.with_suffix(".lock").exists():  # a server creates its lock first and removes it last
            _gone(leftover.with_suffix(".sock"))


def _gone(socket_file: Path) -> bool:
    """Remove a server's socket and log unless its socket answers (a server of an earlier version, which holds no
    lock while it serves: it ends when idle); whether they were removed."""
    client = _connect(socket_file)
    if client is not None:
        client.close()
        return False
    socket_file.unlink(missing_ok=True)
    socket_file.with_suffix(".log").unlink(missing_ok=True)
    return True


def _receive(connection: socket.socket) -> tuple[dict[str, Any], list[int]] | None:
    """A job from this user: its request and its standard output and error; None for anything else."""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", credentials)
    if uid != os.getuid():
        return None
    try:
        data, fds, _, _ = socket.recv_fds(connection, 65536, 2)
        while len(data) < HEADER.size or len(data) < HEADER.size + HEADER.unpack_from(data)[0]:
            more = connection.recv(65536)
            if not more:
                raise OSError("short request")
            data += more
        request = json.loads(data[HEADER.size :].decode("utf-8", errors="surrogateescape"))
    except (OSError, ValueError, struct.error):
        return None
    if len(fds) != 2:
        for fd in fds:
            os.close(fd)
        return None
    return request, fds


def _run_job(
    connection: socket.socket, request: dict[str, Any], fds: list[int], render: Callable[[list[str]], int]
) -> None:
    """In the forked copy: become the job (folder, environment, streams), run it, report its exit status."""

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    done = threading.Event()
    connection.sendall(STARTED)
    threading.Thread(target=_end_with, args=(connection, done), daemon=True).start()
    status = 2  # the server runs render jobs only
    if request.get("argv", [None])[0] == "render":
        _enter_job(request, fds)
        try:
            status = render(request["argv"])
        except SystemExit as exit_:  # argparse's usage errors
            status = exit_.code if isinstance(exit_.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
    done.set()
    with contextlib.suppress(OSError):
        connection.sendall(f"exit {status}\n".encode("ascii"))


def _end_with(connection: socket.socket, done: threading.Event) -> None:
    """Stop the copy when its job goes away (killed or interrupted): nothing is left rendering for nobody."""
    with contextlib.suppress(OSError):
        while connection.recv(1):
            pass
    if not done.is_set():
        os._exit(1)


def _enter_job(request: dict[str, Any], fds: list[int]) -> None:
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.umask(request["umask"])
    for fd, target in zip(fds, (1, 2), strict=True):
        os.dup2(fd, target)
        os.close(fd)
