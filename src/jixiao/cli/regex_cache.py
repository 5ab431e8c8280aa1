"""Compiled regular expressions kept between runs, as Python keeps compiled modules.

The auditor's modules compile a few hundred patterns when they are imported, and Python compiles a
pattern's Chinese character classes ([\\u4e00-\\u9fff]) in pure Python, one code point at a time:
about a fifth of every `jixiao audit`'s start-up went there, the same work in every run. `install()`
has `re` keep the compiled form of the code's constant patterns (those compiled while a module is
imported, and those written as literals where they are used) in a file beside the bytecode cache, and
build them from it next time. Patterns made while a command runs (from a document's own words) are
not kept: the file stays the size of the code.

The compiled form is what `re` itself hands to `_sre.compile` (the pattern, its flags, the engine's
code, its groups); the file is named for the interpreter and the engine's version, so another Python
never reads it, and `_sre` validates the code it is given. Anything unexpected (no such internals, a
damaged or unwritable file) leaves `re` compiling as it always does.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from array import array
from pathlib import Path
from types import FrameType
from typing import Any

try:  # the private parts of `re` this relies on (Python 3.11–3.13 have them alike)
    import _sre  # type: ignore[import-not-found]
    from re import _compiler, _parser  # type: ignore[attr-defined]

    _code = _compiler._code
    _ORIGINAL = _compiler.compile
    if array("I").itemsize != _sre.CODESIZE:  # pragma: no cover - the engine's code is kept as these
        _ORIGINAL = None
except (ImportError, AttributeError):  # pragma: no cover - another interpreter
    _ORIGINAL = None

Key = tuple[str | bytes, int]
# flags, the engine's code (as the bytes of an array: read back in one piece), groups, their names
Compiled = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]

# A pattern built from a set's order (tokenize's is) differs from run to run: when the file holds more
# than twice the patterns this run used (and SPARE more), only those are written, so it does not grow
# with the number of runs.
SPARE = 64

_kept: dict[Key, Compiled] = {}
_used: set[Key] = set()
_new = False
_file: Path | None = None


def cache_file() -> Path:
    """Beside the bytecode: under PYTHONPYCACHEPREFIX when it is set, else the user's cache folder."""
    if sys.pycache_prefix:
        folder = Path(sys.pycache_prefix)
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jixiao"
    return folder / f"re-{sys.implementation.cache_tag}-{_sre.MAGIC}.marshal"


def _constant(pattern: str | bytes) -> bool:
    """Whether the pattern is one of the code's constants: written as a literal where it is compiled
    (`re.search(r"…", text)` in a function), or compiled while a module is imported. A pattern built
    while a command runs (from a document's words) is neither."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") == "re":
        frame = frame.f_back
    if frame is not None and pattern in frame.f_code.co_consts:
        return True
    while frame is not None:
        if frame.f_code.co_name == "<module>":
            return frame.f_globals.get("__name__") != "__main__"
        frame = frame.f_back
    return False


def _compile(p: Any, flags: int = 0) -> Any:
    global _new
    if not isinstance(p, str | bytes):  # re's own internal use (already parsed)
        return _ORIGINAL(p, flags)
    key = (p, flags)
    kept = _kept.get(key)
    if kept is not None:
        stored = array("I")
        stored.frombytes(kept[1])
        try:
            pattern = _sre.compile(p, kept[0], stored.tolist(), *kept[2:])
            _used.add(key)
            return pattern
        except (RuntimeError, TypeError, ValueError):  # not this engine's code after all: compile afresh
            del _kept[key]
    parsed = _parser.parse(p, flags)
    code = _code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    pattern = _sre.compile(p, flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    if not flags & re.DEBUG and _constant(p):
        _kept[key] = (flags | parsed.state.flags, array("I", code).tobytes(), parsed.state.groups - 1, dict(groupindex),
                      tuple(indexgroup))
        _used.add(key)
        _new = True
    return pattern


def _load(path: Path) -> dict[Key, Compiled]:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if _well_formed(key, value)}


def _well_formed(key: object, value: object) -> bool:
    return (
        isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], str | bytes) and isinstance(key[1], int)
        and isinstance(value, tuple) and len(value) == 5 and isinstance(value[0], int) and isinstance(value[1], bytes)
        and len(value[1]) % _sre.CODESIZE == 0
        and isinstance(value[2], int) and isinstance(value[3], dict) and isinstance(value[4], tuple)
    )


def save() -> None:
    """Write the patterns kept in this run (with those read at start) when there are new ones."""
    global _new
    if not _new or _file is None or sys.dont_write_bytecode:
        return
    import tempfile  # only when writing: start-up does not pay for it

    try:
        _file.parent.mkdir(parents=True, exist_ok=True)
        # Another run may write at the same time: each writes a whole file and renames it into place.
        with tempfile.NamedTemporaryFile("wb", dir=_file.parent, prefix=_file.name, delete=False) as out:
            crowded = len(_kept) > 2 * len(_used) + SPARE
            out.write(marshal.dumps({key: _kept[key] for key in _used} if crowded else _kept))
        os.replace(out.name, _file)
        _new = False
    except (OSError, ValueError):  # ValueError: a value marshal cannot write (then none is written)
        pass  # a read-only or full disk: next run compiles again, as without the cache


def install() -> None:
    """From now on, `re` builds the patterns kept in the cache file from it and keeps new ones there."""
    global _file
    if _ORIGINAL is None or _compiler.compile is _compile:
        return
    _file = cache_file()
    _kept.update(_load(_file))
    _compiler.compile = _compile
    atexit.register(save)
