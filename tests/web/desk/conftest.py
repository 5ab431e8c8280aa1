"""Every desk test writes job files to its own JOBS_DIR."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def jobs_dir(settings: Any, tmp_path: Path) -> Path:
    settings.JOBS_DIR = tmp_path / "jobs"
    return settings.JOBS_DIR  # type: ignore[no-any-return]
