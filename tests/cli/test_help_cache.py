"""`jixiao --help` from what typer printed last time (cli/launch.py): always exactly what typer prints."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.cli import launch

TYPER_HELP = (
    "import sys\nsys.argv = ['jixiao', '--help']\nfrom jixiao.cli.app import app\nfrom jixiao.cli.errors import guarded_main\n"
    "sys.exit(guarded_main(app))"
)


def env_with(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "COLUMNS")}
    return {**env, "PYTHONPYCACHEPREFIX": str(cache), **extra}


def jixiao_help(env: dict[str, str], *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *flags, "-m", "jixiao", "--help"], capture_output=True, text=True, env=env,
                          check=True)


def typer_help(env: dict[str, str]) -> str:
    """What typer itself prints for `jixiao --help` in this environment (no kept help involved)."""
    return subprocess.run([sys.executable, "-c", TYPER_HELP], capture_output=True, text=True, env=env, check=True).stdout


def test_the_kept_help_is_what_typer_prints_and_needs_no_typer(tmp_path: Path) -> None:
    env = env_with(tmp_path)
    expected = typer_help(env)
    assert "用法：jixiao" in expected and "audit" in expected
    first = jixiao_help(env)
    assert first.stdout == expected
    assert [p for p in tmp_path.iterdir() if p.name.startswith("help-")]
    again = jixiao_help(env, "-X", "importtime")
    assert again.stdout == expected
    assert "typer" not in again.stderr and "rich" not in again.stderr  # the import log: neither was imported


def test_each_width_keeps_its_own_help(tmp_path: Path) -> None:
    for columns in ("80", "132", "80"):
        env = env_with(tmp_path, COLUMNS=columns)
        assert jixiao_help(env).stdout == typer_help(env)
    assert typer_help(env_with(tmp_path, COLUMNS="132")) != typer_help(env_with(tmp_path, COLUMNS="80"))


def test_a_damaged_file_is_formatted_afresh_and_rewritten(tmp_path: Path) -> None:
    env = env_with(tmp_path)
    jixiao_help(env)
    (kept,) = [p for p in tmp_path.iterdir() if p.name.startswith("help-")]
    kept.write_bytes(b"\x00not marshal")
    assert jixiao_help(env).stdout == typer_help(env)
    assert launch._load(str(kept))  # rewritten whole


def test_nothing_is_written_where_bytecode_is_not(tmp_path: Path) -> None:
    env = env_with(tmp_path, PYTHONDONTWRITEBYTECODE="1")
    assert jixiao_help(env).stdout == typer_help(env)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("help-")]


def test_the_key_follows_the_terminal_and_what_rich_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    base = launch.help_key()
    for name, value in (("COLUMNS", "97"), ("NO_COLOR", "1"), ("FORCE_COLOR", "1"), ("TERM", "dumb"), ("LANG", "C")):
        with monkeypatch.context() as changed:
            changed.setenv(name, value + "x")  # differs from whatever the environment has
            assert launch.help_key() != base, name
    monkeypatch.setenv("UNRELATED_VARIABLE", "1")
    assert launch.help_key() == base


def test_other_arguments_go_to_typer(tmp_path: Path) -> None:
    env = env_with(tmp_path)
    done = subprocess.run([sys.executable, "-m", "jixiao", "score", "--help"], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and "用法：jixiao score" in done.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("help-")]
