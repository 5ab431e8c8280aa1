"""The report as Word: a docxtpl template rendered with the context, the 自评表 and charts inserted."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from jixiao.core.findings import Finding
from jixiao.core.model import Evaluation
from jixiao.core.scoring import Scorecard
from jixiao.io.errors import InputError, Problem
from jixiao.report.context import build_context
from jixiao.report.docx_table import append_xml, self_table_xml, warning_box_xml
from jixiao.report.templates import jinja_environment, resolve_docx_template


class TemplateProblem(InputError):
    """A template that cannot be rendered (bad tag, unknown variable): user input, exit 2."""


def render_docx(
    evaluation: Evaluation,
    card: Scorecard,
    out: Path | IO[bytes],
    template: str | None = None,
    warnings: list[Finding] | None = None,
    charts: bool = True,
) -> None:
    """Write the report as .docx to a path or a binary stream."""
    import jinja2
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    path = resolve_docx_template(template, evaluation.kind)
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()  # opens the file now, so a broken template is reported as such
    except Exception as exc:  # python-docx raises several kinds for a non-docx file
        raise TemplateProblem(str(path), [Problem(f"不是有效的 Word 模板（.docx）：{type(exc).__name__}")]) from None
    ctx: dict[str, Any] = build_context(evaluation, card, warnings)
    ctx["self_table"] = self_table_xml(ctx["table"])
    ctx["warning_box"] = warning_box_xml(ctx["warnings"]) if ctx["warnings"] else ""
    ctx["chart_budget"] = ctx["chart_indicators"] = ""
    if charts:
        from jixiao.report.charts import budget_chart_png, indicator_chart_png

        budget_png = budget_chart_png(evaluation, card)
        if budget_png:
            ctx["chart_budget"] = InlineImage(tpl, io.BytesIO(budget_png), width=Mm(150))
        ctx["chart_indicators"] = InlineImage(tpl, io.BytesIO(indicator_chart_png(evaluation, card)), width=Mm(150))
    env = jinja_environment(autoescape=True)
    try:
        tpl.render(ctx, jinja_env=env)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(
            str(path), [Problem(f"模板标签有语法错误：{exc.message}（出错的标签附近：{_near(exc)}）")]
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(str(path), [Problem(f"模板使用了不存在的变量：{exc.message}")]) from None
    except jinja2.TemplateError as exc:
        raise TemplateProblem(str(path), [Problem(f"模板无法渲染：{exc}")]) from None
    tpl.save(out)


def _near(exc: Any) -> str:
    context = getattr(exc, "docx_context", None)
    if context:
        text = " ".join(line.strip() for line in context if line.strip())
        return text[:120] or "未知"
    return f"第{exc.lineno}行" if getattr(exc, "lineno", None) else "未知"


def render_table_docx(evaluation: Evaluation, card: Scorecard, out: Path | IO[bytes]) -> None:
    """The 自评表 alone as a landscape Word document."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    from jixiao.report.table_layout import build_table

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(1.8)
    append_xml(doc, self_table_xml(build_table(evaluation, card), width_cm=26.0, font_size=10))
    doc.save(out)  # type: ignore[arg-type]
