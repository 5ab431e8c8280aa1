"""Finding a report template: a shipped name (default, sichuan) or a user's own file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from jixiao.core.model import Kind
from jixiao.io.errors import InputError, Problem

SHIPPED_DIR = "report"


def shipped_dir() -> Path:
    return Path(str(resources.files("jixiao") / "templates" / SHIPPED_DIR))


def shipped_names() -> list[str]:
    return sorted(p.stem for p in shipped_dir().glob("*.docx") if not p.stem.endswith("-project"))


def resolve_docx_template(name_or_path: str | None, kind: Kind) -> Path:
    """A shipped template by name (the `-project` variant for project evaluations), or a path."""
    name = name_or_path or "default"
    candidate = Path(name)
    if candidate.suffix.lower() == ".docx" or candidate.exists():
        if not candidate.is_file():
            raise InputError(name, [Problem("模板文件不存在")])
        return candidate
    base = shipped_dir()
    for stem in ((f"{name}-{kind.value}", name) if kind is Kind.PROJECT else (name,)):
        path = base / f"{stem}.docx"
        if path.is_file():
            return path
    raise InputError(
        name, [Problem(f"没有名为“{name}”的内置报告模板；可用：{'、'.join(shipped_names())}，或给出 .docx 模板文件路径")]
    )
