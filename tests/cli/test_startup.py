"""`jixiao --help` and every command's start-up must not pay for libraries only some commands use."""

import subprocess
import sys

# What importing the CLI must leave unloaded: each is imported by the command that needs it, when it runs.
HEAVY = ("pydantic", "rich.progress", "docx", "openpyxl", "yaml", "pypdfium2", "django", "jixiao.core.model",
         "jixiao.io.rules_file", "jixiao.audit.run", "jixiao.report.write")


def test_importing_the_cli_loads_no_heavy_library() -> None:
    probe = f"import sys, jixiao.cli.app; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def test_help_lists_every_command_without_loading_them() -> None:
    probe = (
        "import sys\nfrom typer.testing import CliRunner\nfrom jixiao.cli.app import app\n"
        "out = CliRunner().invoke(app, ['--help']).output\n"
        "assert all(c in out for c in ('audit', 'score', 'report', 'table', 'init', 'serve')), out\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
