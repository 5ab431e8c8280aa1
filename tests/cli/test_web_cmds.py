"""`jixiao serve`, `jixiao backup`, `jixiao restore` as a user runs them, on a SQLite file in a temp dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests_support_web import free_port

from .conftest import Run

ROOT = Path(__file__).resolve().parents[2]


def _env(home: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONIOENCODING": "utf-8", "JIXIAO_HOME": str(home),
            "JIXIAO_SECRET_KEY": "test-" * 12}


def _jixiao(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jixiao", *args], capture_output=True, text=True, cwd=ROOT,
                          env=_env(home), timeout=180)


def test_score_does_not_load_django() -> None:
    code = "import sys, jixiao.cli.app; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_serve_with_demo_data_then_backup_and_restore(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", "--demo", "--port", str(port), "--workers", "1"],
                              cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        body = ""
        deadline = time.monotonic() + 120  # migrating and loading the demo takes a while on a busy machine
        while time.monotonic() < deadline:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "登录" in body
        static = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/jixiao/htmx.min.js", timeout=5)
        assert static.status == 200 and b"htmx" in static.read(2000)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "shangwu-tianbao" in output and "财政审核人" in output and "jixiao-demo-2024" in output
    assert (tmp_path / "var" / "jixiao.sqlite3").exists()

    backup = tmp_path / "all.json"
    done = _jixiao(tmp_path, "backup", str(backup))
    assert done.returncode == 0, done.stderr
    records = json.loads(backup.read_text("utf-8"))
    assert sum(r["model"] == "evaluations.evaluationversion" for r in records) == 6
    (tmp_path / "var" / "jixiao.sqlite3").unlink()
    done = _jixiao(tmp_path, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stderr
    again = tmp_path / "again.json"
    assert _jixiao(tmp_path, "backup", str(again)).returncode == 0
    assert json.loads(again.read_text("utf-8")) == records


def test_restore_of_a_broken_file_exits_2(tmp_path: Path, jixiao: Run) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", "utf-8")
    done = _jixiao(tmp_path, "restore", str(bad), "--yes")
    assert done.returncode == 2 and "不是 jixiao 备份文件" in done.stderr and "Traceback" not in done.stderr


def test_backup_to_an_unwritable_path_exits_2_in_chinese(tmp_path: Path) -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()
    done = _jixiao(tmp_path, "backup", str(folder))
    assert done.returncode == 2, done.stderr
    assert "这是一个文件夹" in done.stderr and "CommandError" not in done.stderr and "内部错误" not in done.stderr


def test_restore_of_invalid_records_exits_2_and_keeps_the_data(tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    assert _jixiao(tmp_path, "backup", str(before)).returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text('[{"model": "auth.user", "pk": "x", "fields": {}}]', "utf-8")  # DeserializationError: exit 70
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, "utf-8")  # RecursionError: exit 70
    for broken, message in ((bad, "记录无效，未做任何更改"), (deep, "嵌套层次过深")):
        done = _jixiao(tmp_path, "restore", str(broken), "--yes")
        assert done.returncode == 2 and message in done.stderr and "内部错误" not in done.stderr, done.stderr
    after = tmp_path / "after.json"
    assert _jixiao(tmp_path, "backup", str(after)).returncode == 0
    assert after.read_text("utf-8") == before.read_text("utf-8")
