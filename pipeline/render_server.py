"""Warm render server: render jobs run as forks of one process that has WeasyPrint loaded and has rendered before.

Why: a render job spends about 1.2 s importing WeasyPrint (cffi parsing Pango's declarations) and about 0.8 s
warming up (templates compiled, fonts read and shaped) before its own pages, and a year has 32 such jobs. So
`python -m pipeline render` asks a server to fork a copy of itself that runs the same command in the caller's
working folder, with its environment, umask, standard output and error; the caller prints what the copy prints
and exits with its status. The first copy a server forks warms up on its own job and then takes the server's
place, so every later job forks from a process that has rendered a report.

One server per working folder, Python, environment and version of this package's code (the socket's name is a
digest of them), so a changed module or another workflow never meets an old server. A server ends after IDLE_S
seconds without a request. The socket lives in a folder only this user can enter and the server serves only
this user. Whenever no server can be had, the job renders in its own process, with identical output.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

IDLE_S = 120.0  # a server this long without a request ends
START_TIMEOUT_S = 30.0  # how long a job waits for a server it started to listen
PACKAGE = Path(__file__).resolve().parent
HEADER = struct.Struct("!I")  # length of a JSON request
STARTED = b"started\n"


def socket_path(cwd: Path | None = None) -> Path | None:
    """The server socket for this folder, Python, environment and code; None where Unix sockets cannot be used."""
    if not hasattr(socket, "AF_UNIX"):
        return None
    digest = hashlib.sha256()
    for part in (sys.executable, str(PACKAGE), str((cwd or Path.cwd()).resolve())):
        digest.update(part.encode() + b"\0")
    for name, value in sorted(os.environ.items()):
        digest.update(f"{name}={value}\0".encode(errors="surrogateescape"))
    for module in sorted(PACKAGE.glob("*.py")):
        stat = module.stat()
        digest.update(f"{module.name}:{stat.st_mtime_ns}:{stat.st_size}\0".encode())
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
    """Run the render command `argv` in a server; `render(argv)` in this process when there is none."""
    path = socket_path()
    if path is None or not _private_folder(path.parent):
        return render(argv)
    for _ in range(2):  # a server that ends just as a job connects never started it: ask again once
        connection = _connect_or_start(path)
        if connection is None:
            return render(argv)
        with connection:
            status = _ask(connection, argv)
        if status is not None:
            return status
    return render(argv)


def _connect(path: Path) -> socket.socket | None:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(str(path))
    except OSError:
        client.close()
        return None
    return client


def _connect_or_start(path: Path) -> socket.socket | None:
    """A connection to the server, starting one if none listens (one job starts it; the others wait)."""
    client = _connect(path)
    if client is not None:
        return client
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        client = _connect(path)
        if client is not None:
            return client
        path.unlink(missing_ok=True)  # a socket nobody listens on: left by a server that was killed
        log = open(path.with_suffix(".log"), "ab")  # noqa: SIM115 - the server's own output, if it has any
        with log:
            subprocess.Popen(
                [sys.executable, "-m", "pipeline.render_server", str(path)],
                cwd=PACKAGE.parent,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # outlives this job; not stopped by a signal to the job's process group
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            client = _connect(path)
            if client is not None:
                return client
            time.sleep(0.02)
    return None


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


def serve(path: Path) -> None:
    """Listen on `path` and fork a copy per job; the first copy takes over once its job is done."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(64)
    inode = os.stat(path).st_ino
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # copies are reaped by the kernel; they report to their job
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # the successor took over: leave the socket to it
    _preload()
    successor = True  # the next copy forked takes over when its job is done
    listener.settimeout(IDLE_S)
    while True:
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            break
        with connection:
            connection.settimeout(None)
            job = _receive(connection)
            if job is None:
                continue
            request, fds = job
            sys.stdout.flush()
            sys.stderr.flush()
            server = os.getpid()
            if os.fork() == 0:
                _run_job(connection, request, fds)
                if not successor or os.getppid() != server:
                    os._exit(0)
                os.kill(server, signal.SIGTERM)  # this copy is warm now: it serves from here on
                signal.signal(signal.SIGCHLD, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            else:
                for fd in fds:
                    os.close(fd)
            successor = False
    with contextlib.suppress(FileNotFoundError):
        if os.stat(path).st_ino == inode:  # not a newer server's socket
            path.unlink()


def _preload() -> None:
    """Import what every job imports, so that no copy pays for it."""
    import weasyprint  # noqa: F401
    import weasyprint.text.fonts  # noqa: F401

    from . import __main__, render  # noqa: F401


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


def _run_job(connection: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
    """In the forked copy: become the job (folder, environment, streams), run it, report its exit status."""
    from .__main__ import main

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    saved = [os.dup(1), os.dup(2)]
    done = threading.Event()
    connection.sendall(STARTED)
    threading.Thread(target=_end_with, args=(connection, done), daemon=True).start()
    if request.get("argv", [None])[0] == "render":
        with _job_environment(request, fds):
            try:
                status = main(request["argv"], in_server=True)
            except SystemExit as exit_:  # argparse's usage errors
                status = exit_.code if isinstance(exit_.code, int) else 1
            sys.stdout.flush()
            sys.stderr.flush()
    else:
        status = 2  # the server runs render jobs only
    for fd, target in zip(saved, (1, 2), strict=True):
        os.dup2(fd, target)  # the job's pipes are closed here, so its `tee` ends when the job does
        os.close(fd)
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


@contextlib.contextmanager
def _job_environment(request: dict[str, Any], fds: list[int]) -> Iterator[None]:
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.umask(request["umask"])
    for fd, target in zip(fds, (1, 2), strict=True):
        os.dup2(fd, target)
        os.close(fd)
    yield


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
