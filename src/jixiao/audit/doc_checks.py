"""Document-level checks: what only a reader of the whole report can see.

The core checks compare each stated figure with the one it implies; these compare
the report with itself: the same figure stated twice, a value restated in the wrong
kind of unit or copied from the indicator above, the narrative disagreeing with the
indicator section, text that belongs to another year. Codes are stable (A001 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.facts import Facts, Stmt, is_percent, primary_actual
from jixiao.audit.normalise import Text
from jixiao.core import prose
from jixiao.core.claim_checks import claim_kind_hits
from jixiao.core.claims import Claim, read_claims
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Location
from jixiao.core.money import fmt

DocCheck = prose.ProseCheck  # code, severity, title

DOC_CHECKS = {
    c.code: c
    for c in (
        DocCheck("A001", Severity.ERROR, "完成值以不同类型的单位重述（如数量写成百分比）"),
        DocCheck("A002", Severity.ERROR, "完成值疑为从上一指标复制"),
        DocCheck("A003", Severity.ERROR, "同一数字在报告中前后不一致"),
        DocCheck("A008", Severity.ERROR, "称预算未调整，但调整数或调整率不为0"),
        DocCheck("A009", Severity.WARNING, "报告缺少核对所需的数据"),
        DocCheck("A010", Severity.INFO, "报告未写明综合得分或评价等级"),
        DocCheck("A014", Severity.ERROR, "表中各项分值之和与所述总分值不符"),
        DocCheck("A015", Severity.ERROR, "一级指标所述分值与其下各指标分值之和不符"),
        DocCheck("A016", Severity.ERROR, "表中各项得分之和超过所述总分"),
        DocCheck("A017", Severity.WARNING, "自评表未填写完整（模板的说明文字或空白的完成值、得分）"),
        DocCheck("A025", Severity.WARNING, "评价结果通报中的等级与得分不符"),
        DocCheck("A027", Severity.ERROR, "评分表中的得分超过该项分值"),
        DocCheck("A028", Severity.ERROR, "评分表各项得分之和与所述总分不符"),
        DocCheck("A030", Severity.ERROR, "表中各行金额之和与合计行不符"),
        DocCheck("A031", Severity.ERROR, "目标表分列各地（各子项）的指标值之和与所述合计不符"),
        DocCheck("A032", Severity.ERROR, "评价结果通报所述各等级个数与结果表中的等级不符"),
    )
}
# The checks that read prose live in the core (they run on an evaluation's narrative too); here they read
# the whole report.
DOC_CHECKS.update(prose.PROSE_CHECKS)
DOC_CHECKS = dict(sorted(DOC_CHECKS.items()))
NAMES = {
    "budget.initial": "年初预算数", "budget.adjusted": "全年预算数", "budget.executed": "执行数",
    "budget.adjustment": "预算调整数", "budget.stated.execution_rate": "预算执行率",
    "budget.stated.adjustment_rate": "预算调整率", "expenditure.total": "全年预算支出金额",
    "expenditure.basic.budget": "基本支出", "expenditure.basic.executed": "基本支出执行数",
    "expenditure.project_total.budget": "项目支出总额", "expenditure.project_total.executed": "项目执行金额",
    "expenditure.project_total.count": "项目个数", "stated.execution_score": "预算执行得分",
    "stated.total_score": "综合得分", "budget.fiscal.initial": "财政资金年初预算数",
    "budget.fiscal.adjusted": "财政资金全年预算数", "budget.fiscal.executed": "财政资金决算数",
}
# Written with a literal first in each alternative, so the engine skips to where one may start (3 × faster).
NO_ADJUSTMENT = re.compile(r"未(?:作|进行|发生)?(?:预算)?调整|没有(?:作|进行|发生)?(?:预算)?调整|无(?:作|进行|发生)?(?:预算)?调整|预算未变")


class Collector:
    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.findings: list[Finding] = []

    def loc(self, stmt: Stmt | tuple[int, int]) -> Location:
        if isinstance(stmt, Stmt):
            return self.facts.location(stmt)
        return self.facts.text.locate(*stmt)

    def add(
        self, code: str, message: str, where: Stmt | tuple[int, int] | None, field: str | None = None,
        expected: Decimal | None = None, actual: Decimal | None = None,
        related: list[Stmt | tuple[int, int]] | None = None,
    ) -> None:
        check = DOC_CHECKS[code]
        own = self.loc(where) if where is not None else None
        others: list[Location] = []
        for r in related or []:
            loc = self.loc(r)
            if loc != own and loc not in others:
                others.append(loc)
        self.findings.append(
            Finding(
                code=code, severity=check.severity, message=message, field=field, expected=expected, actual=actual,
                line=own.line if own else None, quote=own.quote if own else None, related_locations=tuple(others),
            )
        )


def run_doc_checks(facts: Facts, year: int | None) -> list[Finding]:
    c = Collector(facts)
    indicator_restatements(c)
    repeated_figures(c)
    norm = facts.text.norm
    narrative = norm[: facts.narrative_end()]
    add_hits(c, prose.narrative_vs_indicators(narrative, indicator_figures(facts)))
    add_hits(c, prose.narrative_rates(narrative))
    if year is not None:
        add_hits(c, prose.other_years(norm, year))
        add_hits(c, prose.pandemic_text(norm, year))
    no_adjustment_statement(c)
    unstated_result(c)
    from jixiao.audit.table_checks import table_checks  # table_checks builds on the Collector above

    claim_checks(c, read_claims(norm))
    table_checks(c)
    column_totals(c)
    place_totals(c)
    return c.findings


def column_totals(c: Collector) -> None:
    """A030: an amount column of any table against its 合计 row."""
    from jixiao.audit.column_totals import table_slips
    from jixiao.audit.table_facts import Offsets

    at = Offsets(c.facts)
    for slip in table_slips(c.facts.text.raw):
        rows = "+".join(fmt(n) for _, n in slip.rows)
        more = "+…" if slip.count > len(slip.rows) else ""
        c.add("A030", f"表中“{slip.header}”列{slip.count}行之和为{fmt(slip.added)}（{rows}{more}），但合计行为{fmt(slip.stated)}，"
              "请核实", (at(slip.total.start), at(slip.total.end)), None, slip.added, slip.stated,
              [(at(r.start), at(r.end)) for r, _ in slip.rows])



def place_totals(c: Collector) -> None:
    """A031: a target table's row with one figure per place against the total its total column or its goal states."""
    from jixiao.audit.per_place import place_slips
    from jixiao.audit.table_facts import Offsets

    at = Offsets(c.facts)
    for row, stated, start, end in place_slips(c.facts.text.raw):
        parts = "+".join(v.text for v in row.values)
        c.add("A031", f"指标“{row.name.text}”分列{len(row.values)}处的指标值之和为{fmt(row.added)}（{parts}），"
              f"但所述合计为{fmt(stated)}，请核实", (at(start), at(end)), None, row.added, stated,
              [(at(v.start), at(v.end)) for v in row.values[:3]])


