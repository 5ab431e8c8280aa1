"""The report as HTML (charts inline) and as Markdown, from Jinja2 template files.

Templates live in `templates/report/` (report.html.j2, report.md.j2); `--template PATH`
with a .j2/.html/.md file uses the user's own.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from jixiao.core.findings import Finding
from jixiao.core.model import Evaluation
from jixiao.core.scoring import Scorecard
from jixiao.io.errors import InputError, Problem
from jixiao.report.context import build_context
from jixiao.report.table_layout import TableLayout
from jixiao.report.templates import jinja_environment, shipped_dir


def _template_path(template: str | None, default: str) -> Path:
    if template and Path(template).suffix.lower() in (".j2", ".html", ".htm", ".md", ".jinja"):
        path = Path(template)
        if not path.is_file():
            raise InputError(template, [Problem("模板文件不存在")])
        return path
    if template:
        # A Word template cannot lay out HTML or Markdown: say so rather than silently use the default.
        raise InputError(
            template,
            [Problem("这是 Word 模板，只用于 .docx / .pdf 输出；HTML / Markdown 请使用 .html.j2 / .md.j2 模板文件，或不指定 --template")],
        )
    return shipped_dir() / default


def render_text(path: Path, ctx: dict[str, Any], autoescape: bool) -> str:
    import jinja2

    env = jinja_environment(autoescape, text=True)
    try:
        rendered: str = env.from_string(path.read_text("utf-8")).render(ctx)
        return rendered
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(str(path), [Problem(f"模板标签有语法错误：{exc.message}", line=exc.lineno)]) from None
    except jinja2.UndefinedError as exc:
        raise InputError(str(path), [Problem(f"模板使用了不存在的变量：{exc.message}")]) from None
    except jinja2.TemplateError as exc:
        raise InputError(str(path), [Problem(f"模板无法渲染：{exc}")]) from None


def render_html(
    evaluation: Evaluation, card: Scorecard, template: str | None = None,
    warnings: list[Finding] | None = None, charts: bool = True,
) -> str:
    ctx = build_context(evaluation, card, warnings)
    ctx["chart_budget"] = ctx["chart_indicators"] = ""
    if charts:
        from jixiao.report.charts import budget_chart_png, indicator_chart_png

        budget_png = budget_chart_png(evaluation, card)
        ctx["chart_budget"] = base64.b64encode(budget_png).decode("ascii") if budget_png else ""
        ctx["chart_indicators"] = base64.b64encode(indicator_chart_png(evaluation, card)).decode("ascii")
    return render_text(_template_path(template, "report.html.j2"), ctx, autoescape=True)


def render_markdown(
    evaluation: Evaluation, card: Scorecard, template: str | None = None, warnings: list[Finding] | None = None
) -> str:
    ctx = markdown_safe(build_context(evaluation, card, warnings))
    ctx["table_markdown"] = table_markdown(ctx["table"])
    return tidy_markdown(render_text(_template_path(template, "report.md.j2"), ctx, autoescape=False))


def escape_html(text: str) -> str:
    """Markdown passes raw HTML through to whoever renders it: user text must not become markup.
    The entities show as the characters typed in every Markdown viewer."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_safe(value: Any) -> Any:
    """The template context with every string HTML-escaped (the 自评表 layout is escaped per cell)."""
    if isinstance(value, str):
        return escape_html(value)
    if isinstance(value, dict):
        return {key: markdown_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(markdown_safe(item) for item in value)
    return value


def tidy_markdown(text: str) -> str:
    """One blank line between blocks (every line of prose is its own paragraph); table rows and
    quoted lines stay together."""
    out: list[str] = []
    for line in (raw.rstrip() for raw in text.splitlines()):
        if not line:
            continue
        grouped = line.startswith(("|", ">"))
        if out and not (grouped and out[-1].startswith(line[0])):
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"


def table_markdown(layout: TableLayout) -> str:
    """The 自评表 as a pipe table (Markdown cannot merge cells: merged areas show their text once)."""
    grid = layout.grid()[2:]  # the title rows become the heading above
    lines = []
    for i, row in enumerate(grid):
        cells = [escape_html(c).replace("\n", " ").replace("|", "\\|") for c in row]
        lines.append("| " + " | ".join(cells) + " |")
        if i == 0:
            lines.append("|" + "---|" * len(row))
    return "\n".join(lines)
