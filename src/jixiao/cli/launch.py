"""The `jixiao` command's entry point: `jixiao --help` printed from what typer printed last time.

Building the top-level help costs two thirds of `jixiao --help`: importing typer's rich formatter and
rich's console, laying out the panels. What it prints depends only on the CLI's code (its commands'
names and docstrings), the installed typer and rich, and the terminal it prints to (is it one, its
size, its encoding, the variables rich and typer read: COLUMNS, TERM, NO_COLOR, FORCE_COLOR …). So
the first `jixiao --help` in a given terminal is formatted by typer as usual and its output kept, under
a key of all of those, in a file beside the bytecode cache (as `regex_cache` keeps its patterns); the
next one with the same key writes that output without importing typer at all. Any other key (another
width, a changed command, an upgraded typer) is formatted afresh. Nothing is written where bytecode
is not (PYTHONDONTWRITEBYTECODE); an unreadable file is ignored and rewritten.
"""

from __future__ import annotations

import marshal
import os
import sys
from typing import Any

HELP_ARGS = ["--help"]
# The environment rich, typer and gettext read to lay out and colour help (and jixiao's own).
# (Words in the names, not a pattern: `re` is not imported to print the help.)
_ENV_WORDS = ("COLOR", "TERM", "TTY", "COLUMNS", "LINES", "JUPYTER", "DATABRICKS", "GITHUB_ACTIONS", "TYPER", "RICH",
              "JIXIAO", "PYTHONIOENCODING")
_ENV_PREFIXES = ("LC_", "LANG")
# Different terminals (widths) each keep their own help; more than this many and the file starts over.
MOST_KEPT = 16

Key = tuple[Any, ...]


def cache_file() -> str:
    """Beside the compiled patterns (`regex_cache.cache_file`), without importing pathlib."""
    if sys.pycache_prefix:
        folder = sys.pycache_prefix
    else:
        folder = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "jixiao")
    return os.path.join(folder, f"help-{sys.implementation.cache_tag}.marshal")


def _stat(path: str) -> tuple[int, int]:
    try:
        found = os.stat(path)
    except OSError:
        return (-1, -1)
    return (found.st_mtime_ns, found.st_size)


def _terminal_size(fd: int) -> tuple[int, int] | None:
    try:
        return tuple(os.get_terminal_size(fd))  # type: ignore[return-value]
    except (OSError, ValueError):
        return None


def _package_init(name: str) -> str:
    """Where `import name` would load the package from (its __init__.py), found without importing it."""
    for folder in sys.path:
        candidate = os.path.join(folder or ".", name, "__init__.py")
        if os.path.isfile(candidate):
            return candidate
    return ""


def help_key() -> Key:
    """Everything the top-level help's output depends on."""
    cli = os.path.dirname(os.path.abspath(__file__))
    code = tuple(sorted((name, *_stat(os.path.join(cli, name))) for name in os.listdir(cli) if name.endswith(".py")))
    libraries = tuple((name, path, *_stat(path)) for name in ("typer", "rich") for path in [_package_init(name)])
    stdout = sys.stdout
    try:
        tty = stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    terminal = (tty, getattr(stdout, "encoding", None), tuple(_terminal_size(fd) for fd in (0, 1, 2)))
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES) or any(w in k for w in _ENV_WORDS)))
    return (sys.version, cli, code, libraries, terminal, env)


def _load(path: str) -> dict[Key, str]:
    try:
        with open(path, "rb") as kept:
            data = marshal.load(kept)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, tuple) and isinstance(v, str)}


def _save(path: str, kept: dict[Key, str]) -> None:
    if sys.dont_write_bytecode:
        return
    import tempfile  # only when writing

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # Another run may write at the same time: each writes a whole file and renames it into place.
        with tempfile.NamedTemporaryFile("wb", dir=os.path.dirname(path), prefix=os.path.basename(path),
                                         delete=False) as out:
            marshal.dump(kept, out)
        os.replace(out.name, path)
    except (OSError, ValueError):
        pass  # a read-only or full disk: the help is formatted each time, as without the file


class _Recorder:
    """sys.stdout as rich sees it (a terminal or not, its encoding), keeping a copy of what is written."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.written: list[str] = []

    def write(self, text: str) -> int:
        written = self._stream.write(text)  # click probes with b"" (a TypeError here) for a binary stream
        self.written.append(text)
        return written  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main() -> None:
    if sys.argv[1:] != HELP_ARGS:
        from jixiao.cli.app import main as app_main

        app_main()
        return
    key = help_key()
    path = cache_file()
    kept = _load(path)
    if key in kept:
        sys.stdout.write(kept[key])
        sys.stdout.flush()
        sys.exit(0)
    from jixiao.cli.app import app
    from jixiao.cli.errors import guarded_main

    recorder = _Recorder(sys.stdout)
    sys.stdout = recorder
    try:
        code = guarded_main(app)
        sys.stdout.flush()
    finally:
        sys.stdout = recorder._stream
    if code == 0:
        if len(kept) >= MOST_KEPT:
            kept = {}
        kept[key] = "".join(recorder.written)
        _save(path, kept)
    sys.exit(code)