def indicator_figures(facts: Facts) -> list[prose.IndicatorFigures]:
    """The figures of each indicator block, as the prose checks take them."""
    out = []
    for block in facts.blocks:
        p = f"indicators[{block.index}]"
        unit = facts.value(f"{p}.unit")
        actual = primary_actual(facts, block.index)
        out.append(prose.IndicatorFigures(
            block.index, block.name, str(unit) if unit is not None else None, facts.dec(f"{p}.target"),
            actual.value if actual is not None and isinstance(actual.value, Decimal) else None,
            facts.dec(f"{p}.stated.completion_rate"),
        ))
    return out


def add_hits(c: Collector, hits: list[prose.TextHit]) -> None:
    """Prose hits at the report's lines: a hit at a field is at that field's statement in the indicator section."""
    def statement(path: str) -> Stmt | None:
        m = re.fullmatch(r"indicators\[(\d+)\]\.actual", path)
        return primary_actual(c.facts, int(m.group(1))) if m else c.facts.first(path)

    for hit in hits:
        where: Stmt | tuple[int, int] | None = hit.span
        if where is None and hit.field is not None:
            where = statement(hit.field)
        related: list[Stmt | tuple[int, int]] = list(hit.spans)
        related += [s for s in map(statement, hit.fields) if s is not None]
        c.add(hit.code, hit.message, where, hit.field, hit.expected, hit.actual, related)


