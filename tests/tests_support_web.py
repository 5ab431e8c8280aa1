"""Small helpers shared by the web and CLI tests."""

from __future__ import annotations

import os
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


@contextmanager
def demo_server(workers: int = 2) -> Iterator[str]:
    """The real server (`jixiao serve --demo`: gunicorn, SQLite, the demo organisation) in a fresh home."""
    home = Path(tempfile.mkdtemp(prefix="jixiao-e2e-"))
    port = free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "JIXIAO_HOME": str(home), "JIXIAO_SECRET_KEY": "e2e-" * 13}
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
