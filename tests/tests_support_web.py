"""Small helpers shared by the web and CLI tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
DEMO_PASSWORD = "jixiao-demo-2024"


def _env(home: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "JIXIAO_HOME": str(home), "JIXIAO_SECRET_KEY": "e2e-" * 13,
            "PYTHONPATH": str(ROOT / "tests" / "e2e_server"), "DJANGO_SETTINGS_MODULE": "jixiao_e2e_settings"}


# What `jixiao serve --demo` does before it starts gunicorn: migrate, then load the demo.
_MIGRATE_AND_LOAD = (
    "from jixiao.cli.web_cmds import migrate, setup_django\n"
    "setup_django()\n"
    "migrate()\n"
    "from jixiao.web.demo import load_demo\n"
    "load_demo()\n"
)


def build_demo_database(folder: Path) -> Path:
    """A home whose SQLite database `serve --demo` has migrated and loaded, for demo_server to copy.

    Loading the demo cost three quarters of a server's start (~16 CPU-seconds); each browser module
    still gets a server and a database of its own (a copy), so no module sees another's changes."""
    home = folder / "demo-home"
    if not home.exists():
        building = Path(tempfile.mkdtemp(prefix="demo-home-", dir=folder))  # renamed only once whole
        done = subprocess.run([sys.executable, "-c", _MIGRATE_AND_LOAD], cwd=ROOT, env=_env(building),
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            pytest.fail(f"migrating and loading the demo failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
        building.rename(home)
    return home / "var" / "jixiao.sqlite3"


@contextmanager
def demo_server(workers: int = 2, database: Path | None = None) -> Iterator[str]:
    """The real server (`jixiao serve --demo`: gunicorn, SQLite, the demo organisation, the settings of
    tests/e2e_server) in a fresh home;
    `database`: a copy of it (build_demo_database) is the home's database, so `--demo` finds the demo
    already loaded (migrate and load_demo still run, and find nothing to do)."""
    home = Path(tempfile.mkdtemp(prefix="jixiao-e2e-"))
    if database is not None:  # with its -wal file, should SQLite have left one
        shutil.copytree(database.parent, home / "var", dirs_exist_ok=True)
    port = free_port()
    env = _env(home)
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "serve", "--demo", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        # Migrating and loading the demo takes a while on a busy machine (two minutes seen at load 16).
        deadline = time.monotonic() + 300
        while True:
            try:
                urllib.request.urlopen(url + "/login/", timeout=5)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = (home / "server.log").read_text("utf-8", "replace")[-3000:]
                    pytest.fail(f"the demo server did not start (exit {process.poll()}):\n{tail}")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def launch_chromium(playwright: Any) -> Any:
    """Debian's chromium under Playwright, with nothing that reaches the network."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync"],
    )


def browser_login(page: Any, server: str, name: str) -> None:
    """Log `page` in as the demo user `name` (cookies cleared first: one browser plays several people)."""
    from playwright.sync_api import expect

    page.context.clear_cookies()
    page.goto(server + "/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("header .who")).to_be_visible()


def screenshot_folder() -> Path:
    """Where browser tests save their screenshots: $JIXIAO_SCREENSHOTS, else a fresh temporary folder."""
    folder = Path(os.environ.get("JIXIAO_SCREENSHOTS") or tempfile.mkdtemp(prefix="jixiao-shots-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# The marks every real-browser test module carries: run with the others, skipped where chromium is missing.
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"),
]
