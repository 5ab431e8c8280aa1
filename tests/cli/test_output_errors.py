"""An output path that cannot be written is the user's to fix: exit 2, a Chinese message naming it, no traceback."""

import subprocess
from pathlib import Path

import pytest

from audit.conftest import SEED as SEED_REPORT
from cli.conftest import Run

EXAMPLES = Path(__file__).parents[2] / "examples"
SEED = EXAMPLES / "xinshi-commerce-2024.yaml"


def _clean_failure(done: subprocess.CompletedProcess[str], name: str) -> None:
    stderr = done.stderr
    assert done.returncode == 2, stderr
    assert "无法读写文件" in stderr and name in stderr
    assert "Traceback" not in stderr and "内部错误" not in stderr and "Errno" not in stderr


@pytest.mark.parametrize(
    "args",
    [
        ("report", SEED, "--no-charts", "--allow-errors", "-o"),
        ("table", SEED, "--allow-errors", "-o"),
        ("init", "-o"),
    ],
    ids=["report", "table", "init"],
)
def test_output_under_a_file_or_in_proc(jixiao: Run, tmp_path: Path, args: tuple[str | Path, ...]) -> None:
    (tmp_path / "plain").write_text("x", "utf-8")
    suffix = ".yaml" if args[0] == "init" else ".xlsx" if args[0] == "table" else ".md"
    _clean_failure(jixiao(*args, f"plain/out{suffix}"), "plain")
    _clean_failure(jixiao(*args, f"/proc/out{suffix}"), f"/proc/out{suffix}")


@pytest.mark.parametrize("format", ["xlsx", "html"])
def test_audit_checks_its_output_before_auditing(jixiao: Run, tmp_path: Path, format: str) -> None:
    (tmp_path / "taken").mkdir()
    _clean_failure(jixiao("audit", SEED_REPORT, "-f", format, "-o", "taken"), "taken")
    _clean_failure(jixiao("audit", SEED_REPORT, "-f", format, "-o", "/proc/x"), "/proc/x")


def test_usage_errors_and_help_panels_are_chinese(jixiao: Run) -> None:
    unknown = jixiao("score", "--bogus")
    assert unknown.returncode == 2
    assert "用法：jixiao score [选项]" in unknown.stderr and "没有这个选项：--bogus" in unknown.stderr
    missing = jixiao("score")
    assert missing.returncode == 2 and "缺少参数 file" in missing.stderr
    extra = jixiao("score", "a", "b", "c")
    assert extra.returncode == 2 and "多余的参数：b c" in extra.stderr
    for done in (unknown, missing, extra):
        assert "Usage" not in done.stderr and "No such" not in done.stderr and "Missing" not in done.stderr
        assert "Traceback" not in done.stderr
    helped = jixiao("--help")
    assert helped.returncode == 0 and "选项" in helped.stdout and "命令" in helped.stdout
    assert "Options" not in helped.stdout and "Commands" not in helped.stdout


def test_every_commands_help_is_chinese(jixiao: Run) -> None:
    """`jixiao X --help` for every command: the usage line, the --help option and the value types too."""
    from typer.main import get_command
    from typer.testing import CliRunner

    from jixiao.cli.app import app
    from jixiao.cli.chinese_usage import install_chinese_help

    install_chinese_help()
    names = sorted(get_command(app).commands)  # type: ignore[attr-defined]
    assert "check" in names and "audit" in names
    for args in ([], *([name] for name in names)):
        out = CliRunner().invoke(app, [*args, "--help"], prog_name="jixiao", env={"COLUMNS": "200"}).output
        assert "用法：jixiao" in out and "显示本帮助并退出。" in out, (args, out)
        for english in ("Usage", "Show this message", "[OPTIONS]", "COMMAND", "<str>", "<path>", "<bool>", "list["):
            assert english not in out, (args, english, out)
    done = jixiao("check", "--help")  # the real command installs the same
    assert done.returncode == 0 and "用法：jixiao check [选项]" in done.stdout and "<路径>" in done.stdout
