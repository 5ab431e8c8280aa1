"""`jixiao --help` and every command's start-up must not pay for libraries only some commands use."""

import subprocess
import sys
from pathlib import Path

# What importing the CLI must leave unloaded: each is imported by the command that needs it, when it runs.
HEAVY = ("pydantic", "rich.progress", "docx", "openpyxl", "yaml", "pypdfium2", "django", "jixiao.core.model",
         "jixiao.io.rules_file", "jixiao.audit.run", "jixiao.report.write")
# Loaded only to print help (typer's rich help formatter brings markdown and syntax highlighting).
HELP_ONLY = ("typer.rich_utils", "markdown_it", "pygments")
SEED = Path(__file__).parents[1] / "audit" / "data" / "seed.txt"


def test_importing_the_cli_loads_no_heavy_library() -> None:
    probe = f"import sys, jixiao.cli.app; print(' '.join(m for m in {HEAVY + HELP_ONLY!r} if m in sys.modules))"
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


def test_auditing_one_file_loads_no_help_formatter_or_progress_bar() -> None:
    """One report audited to JSON: what only help, a batch (its progress bar, its worker processes) and
    the table output need stays unloaded."""
    unwanted = (*HELP_ONLY, "rich.progress", "rich.table", "rich.console", "concurrent.futures", "multiprocessing",
                "docx", "openpyxl", "django", "pypdfium2", "numpy")
    probe = (
        "import sys\nfrom jixiao.cli.app import app\nfrom jixiao.cli.errors import guarded_main\n"
        f"sys.argv = ['jixiao', 'audit', {str(SEED)!r}, '--format', 'json']\n"
        "code = guarded_main(app)\n"
        f"print('CODE', code, ' '.join(m for m in {unwanted!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].split() == ["CODE", "1"]  # the seed has errors; nothing unwanted loaded


def test_help_loads_neither_markdown_nor_syntax_highlighting() -> None:
    """typer's help formatter imports rich's Markdown and Traceback; jixiao's help uses neither."""
    probe = (
        "import sys\nfrom jixiao.cli.app import app\nfrom jixiao.cli.errors import guarded_main\n"
        "sys.argv = ['jixiao', 'audit', '--help']\ncode = guarded_main(app)\n"
        "print('CODE', code, ' '.join(m for m in ('markdown_it', 'pygments', 'rich.markdown', 'rich.traceback')"
        " if m in sys.modules))\n"
        "from typer import rich_utils\n"
        "assert type(rich_utils.Markdown('**x**')).__module__ == 'rich.markdown'  # the real one, when used\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "用法：jixiao audit" in done.stdout and "选项" in done.stdout
    assert lines[-1].split() == ["CODE", "0"]
