"""`jixiao serve` supervises a worker: started with the server, started again if it dies, stopped with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from jixiao.web.desk.jobs_supervisor import worker_command

SCRIPT = """
import sys, time
from jixiao.web.desk import jobs_supervisor as s
folder = sys.argv[1]
child = "import os, sys, time; open(sys.argv[1] + '/' + str(os.getpid()), 'w').close(); time.sleep(120)"
s.worker_command = lambda: [sys.executable, "-c", child, folder + "/workers"]
sys.exit(s.supervise([sys.executable, "-c", child, folder + "/servers"], say=lambda text: None))
"""


def _pids(folder: Path) -> set[int]:
    return {int(p.name) for p in folder.iterdir()}


def _wait(predicate: object, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_the_worker_is_restarted_and_stops_with_the_server(tmp_path: Path) -> None:
    (tmp_path / "workers").mkdir()
    (tmp_path / "servers").mkdir()
    parent = subprocess.Popen([sys.executable, "-c", SCRIPT, str(tmp_path)])
    try:
        _wait(lambda: len(_pids(tmp_path / "workers")) == 1 and len(_pids(tmp_path / "servers")) == 1)
        (first,) = _pids(tmp_path / "workers")
        os.kill(first, signal.SIGKILL)  # the worker dies: it is started again after a pause
        _wait(lambda: len(_pids(tmp_path / "workers")) == 2)
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=30) == 0
        (server,) = _pids(tmp_path / "servers")
        for pid in _pids(tmp_path / "workers") | {server}:
            assert not _alive(pid), pid
    finally:
        parent.kill()
        parent.wait()


def test_the_worker_is_django_tasks_db_worker() -> None:
    command = worker_command()
    assert command[1:4] == ["-m", "django", "db_worker"] and "--no-reload" in command
