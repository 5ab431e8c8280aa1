"""Audit one document: extract → normalise → read facts → build Evaluation → core evaluate() + document checks."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jixiao.audit.build import Built, build_evaluation
from jixiao.audit.declaration import declaration_findings, declared_total
from jixiao.audit.doc_checks import Collector, gap_findings, run_doc_checks
from jixiao.audit.explain import explained, tables_explained
from jixiao.audit.extract import Extracted, extract
from jixiao.audit.facts import Facts, primary_actual, read_facts
from jixiao.audit.kinds import KIND_LABELS, SKIPPED_BY_KIND, document_kind
from jixiao.audit.normalise import fold, normalise
from jixiao.audit.results import check_grade_counts, check_results, read_results, shifted, table_results
from jixiao.audit.segments import Part, part_lines, parts
from jixiao.audit.table_checks import table_unfilled
from jixiao.audit.table_facts import Offsets
from jixiao.core.claims import read_claims
from jixiao.core.evaluate import Result, evaluate
from jixiao.core.findings import Finding, Severity, sort_findings
from jixiao.core.model import Location
from jixiao.core.prose import PROSE_CHECKS
from jixiao.core.rules import RuleSet
from jixiao.io.errors import InputError, Problem

# Core checks that need the whole-budget figures: not run when the report's budget could not be read.
BUDGET_CODES = ("B", "E", "T001", "T002")
# Checks that need 年初预算数 (the adjustment): not run on a table that states only 全年 and 执行.
INITIAL_CODES = ("B001", "B004", "B006", "B009", "B012")
# Checks that need every indicator: not run on a table the document cuts off or elides ("……").
WHOLE_TABLE_CODES = ("I001", "I009", "I020", "T002", "T003")
YEAR_CODES = ("U003",)
# Checks of the rule set's scoring and requirements, not of the document's own consistency: many
# provinces score differently, so a difference is a warning that names the rule set, never an error.
RULE_SET_CODES = frozenset(
    {"I001", "I002", "I003", "I004", "I005", "I009", "I011", "I013", "I014", "I018", "I020", "I021", "T001", "T002"}
)


@dataclass
class DocumentAudit:
    path: str
    facts: dict[str, Any] | None = None
    findings: list[Finding] = field(default_factory=list)
    result: Result | None = None
    error: InputError | None = None
    kind: str | None = None
    document_kind: str = "self_evaluation"  # audit.kinds: self_evaluation / targets / monitoring / results
    explain: dict[str, Any] | None = None  # what was read and which checks ran (audit.explain)
    encoding: str | None = None
    computed: dict[str, Any] | None = None  # the recomputed result: execution score, total, grade, rules
    # A document of several 自评表: each table's own audit (lines are the document's); the document's
    # findings are all of theirs, its facts and result the first table's.
    parts: list[DocumentAudit] = field(default_factory=list)
    label: str = ""  # a part's name in its findings: "第2张表（XX项目）"

    def slim(self) -> DocumentAudit:
        """Without the in-memory model and scorecard: what the writers need, cheap to send between processes."""
        return replace(self, result=None, parts=[p.slim() for p in self.parts])

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def infos(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.INFO)


def audit_document(path: Path, rules: RuleSet, explain: bool = True) -> DocumentAudit:
    """Audit one file; an unreadable file gives a DocumentAudit with `error` set, never an exception.
    Without `explain` its `explain` (what was read, for `--explain`) is not made: a tenth of a real
    report's audit, and the findings do not depend on it."""
    try:
        extracted = extract(path)
    except InputError as error:
        return DocumentAudit(str(path), error=error)
    try:
        return audit_extracted(extracted, rules, explain)
    except Exception as exc:  # a bug must not end a batch of hundreds; JIXIAO_DEBUG=1 shows it
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        problem = Problem(f"jixiao 内部错误：{type(exc).__name__}: {exc}（请报告此问题，附上该文件）")
        return DocumentAudit(str(path), error=InputError(str(path), [problem]), kind=extracted.kind)


