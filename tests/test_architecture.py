"""The core is pure: it imports nothing from the doors (io, cli, report, audit, web) nor file/web libraries."""

import ast
from pathlib import Path

CORE = Path(__file__).parents[1] / "src" / "jixiao" / "core"
FORBIDDEN = ("jixiao.io", "jixiao.cli", "jixiao.report", "jixiao.audit", "jixiao.web", "django", "typer", "rich",
             "yaml", "openpyxl", "docx", "pathlib", "os", "json")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_imports_no_io_or_framework() -> None:
    offenders = {
        str(path.relative_to(CORE)): sorted(m for m in imported_modules(path) if m.split(".")[0] in {f.split(".")[0] for f in FORBIDDEN} and any(m == f or m.startswith(f + ".") for f in FORBIDDEN))
        for path in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
