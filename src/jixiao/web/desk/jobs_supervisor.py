"""`jixiao serve` runs the web server and one task-queue worker as supervised child processes.

The worker is django-tasks' `db_worker` (database backend: nothing else to install). If it dies it is
started again (with a growing pause); when the server stops — Ctrl+C, SIGTERM, or gunicorn exiting —
the worker is stopped too, and on Linux the children also get SIGTERM should this process be killed
outright (PR_SET_PDEATHSIG). More workers may run elsewhere against the same database
(`DJANGO_SETTINGS_MODULE=jixiao.web.settings python -m django db_worker`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from types import FrameType

POLL_SECONDS = 0.5
STOP_SECONDS = 8
MAX_PAUSE_SECONDS = 30.0


def worker_command() -> list[str]:
    return [sys.executable, "-m", "django", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "1",
            "--verbosity", "1"]


def _die_with_parent() -> Callable[[], None] | None:
    if not sys.platform.startswith("linux"):
        return None

    def set_death_signal() -> None:
        import ctypes

        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    return set_death_signal


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "jixiao.web.settings"))
    return subprocess.Popen(command, env=env, preexec_fn=_die_with_parent())


def _stop(*processes: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM to all at once, then wait for them together; SIGKILL what is still there after STOP_SECONDS."""
    running = [p for p in processes if p is not None and p.poll() is None]
    for process in running:
        process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def supervise(server_command: list[str], worker: bool = True,
              say: Callable[[str], None] = lambda text: print(text, file=sys.stderr, flush=True)) -> int:
    """Run the server (and a worker) until the server ends or we are told to stop; return its exit code."""
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    server = _start(server_command)
    queue = _start(worker_command()) if worker else None
    pause, restart_at = 1.0, 0.0
    try:
        while not stopping:
            code = server.poll()
            if code is not None:
                return code
            if queue is not None and queue.poll() is not None:
                now = time.monotonic()
                if restart_at == 0.0:
                    say(f"后台任务进程已退出（退出码 {queue.returncode}），{pause:.0f} 秒后重新启动")
                    restart_at = now + pause
                elif now >= restart_at:
                    queue = _start(worker_command())
                    pause, restart_at = min(pause * 2, MAX_PAUSE_SECONDS), 0.0
            time.sleep(POLL_SECONDS)
        return 0
    finally:
        _stop(queue, server)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
