"""One entry point for writing a report or a 自评表 in any format (CLI, web app, benchmarks)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from jixiao.core.evaluate import Result
from jixiao.core.findings import Finding, Severity

REPORT_FORMATS = (".docx", ".pdf", ".html", ".md", ".txt")
TABLE_FORMATS = (".xlsx", ".docx")


class UnsupportedFormat(ValueError):
    pass


def blocking_errors(result: Result) -> list[Finding]:
    """Errors that make a report wrong. Errors confined to a *stated* figure are not among them:
    the report prints the computed figure instead, so the generated report corrects them."""
    return [f for f in result.findings if f.severity is Severity.ERROR and not corrected_by_report(f)]


# Figures the model keeps as *stated* although they sit outside a `stated` block: the report
# prints the computed value instead (adjustment = adjusted − initial, totals = sums of the parts).
STATED_ELSEWHERE = ("budget.adjustment", "expenditure.project_total", "expenditure.total", "unit.staffing.authorized_total")


def corrected_by_report(finding: Finding) -> bool:
    field = finding.field or ""
    if ".stated." in f".{field}" or field.startswith("stated."):
        return True
    return any(field == prefix or field.startswith(prefix + ".") for prefix in STATED_ELSEWHERE)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic(out: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside `out`, then rename: never leave a half-written report."""
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=out.suffix, dir=out.parent)
    except OSError as exc:  # name the file the user asked for, not our hidden temporary one
        raise OSError(exc.errno, exc.strerror, str(out)) from None
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report gets the usual permissions
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def write_report(
    result: Result,
    out: Path,
    template: str | None = None,
    warnings: list[Finding] | None = None,
    charts: bool = True,
) -> None:
    """Write the report; the format follows the file extension (.docx .pdf .html .md)."""
    ev, card = result.evaluation, result.scorecard
    suffix = out.suffix.lower()
    if suffix == ".docx":
        from jixiao.report.docx import render_docx

        _atomic(out, lambda p: render_docx(ev, card, p, template=template, warnings=warnings, charts=charts))
    elif suffix == ".pdf":
        from jixiao.report.pdf import render_pdf

        _atomic(out, lambda p: render_pdf(ev, card, p, template=template, warnings=warnings, charts=charts))
    elif suffix in (".html", ".htm"):
        from jixiao.report.textual import render_html

        html = render_html(ev, card, template=template, warnings=warnings, charts=charts)
        _atomic(out, lambda p: _write_text(p, html))
    elif suffix in (".md", ".markdown", ".txt"):
        from jixiao.report.textual import render_markdown

        text = render_markdown(ev, card, template=template, warnings=warnings)
        _atomic(out, lambda p: _write_text(p, text))
    else:
        raise UnsupportedFormat(f"不支持的报告格式“{out.suffix or '无扩展名'}”，支持：{'、'.join(REPORT_FORMATS)}")


def write_table(result: Result, out: Path) -> None:
    """Write the 自评表 alone (.xlsx or .docx)."""
    ev, card = result.evaluation, result.scorecard
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        from jixiao.report.table_xlsx import write_table_xlsx

        _atomic(out, lambda p: write_table_xlsx(ev, card, p))
    elif suffix == ".docx":
        from jixiao.report.docx import render_table_docx

        _atomic(out, lambda p: render_table_docx(ev, card, p))
    else:
        raise UnsupportedFormat(f"不支持的自评表格式“{out.suffix or '无扩展名'}”，支持：{'、'.join(TABLE_FORMATS)}")


def report_bytes(result: Result, suffix: str, template: str | None = None, charts: bool = True) -> bytes:
    """The report (.docx .pdf .html .md) or the 自评表 (.xlsx) as bytes, for downloads (web app)."""
    suffix = suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}"
    with tempfile.TemporaryDirectory(prefix="jixiao-report-") as work:
        out = Path(work) / f"report{suffix}"
        if suffix == ".xlsx":
            write_table(result, out)
        else:
            write_report(result, out, template=template, warnings=blocking_errors(result) or None, charts=charts)
        return out.read_bytes()