def audit_lines(lines: list[str], source: str, rules: RuleSet, pdf: bool = False) -> DocumentAudit:
    return audit_extracted(Extracted(source, "pdf" if pdf else "text", lines), rules)


def audit_extracted(extracted: Extracted, rules: RuleSet, explain: bool = True) -> DocumentAudit:
    """One evaluation, or, for a document of several 自评表, each table audited as its own."""
    cut = parts(extracted.lines)
    if not cut:
        return audit_one(extracted, rules, explain)
    audits: list[DocumentAudit] = []
    tables = 0
    for part in cut:
        tables += part.table
        audit = audit_one(replace(extracted, lines=part_lines(extracted.lines, part)), rules, explain)
        audits.append(moved(audit, part, part_label(audit, tables if part.table else 0)))
    first = next(a for a, part in zip(audits, cut, strict=True) if part.table)
    return replace(first, label="", parts=audits, findings=sort_findings([f for a in audits for f in a.findings]),
                   explain={"parts": [{"label": a.label, **(a.explain or {})} for a in audits]} if explain else None)


def part_label(audit: DocumentAudit, table: int) -> str:
    """How a part is named in its findings: the table's number and its project (or unit)."""
    if not table:
        return "报告正文"
    facts = audit.facts or {}
    name = facts.get("project_name") or facts.get("unit_name")
    return f"第{table}张表（{name}）" if name else f"第{table}张表"


def moved(audit: DocumentAudit, part: Part, label: str) -> DocumentAudit:
    """A part's audit with the document's line numbers and its label in each finding."""
    def line(local: int) -> int:
        """The document's line of the part's 1-based line (a piece of a cut line is on that line)."""
        if not part.source or local < 1:
            return local + part.start
        return part.source[min(local, len(part.source)) - 1] + 1

    def shift(loc: Location) -> Location:
        return Location.model_construct(line=line(loc.line), quote=loc.quote)

    findings = [replace(f, message=f"［{label}］{f.message}", line=line(f.line) if f.line else f.line,
                        related_locations=tuple(shift(loc) for loc in f.related_locations)) for f in audit.findings]
    return replace(audit, findings=findings, label=label, explain=_shifted_lines(audit.explain, line))


def _shifted_lines(value: Any, line: Callable[[int], int]) -> Any:
    if isinstance(value, dict):
        return {k: (line(v) if k == "line" and isinstance(v, int) else _shifted_lines(v, line)) for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted_lines(v, line) for v in value]
    return value


