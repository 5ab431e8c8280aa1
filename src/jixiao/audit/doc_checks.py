"""Document-level checks: what only a reader of the whole report can see.

The core checks compare each stated figure with the one it implies; these compare
the report with itself: the same figure stated twice, a value restated in the wrong
kind of unit or copied from the indicator above, the narrative disagreeing with the
indicator section, text that belongs to another year. Codes are stable (A001 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.audit import patterns as P
from jixiao.audit.claims import Claim, Quantity, read_claims, within
from jixiao.audit.claims_checks import check_claims
from jixiao.audit.facts import Facts, Stmt, is_percent, primary_actual
from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Location
from jixiao.core.money import agrees, decimals_of, fmt, percent


@dataclass(frozen=True, slots=True)
class DocCheck:
    code: str
    severity: Severity
    title: str


DOC_CHECKS = {
    c.code: c
    for c in (
        DocCheck("A001", Severity.ERROR, "完成值以不同类型的单位重述（如数量写成百分比）"),
        DocCheck("A002", Severity.ERROR, "完成值疑为从上一指标复制"),
        DocCheck("A003", Severity.ERROR, "同一数字在报告中前后不一致"),
        DocCheck("A004", Severity.ERROR, "叙述部分与绩效指标部分的数字不一致"),
        DocCheck("A005", Severity.ERROR, "叙述中的比率与其数字不符"),
        DocCheck("A006", Severity.WARNING, "提及评价年度以外的年份"),
        DocCheck("A007", Severity.WARNING, "含有疫情时期的表述"),
        DocCheck("A008", Severity.ERROR, "称预算未调整，但调整数或调整率不为0"),
        DocCheck("A009", Severity.WARNING, "报告缺少核对所需的数据"),
        DocCheck("A010", Severity.INFO, "报告未写明综合得分或评价等级"),
        DocCheck("A011", Severity.ERROR, "叙述中各分项之和超过所述合计"),
        DocCheck("A012", Severity.ERROR, "叙述中的超任务比例与任务数、完成数不符"),
        DocCheck("A013", Severity.ERROR, "同一组项目的合计在报告中前后不一致"),
        DocCheck("A020", Severity.ERROR, "叙述中的比率与其分子、分母不符"),
        DocCheck("A021", Severity.ERROR, "叙述所述个数与其列举的项目数不符"),
        DocCheck("A022", Severity.ERROR, "叙述中的增减额或增减幅度与两期数字不符"),
        DocCheck("A023", Severity.ERROR, "叙述中的单价乘数量与所述合计不符"),
        DocCheck("A024", Severity.ERROR, "同一名称的数字在报告中前后不一致"),
    )
}
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
# Phrases of the 2020–2022 pandemic response (not 动物防疫 or 传染病疫情防控, which go on).
PANDEMIC = re.compile(r"疫情期间|新冠疫情|新冠肺炎|抗疫|防疫物资|核酸检测|隔离点|封控|疫情防控期间|常态化疫情防控")
NO_ADJUSTMENT = re.compile(r"(?:未|没有|无)(?:作|进行|发生)?(?:预算)?调整|预算未变")
YEAR_CONTEXT_BEFORE = re.compile(r"(?:较|比|同比|与|自|从|上年|截至|截止|对比|相比)\s*$")
COMPARISON = re.compile(r"较|比|同比|相比|增长|下降|减少|增加|提高|结转|结余|决算")
PLANNING = re.compile(r"规划|远景|目标|力争|计划|预计|到|前")
QUALIFIERS = ("限额以上", "规模以上", "规上", "限上", "其中")
GROWTH = re.compile(rf"(?P<dir>增长|增加|上升|提高|下降|减少|降低|回落)(?P<num>{P.NUM})%")
TASK = re.compile(rf"(?:任务|目标|计划)[^,。;\d]{{0,6}}?(?P<num>{P.NUM})(?P<unit>{P.UNIT})(?:的(?P<rate>{P.NUM})%)?")
PLAN_DONE = re.compile(
    rf"计划(?P<what>[^,。;\d]{{0,4}}?)(?P<a>{P.NUM})(?P<ua>{P.UNIT}).{{0,40}}?完成(?P=what)(?P<b>{P.NUM})(?P<ub>{P.UNIT})"
    rf"[^。]{{0,10}}?完成率(?:为)?(?P<rate>{P.NUM})%"
)


def same_unit(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    norm = {"亿元": "亿", "万元": "万"}
    return norm.get(a, a) == norm.get(b, b)


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
    narrative_vs_indicators(c)
    narrative_rates(c)
    if year is not None:
        other_years(c, year)
        pandemic_text(c, year)
    no_adjustment_statement(c)
    unstated_result(c)
    claim_checks(c, read_claims(facts.text.norm))
    return c.findings


def claim_checks(c: Collector, claims: list[Claim]) -> None:
    """Each claim verified where its inputs were read; parts of a total are parts, never restatements."""
    totals: dict[int, Claim] = {}
    for claim in claims:
        if claim.kind == "sum" and isinstance(claim.stated, Quantity):
            total = claim.stated
            if claim.parts:
                parts_sum = sum((p.value for p in claim.parts), Decimal(0))
                tolerance = total.half_place * (1 if total.dimension != "money" else MONEY_SCALE[total.unit])
                if parts_sum > total.value + tolerance:
                    listed = "+".join(fmt(p.value) for p in claim.parts)
                    c.add("A011", f"叙述称合计{fmt(total.value)}{_base(total)}，但其中所列各项{listed} = "
                          f"{fmt(parts_sum)}{_base(total)}，超过合计", (total.start, total.end), None,
                          total.value, parts_sum, [(p.start, p.end) for p in claim.parts])
            if total.dimension == "money" and claim.n_items and claim.n_items >= 2:
                first = totals.get(claim.n_items)
                if first is None:
                    totals[claim.n_items] = claim
                elif isinstance(first.stated, Quantity) and first.stated.value != total.value:
                    gap = abs(first.stated.value - total.value)
                    c.add("A013", f"同一组{claim.n_items}项资金，第{c.loc((first.stated.start, first.stated.end)).line}行合计为"
                          f"{fmt(first.stated.value)}万元，此处为{fmt(total.value)}万元（相差{fmt(gap)}万元），请核实",
                          (total.start, total.end), None, first.stated.value, total.value,
                          [(first.stated.start, first.stated.end)])
        elif claim.kind == "over_task" and isinstance(claim.stated, Decimal):
            task, done = claim.inputs["task"], claim.inputs["done"]
            over = percent(done.value - task.value, task.value)
            share = percent(done.value, task.value)
            if over is None or share is None:
                continue
            tolerance = Decimal(5).scaleb(-decimals_of(claim.stated) - 1)
            if not within(claim.stated, over, tolerance) and not within(claim.stated, share, tolerance):
                c.add("A012", f"叙述称超任务{fmt(claim.stated)}%，但任务{fmt(task.value)}{task.unit}、完成"
                      f"{fmt(done.value)}{done.unit}，超出({fmt(done.value)}−{fmt(task.value)})÷{fmt(task.value)} = "
                      f"{fmt(over)}%", (claim.start, claim.end), None, over, claim.stated,
                      [(task.start, task.end), (done.start, done.end)])
    check_claims(c, claims)


MONEY_SCALE = {"元": Decimal("0.0001"), "万元": Decimal(1), "万": Decimal(1), "亿元": Decimal(10000), "亿": Decimal(10000)}


def _base(q: Quantity) -> str:
    return "万元" if q.dimension == "money" else q.unit


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


def _part_of(norm: str, total: Stmt, other: Stmt) -> bool:
    """"3608万元(中央资金2855万元、…)", "T万元，其中a": a smaller figure listed as a part of the total before it."""
    if not (isinstance(total.value, Decimal) and isinstance(other.value, Decimal)) or other.value >= total.value:
        return False
    between = norm[total.end : other.start]
    return 0 <= len(between) <= 80 and "。" not in between and ("其中" in between or "(" in between or "、" in between)


def _show(value: object) -> str:
    return fmt(value) if isinstance(value, Decimal) else str(value)


def _stem(name: str) -> str:
    stem = re.sub(r"^(?:完成|实现|全年|年度)", "", name)
    stem = re.sub(r"(?:同比增长率|增长率|增速|增幅|数量|个数|率)$", "", stem)
    return stem


def _sentence_after(norm: str, pos: int, limit: int) -> str:
    end = pos
    while end < len(norm) and end < limit and norm[end] not in "。\n;":
        end += 1
    return norm[pos:end]


def narrative_vs_indicators(c: Collector) -> None:
    facts = c.facts
    norm = facts.text.norm
    limit = facts.narrative_end()
    for block in facts.blocks:
        p = f"indicators[{block.index}]"
        stem = _stem(block.name)
        unit = facts.value(f"{p}.unit")
        target = facts.first(f"{p}.target")
        actual = primary_actual(facts, block.index)
        rate = facts.first(f"{p}.stated.completion_rate")
        if len(stem) < 4:
            continue
        growth = re.search(r"增长率|增速|增幅", block.name) is not None
        reported = False
        for hit in re.finditer(re.escape(stem), norm[:limit]):
            before = norm[max(0, hit.start() - 4) : hit.start()]
            if any(before.endswith(q) for q in QUALIFIERS) or reported:
                continue
            sentence = _sentence_after(norm, hit.end(), limit)
            base = hit.end()
            if growth and actual is not None and is_percent(str(unit)):
                g = GROWTH.search(sentence)
                if g is None:
                    continue
                value = Decimal(g.group("num"))
                if g.group("dir") in ("下降", "减少", "降低", "回落"):
                    value = -value
                if value != actual.value:
                    estimate = "（预计数）" if "预计" in norm[hit.start() - 10 : base + g.end()] else ""
                    c.add(
                        "A004",
                        f"指标“{block.name}”实际完成值为{_show(actual.value)}%，但叙述部分{estimate}称"
                        f"“{stem}”{g.group('dir')}{g.group('num')}%，实际完成值应为{fmt(value)}%；"
                        "同一数字前后不一致，请按实际增长率填写（负增长照实填写，得分按规则计算）",
                        actual, f"{p}.actual", value, actual.value,  # type: ignore[arg-type]
                        [(hit.start(), base + g.end())],
                    )
                    reported = True
                continue
            t = TASK.search(sentence)
            if t is None or target is None or not same_unit(t.group("unit"), str(unit) if unit else None):
                continue
            said = Decimal(t.group("num"))
            if said == target.value:
                continue
            extra = ""
            if t.group("rate") and rate is not None:
                extra = f"，叙述中的完成率{t.group('rate')}%与指标部分的完成率{_show(rate.value)}%也不同"
            c.add(
                "A004",
                f"指标“{block.name}”目标值为{_show(target.value)}{unit or ''}，但叙述部分称任务为"
                f"{t.group('num')}{t.group('unit')}{extra}；同一任务数前后不一致，请核实目标值",
                target, f"{p}.target", target.value, said,  # type: ignore[arg-type]
                [(hit.start(), base + t.end())] + ([rate] if rate is not None else []),
            )
            reported = True


def narrative_rates(c: Collector) -> None:
    """Rates written in the narrative (计划…完成…完成率, 任务…的…%) against their own numbers."""
    facts = c.facts
    norm = facts.text.norm[: facts.narrative_end()]
    for m in PLAN_DONE.finditer(norm):
        if m.group("ua") != m.group("ub"):
            continue
        computed = percent(Decimal(m.group("b")), Decimal(m.group("a")))
        stated = Decimal(m.group("rate"))
        if computed is not None and not agrees(stated, computed):
            c.add(
                "A005",
                f"叙述称完成率{m.group('rate')}%，但完成{m.group('b')}{m.group('ub')} ÷ 计划{m.group('a')}{m.group('ua')}"
                f" = {fmt(computed)}%",
                (m.start("rate"), m.end("rate") + 1), None, computed, stated,
                [(m.start("a"), m.end("ua"))],
            )
    for m in TASK.finditer(norm):
        if not m.group("rate"):
            continue
        sentence_start = max(norm.rfind("。", 0, m.start()), norm.rfind("\n", 0, m.start())) + 1
        amounts = [a for a in re.finditer(rf"(?P<num>{P.NUM})(?P<unit>{P.UNIT})", norm[sentence_start : m.start()])
                   if same_unit(a.group("unit"), m.group("unit"))]
        if not amounts:
            continue
        done = Decimal(amounts[0].group("num"))
        computed = percent(done, Decimal(m.group("num")))
        stated = Decimal(m.group("rate"))
        if computed is not None and not agrees(stated, computed):
            c.add(
                "A005",
                f"叙述称完成任务{m.group('num')}{m.group('unit')}的{m.group('rate')}%，但"
                f"{amounts[0].group('num')}{amounts[0].group('unit')} ÷ {m.group('num')}{m.group('unit')} = {fmt(computed)}%",
                (m.start(), m.end()), None, computed, stated,
            )


def other_years(c: Collector, year: int) -> None:
    norm = c.facts.text.norm
    seen: dict[int, list[tuple[int, int]]] = {}
    for m in P.YEAR_ANY.finditer(norm):
        if m.start() > 0 and norm[m.start() - 1].isdigit():
            continue
        y = int(m.group("y"))
        if y in (year, year + 1):
            continue
        before = norm[max(0, m.start() - 4) : m.start()]
        after = norm[m.end() : m.end() + 4]
        if YEAR_CONTEXT_BEFORE.search(before) or re.match(r"(?:以来|至今|起|度?结转|末|同期|[-~至到])", after):
            continue
        if re.search(r"\d[-~至到]$", before):
            continue  # a range such as 2021-2025年
        left, right = c.facts.text.clause(m.start(), m.end())
        clause = norm[left:right]
        if y < year and COMPARISON.search(clause):
            continue  # 较2023年增长…: a comparison with an earlier year, not text from it
        if y > year and PLANNING.search(clause):
            continue  # 到2035年…: a plan, not an event
        seen.setdefault(y, []).append(m.span())
    for y, spans in seen.items():
        c.add(
            "A006",
            f"报告提及{y}年，既不是评价年度{year}年也不是填报年度{year + 1}年，疑为往年报告遗留的文字，请核实",
            spans[0], None, None, None, list(spans[1:]),
        )


def pandemic_text(c: Collector, year: int) -> None:
    if year < 2024:
        return
    norm = c.facts.text.norm
    hits = list(PANDEMIC.finditer(norm))
    if hits:
        c.add(
            "A007",
            f"报告提及“{hits[0].group()}”：疫情防控是2020—2022年的工作，出现在{year}年度报告中，"
            "疑为往年报告遗留的文字，请核实资金实际用途",
            hits[0].span(), None, None, None, [h.span() for h in hits[1:]],
        )


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


def gap_findings(gaps: list[tuple[str, str, str]]) -> Iterator[Finding]:
    check = DOC_CHECKS["A009"]
    for _, field, message in gaps:
        yield Finding(code=check.code, severity=check.severity, message=message, field=field)
