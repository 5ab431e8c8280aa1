"""Audit results as JSON, a rich table, an Excel workbook or an HTML page, written as documents arrive.

Every writer streams: a document's results are written (or spilled to a temporary
file) as soon as it is audited, so memory does not grow with the size of a batch.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from jixiao.audit.explain import claim_line
from jixiao.audit.run import DocumentAudit
from jixiao.core.findings import SEVERITY_LABELS, Finding, Severity
from jixiao.core.money import fmt
from jixiao.core.summary import plain

if TYPE_CHECKING:
    from rich.console import Console

SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "field": finding.field,
        "line": finding.line,
        "quote": finding.quote,
        "expected": finding.expected,
        "actual": finding.actual,
        "related": [{"line": loc.line, "quote": loc.quote} for loc in finding.related_locations],
    }


def computed(audit: DocumentAudit) -> dict[str, Any] | None:
    return audit.computed


def document_json(audit: DocumentAudit) -> dict[str, Any]:
    """One document's entry in `{"documents": [...]}`; numbers as JSON numbers."""
    out: dict[str, Any] = {
        "path": audit.path,
        "facts": audit.facts,
        "findings": [finding_json(f) for f in audit.findings],
        "computed": computed(audit),
        "counts": {"error": audit.errors, "warning": audit.warnings, "info": audit.infos},
        "error": None,
    }
    if audit.error is not None:
        out["error"] = {"message": str(audit.error), "problems": [p.message for p in audit.error.problems]}
    if audit.parts:
        out["parts"] = [{"label": p.label, "facts": p.facts, "computed": computed(p), "document_kind": p.document_kind,
                         "counts": {"error": p.errors, "warning": p.warnings, "info": p.infos}} for p in audit.parts]
    return plain(out)  # type: ignore[no-any-return]


def rows_of(audit: DocumentAudit) -> list[DocumentAudit]:
    """The summary's rows for a document: one, or one per 自评表 it holds."""
    return [replace(p, path=f"{audit.path}（{p.label}）") for p in audit.parts] or [audit]


def summary_row(audit: DocumentAudit) -> dict[str, Any]:
    facts = audit.facts or {}
    comp = computed(audit) or {}
    return {
        "path": audit.path,
        "unit": facts.get("unit_name") or "",
        "year": facts.get("year") or "",
        "stated_total": fmt(facts["total_score"]) if facts.get("total_score") is not None else "",
        "stated_grade": facts.get("grade") or "",
        "total": fmt(comp["total_score"]) if comp else "",
        "grade": comp.get("grade", ""),
        "errors": audit.errors,
        "warnings": audit.warnings,
        "infos": audit.infos,
        "status": f"无法读取：{'；'.join(p.message for p in audit.error.problems)}" if audit.error else "已审查",
    }


class Writer(Protocol):
    def write(self, audit: DocumentAudit) -> None: ...

    def finish(self) -> None: ...


class JsonWriter:
    def __init__(self, stream: IO[str], explain: bool = False) -> None:
        self.stream = stream
        self.explain = explain
        self.count = 0
        stream.write('{"documents": [\n')

    def write(self, audit: DocumentAudit) -> None:
        if self.count:
            self.stream.write(",\n")
        # One document per line: compact JSON goes through the C encoder (indent= would not).
        doc = document_json(audit)
        if self.explain:
            doc["explain"] = plain(audit.explain)
        self.stream.write(json.dumps(doc, ensure_ascii=False))
        self.stream.flush()
        self.count += 1

    def finish(self) -> None:
        self.stream.write("\n]}\n")
        self.stream.flush()


