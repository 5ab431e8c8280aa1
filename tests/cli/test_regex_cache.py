"""The compiled-pattern cache: a warm run finds exactly what a cold one does, and only the code's patterns are kept."""

import marshal
import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parents[1] / "audit" / "data"
REPORTS = [DATA / "seed.txt", *sorted((DATA / "real-reports").glob("*.txt"))[:6]]


def _env(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    return {**env, "PYTHONPYCACHEPREFIX": str(cache), **extra}


def _audit(cache: Path, **extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "audit", *map(str, REPORTS), "--format", "json", "--explain"],
        capture_output=True, text=True, env=_env(cache, **extra),
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def _cache_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("re-*.marshal"))


def test_a_warm_run_reads_the_same_as_a_cold_one(tmp_path: Path) -> None:
    cold = _audit(tmp_path)
    [kept] = _cache_files(tmp_path)
    entries = marshal.loads(kept.read_bytes())
    assert len(entries) > 100  # the auditor's own patterns, compiled when its modules are imported
    assert _audit(tmp_path) == cold
    assert '"findings"' in cold


def test_the_codes_own_patterns_are_kept_not_those_made_while_running(tmp_path: Path) -> None:
    probe = (
        "import re, sys\nimport jixiao.cli.app\nimport jixiao.audit.run\n"
        "def literal(text):\n    return re.search(r'写在代码里(\\d+)', text)\n"
        "def built(word):\n    return re.compile(re.escape(word) + '(?P<n>\\d+)')\n"
        "assert literal('写在代码里7').group(1) == '7'\n"
        "assert built('只在运行时').match('只在运行时12').group('n') == '12'\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=_env(tmp_path))
    assert done.returncode == 0, done.stderr
    [kept] = _cache_files(tmp_path)
    patterns = {key[0] for key in marshal.loads(kept.read_bytes())}
    assert "写在代码里(\\d+)" in patterns  # a literal where it is used: a constant of the code
    assert "只在运行时(?P<n>\\d+)" not in patterns  # made from a word while running
    assert any("\\u4e00-\\u9fff" in p for p in patterns if isinstance(p, str))  # the modules' own


def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    cold = _audit(tmp_path)
    [kept] = _cache_files(tmp_path)
    good = kept.read_bytes()
    kept.write_bytes(good[: len(good) // 2])  # cut short, as a full disk or a killed write would leave it
    assert _audit(tmp_path) == cold
    rewritten = marshal.loads(kept.read_bytes())  # whole again (tokenize's pattern differs run to run)
    assert len(rewritten) >= len(marshal.loads(good))
    # Well-formed but not this engine's code: each such pattern is compiled afresh.
    entries = marshal.loads(good)
    kept.write_bytes(marshal.dumps({key: (flags, bytes(12), groups, index, names)
                                    for key, (flags, _code, groups, index, names) in entries.items()}))
    assert _audit(tmp_path) == cold


def test_nothing_is_written_where_bytecode_is_not(tmp_path: Path) -> None:
    _audit(tmp_path, PYTHONDONTWRITEBYTECODE="1")
    assert _cache_files(tmp_path) == []


def test_patterns_no_run_uses_do_not_pile_up(tmp_path: Path) -> None:
    """Patterns built from a set's order (tokenize's) differ from run to run: the file keeps to what is used."""
    _audit(tmp_path)
    [kept] = _cache_files(tmp_path)
    entries = marshal.loads(kept.read_bytes())
    some = next(iter(entries.values()))
    stale = {(f"旧的{i}", 0): some for i in range(3 * len(entries))}
    kept.write_bytes(marshal.dumps({**entries, **stale}))
    # A run that compiles one pattern the file lacks, so that it writes the file again.
    done = subprocess.run([sys.executable, "-c", "import re, jixiao.cli.app\nre.compile('新的(一)')"],
                          capture_output=True, text=True, env=_env(tmp_path))
    assert done.returncode == 0, done.stderr
    written = marshal.loads(kept.read_bytes())
    assert ("新的(一)", 0) in written
    assert not any(isinstance(key[0], str) and key[0].startswith("旧的") for key in written)
