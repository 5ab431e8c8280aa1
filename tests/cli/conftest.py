from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def jixiao(tmp_path: Path) -> Run:
    """Run the real command in a subprocess, as a user would (exit codes, stdout, stderr)."""

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "jixiao", *map(str, args)],
            capture_output=True, text=True, cwd=cwd or tmp_path, timeout=120,
            env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"},
        )

    return run