def indicator_restatements(c: Collector) -> None:
    facts = c.facts
    for block in facts.blocks:
        i = block.index
        p = f"indicators[{i}]"
        unit = facts.value(f"{p}.unit")
        primary = primary_actual(facts, i)
        rate = facts.first(f"{p}.stated.completion_rate")
        for stmt in facts.stmts.get(f"{p}.actual", []):
            if stmt is primary:
                continue
            value = stmt.value
            assert isinstance(value, Decimal)
            kind_differs = unit is not None and stmt.unit is not None and is_percent(stmt.unit) != is_percent(str(unit))
            if not kind_differs and primary is not None and value == primary.value:
                continue
            source = _copied_from(facts, i, value)
            own = f"{fmt(primary.value)}{unit or ''}" if primary is not None and isinstance(primary.value, Decimal) else "—"
            said = f"{fmt(value)}{stmt.unit or ''}"
            if source is not None and (rate is None or rate.value != value):
                j, what, other = source
                c.add(
                    "A002",
                    f"指标“{block.name}”此处称实际完成值为{said}，与指标“{facts.blocks[j].name}”的{what}"
                    f"{_show(other.value)}{other.unit or ''}相同，而本指标实际完成值为{own}"
                    + (f"、完成率为{fmt(rate.value)}%" if rate is not None and isinstance(rate.value, Decimal) else "")
                    + "，疑为复制上一指标的文字，请改正",
                    stmt, f"{p}.actual", primary.value if primary is not None else None, value,  # type: ignore[arg-type]
                    [r for r in (primary, other) if r is not None],
                )
            elif kind_differs:
                hint = ""
                if rate is not None and rate.value == value:
                    hint = f"（{said}是该指标的完成率，疑将完成率误写为完成值）"
                c.add(
                    "A001",
                    f"指标“{block.name}”计量单位为“{unit}”，实际完成值为{own}，但此处重述为{said}{hint}，"
                    "完成值应使用指标的计量单位",
                    stmt, f"{p}.actual", primary.value if primary is not None else None, value,  # type: ignore[arg-type]
                    [primary] if primary is not None else [],
                )
            else:
                c.add(
                    "A003",
                    f"指标“{block.name}”的实际完成值前后不一致：{own}与{said}",
                    stmt, f"{p}.actual", primary.value if primary is not None else None, value,  # type: ignore[arg-type]
                    [primary] if primary is not None else [],
                )


def _copied_from(facts: Facts, i: int, value: Decimal) -> tuple[int, str, Stmt] | None:
    for j in range(i - 1, -1, -1):
        q = f"indicators[{j}]"
        for path, what in ((f"{q}.actual", "实际完成值"), (f"{q}.stated.completion_rate", "完成率")):
            for stmt in facts.stmts.get(path, []):
                if stmt.value == value:
                    return j, what, stmt
    return None


INDICATOR_FIELDS = {
    "target": "目标值", "weight": "权重分值", "stated.score": "得分", "stated.completion_rate": "完成率",
    "mid_year": "年中监控值", "comparator": "比较符",
}


def _figure_name(facts: Facts, path: str) -> str | None:
    """A readable name for a repeated figure, or None for figures compared elsewhere (actual values)."""
    m = re.fullmatch(r"indicators\[(\d+)\]\.(.+)", path)
    if m is None:
        return NAMES.get(path, path)
    label = INDICATOR_FIELDS.get(m.group(2))
    if label is None:
        return None
    return f"指标“{facts.blocks[int(m.group(1))].name}”的{label}"


def repeated_figures(c: Collector) -> None:
    lists: list[list[tuple[int, int]]] | None = None
    for path, stmts in c.facts.stmts.items():
        if len(stmts) < 2:
            continue
        name = _figure_name(c.facts, path)
        if name is None:
            continue
        first = stmts[0]
        for other in stmts[1:]:
            if other.value == first.value or _part_of(c.facts.text.norm, first, other):
                continue
            if lists is None:  # read once, and only where two figures differ
                lists = [[(p.start, p.end) for p in claim.parts] for claim in read_claims(c.facts.text.norm)
                         if claim.kind == "sum" and claim.parts]
            if any(_listed(first, parts) and _listed(other, parts) for parts in lists):
                continue  # "其中公用经费a,部门项目支出b,公共项目支出c": two parts of one total, not one figure twice
            exp = first.value if isinstance(first.value, Decimal) else None
            act = other.value if isinstance(other.value, Decimal) else None
            unit = other.unit if other.unit in ("%", "分") else ("万元" if isinstance(first.value, Decimal) and not path.startswith("indicators") else "")
            c.add(
                "A003",
                f"{name}前后不一致：第{c.loc(first).line}行为{_show(first.value)}{unit}，"
                f"此处为{_show(other.value)}{unit}",
                other, path, exp, act, [first],
            )
            break


def _listed(stmt: Stmt, parts: list[tuple[int, int]]) -> bool:
    return any(start < stmt.end and stmt.start < end for start, end in parts)