def audit_one(extracted: Extracted, rules: RuleSet, explain: bool = True) -> DocumentAudit:
    text = normalise(extracted.lines, pdf=extracted.kind == "pdf")
    facts = read_facts(text)
    built = build_evaluation(facts, rules)
    has_actuals = facts.value("kind.table")
    doc_kind = document_kind(fold(text.raw[:800]), has_actuals if isinstance(has_actuals, bool) else None)
    # A results notice names no budget, indicators or unit of its own: what it lacks is not a gap.
    findings = list(gap_findings(built.gaps, text)) if doc_kind != "results" else []
    weights_stated = any(p.startswith("indicators[") and p.endswith(".weight") for p in facts.stmts)
    if doc_kind == "targets":
        # A declaration may weigh nothing and executes nothing yet: neither is a gap.
        findings = [f for f in findings if not (f.field or "").endswith(".weight") and not (f.field or "").startswith("budget")]
    elif doc_kind == "monitoring":
        findings = [f for f in findings if not (f.field or "").endswith(".weight")]  # a 监控表 weighs nothing
    result: Result | None = None
    if built.evaluation is not None:
        # The prose checks run below on the whole text, with its lines: not here on the model's fields
        # (their findings were dropped; reading the fields' claims was a tenth of the seed's audit).
        result = evaluate(built.evaluation, rules, skip=PROSE_CHECKS)
        skipped = skipped_codes(built, facts, doc_kind) + SKIPPED_BY_KIND.get(doc_kind, ())
        core = [f for f in result.findings if not f.code.startswith(skipped)]
        findings.extend(as_rule_set_warning(relocate(f, facts), rules) for f in core)
    year = facts.value("year")
    doc_findings = run_doc_checks(facts, year if isinstance(year, int) else None)
    findings.extend(f for f in doc_findings if not f.code.startswith(SKIPPED_BY_KIND.get(doc_kind, ())))
    if doc_kind == "results":
        findings.extend(results_findings(facts, rules))
    if doc_kind == "targets" and built.evaluation is not None:
        findings.extend(declaration_findings(built.evaluation, rules, not built.budget_missing, weights_stated,
                                             declaration_complete(facts), declared_total(text.norm)))
    computed = None
    if result is not None and not built.budget_only and table_complete(facts):
        card = result.scorecard
        computed = {
            "execution_score": card.execution_score,
            "indicator_total": card.indicator_total,
            "total_score": card.total_score,
            "grade": card.grade.value,
            "rules": card.rules_name,
        }
    not_run: list[tuple[tuple[str, ...], str]] = (
        skipped_checks(built, facts, doc_kind) if built.evaluation is not None
        else [(("B", "E", "I", "T", "U"), "未能构成自评数据（见 A009），核心核对均未进行")]
    )
    if doc_kind in SKIPPED_BY_KIND:
        not_run.append((SKIPPED_BY_KIND[doc_kind], f"文件类型为{KIND_LABELS[doc_kind]}"))
    shown = explained(doc_kind, tables_explained(facts.tables, facts.text_line_of_raw, text.raw),
                      [c.describe() for c in read_claims(text.norm)]
                      + ([r.describe() for r in read_results(text.norm)] if doc_kind == "results" else []),
                      not_run) if explain else None
    return DocumentAudit(
        extracted.path,
        explain=shown,
        facts=stated_facts(facts),
        findings=sort_findings(findings),
        result=result,
        kind=extracted.kind,
        document_kind=doc_kind,
        encoding=extracted.encoding,
        computed=computed,
    )


def results_findings(facts: Facts, rules: RuleSet) -> list[Finding]:
    """A results notice: each named project's or unit's grade against its score."""
    c = Collector(facts)
    at = Offsets(facts)
    in_tables = [shifted(r, at) for r in table_results(facts.text.raw)]
    check_results(c, read_results(facts.text.norm) + in_tables, rules)
    check_grade_counts(c, in_tables, facts.text.norm)
    return c.findings


def declaration_complete(facts: Facts) -> bool:
    """A declaration's table has no 总分 row: it is whole when the document goes on after it (not cut off)."""
    if facts.tables is None or not facts.tables.indicators:
        return True  # indicators from prose
    table = next((t for t in facts.tables.indicators if t.rows), facts.tables.indicators[0])
    return not table.elided and re.search(r"[\u4e00-\u9fff]{4}", facts.text.raw[table.end :].replace(" ", "")) is not None


def table_complete(facts: Facts) -> bool:
    """False for an indicator table cut off before its total or with rows left out ("……")."""
    if facts.first("kind.table") is None:
        return True  # indicators from prose (or none): nothing says rows are missing
    stated_total = facts.first("table.total_weight") or facts.first("stated.total_score")
    return stated_total is not None and facts.first("table.elided") is None


def skipped_codes(built: Built, facts: Facts, doc_kind: str = "self_evaluation") -> tuple[str, ...]:
    """The core checks whose inputs this document does not state."""
    return tuple(code for codes, _ in skipped_checks(built, facts, doc_kind) for code in codes)


