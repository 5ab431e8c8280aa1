"""The hostile-file set through the real command: exit 2, a Chinese message naming the file, no traceback,
in bounded time and memory."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from hostile import far_cell_xlsx, run_measured, unpacking_bomb_xlsx, write

from .conftest import Run


def measured(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], float, int]:
    started = time.perf_counter()
    run, peak = run_measured(*args)
    return run, time.perf_counter() - started, peak


@pytest.mark.parametrize("command", ["score", "check"])
@pytest.mark.parametrize(("name", "make", "says"), [
    ("远处.xlsx", far_cell_xlsx, "XFD1048576"),
    ("炸弹.xlsx", unpacking_bomb_xlsx, "解压后过大"),
])
def test_hostile_workbooks_exit_2_quickly_in_little_memory(command: str, name: str, make: object, says: str,
                                                           tmp_path: Path) -> None:
    path = write(tmp_path / name, make())  # type: ignore[operator]
    run, seconds, peak_kb = measured(command, path)
    out = run.stdout + run.stderr
    assert run.returncode == 2, out
    assert says in out and name in out and "Traceback" not in out
    assert seconds < 30 and peak_kb < 400 * 1024, (seconds, peak_kb)


@pytest.mark.parametrize("weight", ["1e999999999", "9" * 5000, "'²'", "'٣'", "1e30"])
def test_hostile_numbers_in_a_file_exit_2_with_a_chinese_message(jixiao: Run, tmp_path: Path, weight: str) -> None:
    """A YAML file's number written to break the arithmetic (or read as another digit) is exit 2, never 70."""
    seed = (Path(__file__).parents[2] / "examples" / "xinshi-commerce-2024.yaml").read_text("utf-8")
    first_weight = re.search(r"\n(\s+)weight: [0-9.]+", seed)
    assert first_weight is not None
    hostile = seed.replace(first_weight.group(0), f"\n{first_weight.group(1)}weight: {weight}", 1)
    path = write(tmp_path / "自评.yaml", hostile.encode())
    done = jixiao("score", path)
    assert done.returncode == 2, (weight[:20], done.returncode, done.stderr[-500:])
    assert "自评.yaml" in done.stderr and "分值" in done.stderr and "Traceback" not in done.stderr