class TableWriter:
    """A readable summary per document: stated and recomputed results, then findings, errors first."""

    def __init__(self, console: Console, explain: bool = False) -> None:
        self.console = console
        self.explain = explain

    def write(self, audit: DocumentAudit) -> None:
        c = self.console
        if audit.error is not None:
            c.print(f"[bold red]无法读取[/] {audit.path}")
            for problem in audit.error.problems:
                c.print(f"  • {problem.describe(audit.path)}", markup=False)
            c.print()
            return
        row = summary_row(audit)
        c.print(f"[bold]{row['unit'] or '（未识别单位）'}[/] · {row['year'] or '—'}年度  [dim]({audit.path})[/]")
        if audit.parts:
            c.print(f"本文件含{sum(1 for p in audit.parts if p.label != '报告正文')}张自评表，逐表审查：")
        for part in audit.parts or [audit]:
            r = summary_row(part)
            c.print(
                (f"  {part.label}：" if audit.parts else "")
                + f"报告所述：综合得分 {r['stated_total'] or '—'} 分，等级 {r['stated_grade'] or '—'}；"
                f"按规则计算：{r['total'] or '—'} 分，等级 {r['grade'] or '—'}", markup=False,
            )
        if not audit.findings:
            c.print("[green]未发现问题。[/]\n")
            self._explain(audit)
            return
        from rich.table import Table  # only the table format needs it

        table = Table(
            title=f"审查发现（错误 {audit.errors}，警告 {audit.warnings}，提示 {audit.infos}）",
            title_justify="left", show_lines=True,
        )
        table.add_column("级别", no_wrap=True)
        table.add_column("代码", no_wrap=True)
        table.add_column("行", justify="right", no_wrap=True)
        table.add_column("说明与原文", overflow="fold", ratio=1)
        for f in audit.findings:
            text = f.message
            if f.quote:
                text += f"\n[dim]原文：{_escape(f.quote)}[/]"
            for loc in f.related_locations:
                text += f"\n[dim]另见第{loc.line}行：{_escape(loc.quote)}[/]"
            table.add_row(
                f"[{SEVERITY_STYLES[f.severity]}]{SEVERITY_LABELS[f.severity]}[/]", f.code,
                str(f.line) if f.line else "—", text,
            )
        c.print(table)
        c.print()
        self._explain(audit)

    def _explain(self, audit: DocumentAudit) -> None:
        """--explain: the tables read with their header mapping, the claims, the checks not run and why."""
        if not self.explain or audit.explain is None:
            return
        for ex in audit.explain.get("parts") or [audit.explain]:
            self._explain_one(ex)

    def _explain_one(self, ex: dict[str, Any]) -> None:
        c = self.console
        label = f"{ex['label']}  " if ex.get("label") else ""
        c.print(f"[bold]读取说明[/]  {label}文件类型：{ex['document_kind_label']}")
        if not ex["tables"]:
            c.print("  未识别到表格（预算资金表、绩效指标表）")
        for t in ex["tables"]:
            extra = f"，金额单位：{t['unit']}" if "unit" in t else ""
            c.print(f"  第{t['line']}行起 {t['table'].removesuffix('表')}表：表头 {' / '.join(t['columns'])}{extra}", markup=False)
            for g in t.get("groups", []):
                level = "一级指标" if "一级指标" in g else "二级指标"
                c.print(f"    {level} {g[level]}（所述分值 {g['分值'] or '—'}）", markup=False)
            for r in t["rows"]:
                cells = "，".join(f"{k} {v}" for k, v in r.items() if k not in ("line", "row", "三级指标") and v is not None)
                c.print(f"    第{r['line']}行 {r.get('row') or r.get('三级指标')}：{cells}", markup=False)
            if "总分" in t:
                c.print(f"    总分：分值 {t['总分']['分值'] or '—'}，得分 {t['总分']['得分'] or '—'}；等级 {t['等级'] or '—'}"
                        + ("；表中有“……”省略的行" if t["elided"] else ""), markup=False)
        for claim in ex["claims"]:
            c.print(f"  叙述中的数量关系 {claim_line(claim)}", markup=False)
        for s in ex["skipped_checks"]:
            c.print(f"  未进行的核对 {'、'.join(s['codes'])}：{s['reason']}", markup=False)
        c.print()

    def finish(self) -> None:
        return


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


SUMMARY_HEADERS = ("文件", "单位", "年度", "所述总分", "所述等级", "计算总分", "计算等级", "错误", "警告", "提示", "状态")
FINDING_HEADERS = ("级别", "代码", "行", "说明", "原文", "另见", "应为", "所述")