def skipped_checks(built: Built, facts: Facts, doc_kind: str = "self_evaluation") -> list[tuple[tuple[str, ...], str]]:
    """The core checks (codes or code prefixes) not run on this document, each with why."""
    out: list[tuple[tuple[str, ...], str]] = []
    if built.budget_missing:
        out.append((BUDGET_CODES, "未识别预算数和执行数"))
    if built.initial_missing:
        out.append((INITIAL_CODES, "只写明全年预算数和执行数，未写年初预算数（调整相关核对不进行）"))
    if built.budget_only:
        why = ("评分表按评分标准打分，无指标值和完成值（其分值、得分另按A014–A017、A027、A028核对）"
               if facts.first("table.scorecard") is not None else
               "指标表的单元格粘连，指标值和完成值不能唯一切分，未读取（其分值、得分另按A014–A016核对）"
               if facts.first("table.values_unread") is not None else "未识别绩效指标")
        out.append((("I", "T002", "T003") + (("T004",) if facts.first("stated.total_score") is None else ()), why))
    if built.year_missing:
        out.append((YEAR_CODES, "未识别评价年度"))
    if doc_kind == "self_evaluation" and not built.budget_only and table_unfilled(facts):
        out.append((("I003",), "自评表的指标都未填写完成值和得分（见A017），不再逐项提示未填写完成值"))
    if not table_complete(facts):
        out.append((WHOLE_TABLE_CODES, "指标表不完整（被截断或以“……”省略部分行），合计类核对不进行"))
    return out


def as_rule_set_warning(finding: Finding, rules: RuleSet) -> Finding:
    if finding.code not in RULE_SET_CODES or finding.severity is not Severity.ERROR:
        return finding
    note = f"（按规则集“{rules.title}”；各地评分办法不同，报告按本地规则填报时不一定有误）"
    return replace(finding, severity=Severity.WARNING, message=finding.message + note)


def relocate(finding: Finding, facts: Facts) -> Finding:
    """Point a core finding's related places at the statements nearest to it.

    A figure stated several times (年初预算数 in three sections) has one location in the
    model, its first; the reader of a finding wants the statements beside it.
    """
    if finding.line is None or not finding.related:
        return finding
    own = Location.model_construct(line=finding.line, quote=finding.quote or "")
    related: list[Location] = []
    for path in finding.related:
        stmts = facts.stmts.get(path)
        if not stmts:
            continue
        nearest = min(stmts, key=lambda s: abs(facts.text.line_of(s.start) - finding.line))  # type: ignore[operator]
        loc = facts.location(nearest)
        if loc != own and loc not in related:
            related.append(loc)
    if not related:
        return finding
    return replace(finding, related_locations=tuple(related))


def stated_facts(facts: Facts) -> dict[str, Any]:
    """What the report states, in the shape `jixiao score --format json` prints; None where not stated."""
    d = facts.dec
    indicators = []
    for block in facts.blocks:
        p = f"indicators[{block.index}]"
        actual = primary_actual(facts, block.index)
        comparator = facts.value(f"{p}.comparator")
        indicators.append({
            "name": block.name,
            "level1": facts.value(f"{p}.level1"),
            "level2": facts.value(f"{p}.level2"),
            "kind": "quantitative" if facts.first(f"{p}.target") is not None else "qualitative",
            "comparator": getattr(comparator, "value", None),
            "target": d(f"{p}.target") if d(f"{p}.target") is not None else facts.value(f"{p}.target_text"),
            "unit": facts.value(f"{p}.unit"),
            "mid_year": d(f"{p}.mid_year"),
            "actual": actual.value if actual is not None else None,
            "completion_rate": d(f"{p}.stated.completion_rate"),
            "weight": d(f"{p}.weight"),
            "score": d(f"{p}.stated.score"),
        })
    grade = facts.value("stated.grade")
    filled = facts.value("filled_date")
    return {
        "unit_name": facts.value("unit.name"),
        "project_name": facts.value("project.name"),
        "kind": facts.value("kind") or "department",
        "year": facts.value("year"),
        "filled_date": filled.isoformat() if filled is not None and hasattr(filled, "isoformat") else None,
        "budget": {
            "initial": d("budget.initial"),
            "adjustment": d("budget.adjustment"),
            "adjusted": d("budget.adjusted"),
            "executed": d("budget.executed"),
            "adjustment_rate": d("budget.stated.adjustment_rate"),
            "execution_rate": d("budget.stated.execution_rate"),
        },
        "execution_score": d("stated.execution_score"),
        "indicators": indicators,
        "indicator_total": None,  # reports state each score and the total, not this subtotal
        "total_score": d("stated.total_score"),
        "grade": getattr(grade, "value", None),
    }
