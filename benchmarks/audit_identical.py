"""Are the auditor's findings byte-identical before and after a change? (A speed change must not alter them.)

    python benchmarks/audit_identical.py OUT [--src SRC] [--generated DIR] [--base OUT0]

runs `jixiao audit --format json` — with and without `--explain`, with -j1 and -j2, over each folder as
one batch and over all of them together in another order, and each file alone with `--explain` — on
every file of the dev corpus (`../shared/real-reports`), the seed (`../shared/seed`), `tests/audit/data`
(real-reports, field, the generated .md, seed.txt) and the examples' generated reports (.docx, .pdf, .md
and the .md as .txt, written once into `--generated`, by default /tmp/jixiao-identical-generated, and
reused so that before and after read the same bytes). Each output (stdout, stderr, exit code) is written
under OUT; with `--base OUT0` the two trees are compared and every difference is printed (exit 1).

`--src SRC` audits with the code under SRC (put first on PYTHONPATH), e.g. a checkout of main at the
commit a change is rebased on: `git worktree add --detach /tmp/base main` then `--src /tmp/base/src`.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
SHARED = ROOT.parents[0] / "shared"
DATA = ROOT / "tests" / "audit" / "data"
EXAMPLES = ("xinshi-commerce-2024", "excellent-unit-2024", "rural-roads-project-2024", "reverse-qualitative-2024")


def generated(folder: Path) -> Path:
    """The examples' finished reports as the writer makes them, once (later runs reuse the same bytes)."""
    if (folder / "done").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLES:
        source = ROOT / "examples" / f"{name}.yaml"
        for suffix in ("docx", "pdf", "md"):
            run(["report", str(source), "-o", str(folder / f"{name}.{suffix}"), "--allow-errors", "--no-charts"], {})
        shutil.copy(folder / f"{name}.md", folder / f"{name}.txt")
    (folder / "done").write_text("")
    return folder


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "jixiao", *args], capture_output=True, env={**os.environ, **env},
                          cwd=ROOT, check=False)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--src", type=Path)
    parser.add_argument("--generated", type=Path, default=Path("/tmp/jixiao-identical-generated"))
    parser.add_argument("--base", type=Path)
    options = parser.parse_args()
    env = {"COLUMNS": "200", "PYTHONHASHSEED": "0"}
    if options.src:
        env["PYTHONPATH"] = str(options.src.resolve())
    folders = {
        "shared-real": SHARED / "real-reports",
        "shared-seed": SHARED / "seed",
        "data-real": DATA / "real-reports",
        "data-field": DATA / "field",
        "generated": generated(options.generated),
    }
    singles = [DATA / "seed.txt", *sorted(DATA.glob("generated-*.md"))]
    out: Path = options.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    def record(name: str, args: list[str]) -> None:
        done = run(["audit", "--format", "json", *args], env)
        (out / f"{name}.json").write_bytes(done.stdout)
        (out / f"{name}.err").write_bytes(done.stderr + f"\nexit {done.returncode}\n".encode())

    everything = [str(p) for p in folders.values()] + [str(p) for p in singles]
    for name, folder in folders.items():
        for explain in ([], ["--explain"]):
            record(f"{name}{'-explain' if explain else ''}-j1", [*explain, "-j1", str(folder)])
    record("all-explain-j1", ["--explain", "-j1", *everything])
    record("all-reversed-j1", ["-j1", *reversed(everything)])
    record("all-explain-j2", ["--explain", "-j2", *everything])
    files = [(name, p) for name, folder in folders.items() for p in sorted(folder.iterdir())
             if p.suffix in (".txt", ".md", ".docx", ".pdf")] + [("data", p) for p in singles]
    for name, path in files:
        record(f"one-{name}-{path.name}", ["--explain", str(path)])
    print(f"{len(list(out.iterdir())) // 2} runs over {len(files)} files written to {out}")
    if options.base is None:
        return 0
    return compare(options.base, out)


def compare(base: Path, out: Path) -> int:
    names = sorted({p.name for p in base.iterdir()} | {p.name for p in out.iterdir()})
    differing = 0
    for name in names:
        a, b = base / name, out / name
        if not a.exists() or not b.exists():
            print(f"only in one of the two: {name}")
            differing += 1
            continue
        if a.read_bytes() != b.read_bytes():
            differing += 1
            before = a.read_text(errors="replace").splitlines()
            after = b.read_text(errors="replace").splitlines()
            sys.stdout.writelines(line + "\n" for line in list(difflib.unified_diff(before, after, str(a), str(b), lineterm=""))[:40])
    print(f"{len(names)} outputs compared: {differing} differ" if differing else f"{len(names)} outputs compared: identical")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
