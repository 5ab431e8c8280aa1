"""Finding a report template: a shipped name (default, sichuan) or a user's own file."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

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


@functools.cache
def jinja_environment(autoescape: bool, text: bool = False) -> Any:
    """A shared Jinja environment that remembers compiled templates by their source.

    docxtpl compiles the document's whole XML on every render; with the same template that is
    most of the cost of a report, so compiled templates are kept (a few, bounded)."""
    import jinja2

    class CachingEnvironment(jinja2.Environment):
        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            self.compiled: dict[str, jinja2.Template] = {}

        def from_string(
            self, source: str | jinja2.nodes.Template, globals: Any = None, template_class: Any = None
        ) -> jinja2.Template:
            if not isinstance(source, str) or globals is not None or template_class is not None:
                return super().from_string(source, globals, template_class)
            template = self.compiled.get(source)
            if template is None:
                if len(self.compiled) >= 32:
                    self.compiled.clear()
                template = self.compiled[source] = super().from_string(source)
            return template

    options: dict[str, Any] = {"autoescape": autoescape, "undefined": jinja2.StrictUndefined}
    if text:
        options.update(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return CachingEnvironment(**options)