def _part_of(norm: str, total: Stmt, other: Stmt) -> bool:
    """"3608万元(中央资金2855万元、…)", "T万元，其中a": a smaller figure listed as a part of the total before it."""
    if not (isinstance(total.value, Decimal) and isinstance(other.value, Decimal)) or other.value >= total.value:
        return False
    between = norm[total.end : other.start]
    if "。" in between:
        return False
    # "T万元,其中:a项目资金500万元,b项目资金1740万元,…": every part of the one sentence's list, however long
    listed = "其中" in between[:40] and len(between) <= 400
    return listed or (len(between) <= 80 and ("其中" in between or "(" in between or "、" in between))


def _show(value: object) -> str:
    return fmt(value) if isinstance(value, Decimal) else str(value)


def no_adjustment_statement(c: Collector) -> None:
    facts = c.facts
    m = NO_ADJUSTMENT.search(facts.text.norm)
    if m is None:
        return
    rate = facts.first("budget.stated.adjustment_rate")
    adjustment = facts.first("budget.adjustment")
    initial, adjusted = facts.dec("budget.initial"), facts.dec("budget.adjusted")
    if rate is not None and rate.value != 0:
        c.add("A008", f"报告称预算未调整，但所述预算调整率为{_show(rate.value)}%", rate, "budget.stated.adjustment_rate",
              Decimal(0), rate.value if isinstance(rate.value, Decimal) else None, [m.span()])
    if adjustment is not None and adjustment.value != 0:
        c.add("A008", f"报告称预算未调整，但所述调整数为{_show(adjustment.value)}万元", adjustment, "budget.adjustment",
              Decimal(0), adjustment.value if isinstance(adjustment.value, Decimal) else None, [m.span()])
    elif initial is not None and adjusted is not None and initial != adjusted:
        c.add("A008", f"报告称预算未调整，但年初预算数{fmt(initial)}万元与全年预算数{fmt(adjusted)}万元不同",
              m.span(), "budget.adjusted", initial, adjusted,
              [s for s in (facts.first("budget.initial"), facts.first("budget.adjusted")) if s is not None])


def unstated_result(c: Collector) -> None:
    facts = c.facts
    missing = [label for path, label in (("stated.total_score", "综合得分"), ("stated.grade", "评价等级"))
               if facts.first(path) is None]
    if missing and facts.blocks:
        c.add("A010", f"报告未写明{'、'.join(missing)}", None, "stated")


# What a template or a published example writes where the year or the unit goes: "20xx年", "20**年度",
# "××局", "XX单位", "***中心". Such a document is not wrong: its year or unit is not there to be read.
_PLACEHOLDER_YEAR = re.compile(r"(?<![0-9])(?:20|19)?[xX×＊*]{2,4}(?=年)")
_PLACEHOLDER_UNIT = re.compile(r"(?<![0-9xX×＊*])(?:[xX×＊*]{2,}|某某)(?![xX×＊*年])[^\s，。,;；:：、（）()年的]{0,8}?"
                               r"(?:局|委|办|中心|站|所|院|校|单位|部门|公司|医院|学校)")


def gap_findings(gaps: list[tuple[str, str, str]], text: Text | None = None) -> Iterator[Finding]:
    check = DOC_CHECKS["A009"]
    for _, field, message in gaps:
        span = _placeholder(text, field) if text is not None else None
        if text is None or span is None:
            yield Finding(code=check.code, severity=check.severity, message=message, field=field)
            continue
        where = text.locate(*span)
        written = text.norm[span[0]:span[1]] + ("年" if field == "year" else "")
        consequence = "无法按年度核对" if field == "year" else "未能识别单位名称"
        yield Finding(code=check.code, severity=check.severity, field=field, line=where.line, quote=where.quote,
                      message=f"报告的{'年度' if field == 'year' else '单位名称'}写作占位符“{written}”，"
                              f"疑为模板或示例文本，{consequence}")


def _placeholder(text: Text, field: str) -> tuple[int, int] | None:
    pattern = {"year": _PLACEHOLDER_YEAR, "unit.name": _PLACEHOLDER_UNIT}.get(field)
    found = pattern.search(text.norm) if pattern is not None else None
    return found.span() if found else None


def claim_checks(c: Collector, claims: list[Claim]) -> None:
    """Each claim verified where its inputs were read, by the core's claim checks (the ones an evaluation's
    narrative gets too), at the report's lines."""
    def place(span: prose.Span) -> str:
        return f"第{c.loc(span).line}行"

    add_hits(c, prose.claim_hits(claims, place))
    rated = {f.line for f in c.findings if f.code == "A005"}  # the narrative rate check has said it there
    add_hits(c, [h for h in claim_kind_hits(claims, place) if not (h.code == "A020" and h.span is not None
                                                                    and c.loc(h.span).line in rated)])