class XlsxWriter:
    """Sheet 汇总 with one row per document, then one sheet per document with its findings."""

    def __init__(self, path: Path) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        from jixiao.report.xlsx_text import row_cells

        self.path = path
        self.book = Workbook(write_only=True)
        self.summary = self.book.create_sheet("汇总")
        self.bold = Font(bold=True)
        self.cell = WriteOnlyCell
        self.row_cells = row_cells
        self.summary.append([self._bold(h) for h in SUMMARY_HEADERS])
        self.count = 0
        self.names: set[str] = {"汇总"}

    def _bold(self, value: str) -> object:
        cell = self.cell(self.summary, value=value)
        cell.font = self.bold
        return cell

    def _sheet_name(self, audit: DocumentAudit) -> str:
        base = f"{self.count:03d} {Path(audit.path).stem}"
        for bad in "[]:*?/\\":
            base = base.replace(bad, "_")
        return base[:31]

    def write(self, audit: DocumentAudit) -> None:
        self.count += 1
        row = summary_row(audit)
        for part in rows_of(audit):
            part_row = summary_row(part)
            facts, comp = part.facts or {}, computed(part) or {}
            # Scores and years as numbers, so a bureau can sort, filter and sum the summary in Excel.
            numbers = {"year": facts.get("year") if isinstance(facts.get("year"), int) else None,
                       "stated_total": facts.get("total_score"), "total": comp.get("total_score")}
            self.summary.append(self.row_cells(self.summary, [
                numbers[k] if k in numbers else part_row[k]
                for k in ("path", "unit", "year", "stated_total", "stated_grade", "total", "grade", "errors",
                          "warnings", "infos", "status")]))
        sheet = self.book.create_sheet(self._sheet_name(audit))
        sheet.append(self.row_cells(sheet, [audit.path]))
        if audit.error is not None:
            sheet.append(self.row_cells(sheet, [row["status"]]))
        else:
            sheet.append(list(FINDING_HEADERS))
            for f in audit.findings:
                sheet.append(self.row_cells(sheet, [
                    SEVERITY_LABELS[f.severity], f.code, f.line, f.message, f.quote or "",
                    "；".join(f"第{loc.line}行：{loc.quote}" for loc in f.related_locations),
                    f.expected, f.actual,  # Decimal: written as numbers, without float rounding
                ]))
        sheet.close()  # written to its temporary file now: memory stays flat however many documents

    def finish(self) -> None:
        self.book.save(self.path)


class HtmlWriter:
    """One page: a summary table, then a section per document (Jinja2 template, editable)."""

    def __init__(self, path: Path) -> None:
        from jinja2 import Environment, select_autoescape

        source = (resources.files("jixiao") / "templates" / "audit" / "report.html.j2").read_text("utf-8")
        env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
        self.module = env.from_string(source).module
        self.path = path
        self.rows = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115  (closed in finish)
        self.sections = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.count = 0

    def write(self, audit: DocumentAudit) -> None:
        self.count += 1
        row = summary_row(audit)
        anchor = f"doc{self.count}"
        for part in rows_of(audit):
            self.rows.write(str(self.module.summary_row(summary_row(part), anchor)))  # type: ignore[attr-defined]
        findings = [
            {**finding_json(f), "label": SEVERITY_LABELS[f.severity],
             "expected": fmt(f.expected) if f.expected is not None else "",
             "actual": fmt(f.actual) if f.actual is not None else ""}
            for f in audit.findings
        ]
        self.sections.write(str(self.module.section(row, findings, anchor)))  # type: ignore[attr-defined]

    def finish(self) -> None:
        with self.path.open("w", encoding="utf-8") as out:
            out.write(str(self.module.head(self.count)))  # type: ignore[attr-defined]
            self.rows.seek(0)
            shutil.copyfileobj(self.rows, out)
            out.write(str(self.module.between()))  # type: ignore[attr-defined]
            self.sections.seek(0)
            shutil.copyfileobj(self.sections, out)
            out.write(str(self.module.foot()))  # type: ignore[attr-defined]
        self.rows.close()
        self.sections.close()
