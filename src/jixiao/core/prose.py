"""Checks that read prose: the narrative against the indicators, the rates and totals it states, years
other than the evaluation's, pandemic-era text.

Pure text functions shared by both doors that have prose: the core runs them on an evaluation's
narrative fields (`core.checks.narrative`, so `jixiao check`, the web and the report writer see them),
the auditor on a whole report's text (`audit.doc_checks`). Same code, same message, whichever door.
Each function reads normalised text (`normalise_text`) and returns `TextHit`s — spans in that text
plus the model fields a hit concerns; each caller turns a hit into a Finding at its own kind of place
(a field path, or a line and quote).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.claims import Claim, Quantity, within
from jixiao.core.findings import Severity
from jixiao.core.money import agrees, decimals_of, fmt, percent
from jixiao.core.year_context import year_context

NUM = r"-?\d+(?:\.\d+)?"
# Longest first: "万元" before "万", "个月" before "个".
UNITS = (
    "万美元", "亿美元", "美元", "万人次", "人次", "万人", "万元", "亿元", "元/人", "平方公里", "平方米",
    "公里", "千米", "公顷", "个月", "小时", "%", "‰", "亿", "万", "元", "米", "亩", "吨", "个", "家",
    "项", "名", "人", "次", "户", "所", "条", "座", "场", "期", "件", "篇", "套", "台", "辆", "天", "日",
    "月", "年", "分", "处", "批", "份", "册", "本", "株", "棵", "头", "只", "张", "间", "栋",
)
# A compound unit ("万元/公里", "元/人次") is one unit: a level, not a running total.
UNIT = "(?:(?:" + "|".join(re.escape(u) for u in UNITS) + r")(?:/[\u4e00-\u9fffA-Za-z]{1,4})?)"
YEAR_ANY = re.compile(r"(?P<y>(?:19|20)\d\d)年")  # callers skip hits preceded by a digit

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ProseCheck:
    code: str
    severity: Severity
    title: str


PROSE_CHECKS = {
    c.code: c
    for c in (
        ProseCheck("A004", Severity.ERROR, "叙述部分与绩效指标部分的数字不一致"),
        ProseCheck("A005", Severity.ERROR, "叙述中的比率与其数字不符"),
        ProseCheck("A006", Severity.WARNING, "提及评价年度以外的年份"),
        ProseCheck("A007", Severity.WARNING, "含有疫情时期的表述"),
        ProseCheck("A011", Severity.ERROR, "叙述中各分项之和超过所述合计"),
        ProseCheck("A012", Severity.ERROR, "叙述中的超任务比例与任务数、完成数不符"),
        ProseCheck("A013", Severity.ERROR, "同一组项目的合计在报告中前后不一致"),
        # The other claim kinds (core.claim_checks).
        ProseCheck("A020", Severity.ERROR, "叙述中的比率与其分子、分母不符"),
        ProseCheck("A021", Severity.ERROR, "叙述所述个数与其列举的项目数不符"),
        ProseCheck("A022", Severity.ERROR, "叙述中的增减额或增减幅度与两期数字不符"),
        ProseCheck("A023", Severity.ERROR, "叙述中的单价乘数量与所述合计不符"),
        ProseCheck("A024", Severity.ERROR, "同一名称的数字在报告中前后不一致"),
        ProseCheck("A026", Severity.ERROR, "叙述中写出的算式结果与其数字不符"),
        ProseCheck("A029", Severity.ERROR, "叙述中的时间进度（或与时间进度之差）与所述日期不符"),
    )
}


@dataclass(frozen=True, slots=True)
class TextHit:
    """One slip found in prose. `span` is where it was said; None means at `field`'s own statement."""

    code: str
    message: str
    span: Span | None = None
    field: str | None = None
    expected: Decimal | None = None
    actual: Decimal | None = None
    spans: tuple[Span, ...] = ()  # other places in the text it concerns
    fields: tuple[str, ...] = ()  # other fields it concerns


@dataclass(frozen=True, slots=True)
class IndicatorFigures:
    """What the narrative checks need of one indicator, wherever it was read from."""

    index: int
    name: str
    unit: str | None
    target: Decimal | None
    actual: Decimal | None
    rate: Decimal | None  # the completion rate as stated (or computed, for structured data)
    rate_stated: bool = True  # whether `rate` is a stated figure (a field of its own to point at)

    @property
    def path(self) -> str:
        return f"indicators[{self.index}]"


# Phrases of the 2020–2022 pandemic response (not 动物防疫 or 传染病疫情防控, which go on).
PANDEMIC = re.compile(r"疫情期间|新冠疫情|新冠肺炎|抗疫|防疫物资|核酸检测|隔离点|封控|疫情防控期间|常态化疫情防控")
YEAR_CONTEXT_BEFORE = re.compile(r"(?:较|比|同比|与|自|从|上年|截至|截止|对比|相比)\s*$")
COMPARISON = re.compile(r"较|比|同比|相比|增长|下降|减少|增加|提高|结转|结余|决算")
PLANNING = re.compile(r"规划|远景|目标|力争|计划|预计|到|前")
QUALIFIERS = ("限额以上", "规模以上", "规上", "限上", "其中")
GROWTH = re.compile(rf"(?P<dir>增长|增加|上升|提高|下降|减少|降低|回落)(?P<num>{NUM})%")
TASK = re.compile(rf"(?:任务|目标|计划)[^,。;\d]{{0,6}}?(?P<num>{NUM})(?P<unit>{UNIT})(?:的(?P<rate>{NUM})%)?")
PLAN_DONE = re.compile(
    rf"计划(?P<what>[^,。;\d]{{0,4}}?)(?P<a>{NUM})(?P<ua>{UNIT}).{{0,40}}?完成(?P=what)(?P<b>{NUM})(?P<ub>{UNIT})"
    rf"[^。]{{0,10}}?完成率(?:为)?(?P<rate>{NUM})%"
)
CLAUSE_BREAK = re.compile(r"[,;:。!?\n，；：]")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")
_SPACE_IN_CJK = re.compile(r"(?<=[\u4e00-\u9fff\d%]) +(?=[\u4e00-\u9fff\d])")


def normalise_text(value: str) -> str:
    """Prose typed by a person, in the form the readers expect: full-width forms folded (，→, ％→%),
    thousands separators and spaces between Chinese words dropped. (The auditor has its own, fuller pass
    that remembers where each character came from.)"""
    text = unicodedata.normalize("NFKC", value).replace("\u3000", " ")
    text = _THOUSANDS.sub(lambda m: m.group().replace(",", ""), text)
    return _SPACE_IN_CJK.sub("", text)


def same_unit(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    norm = {"亿元": "亿", "万元": "万"}
    return norm.get(a, a) == norm.get(b, b)


def is_percent(unit: str | None) -> bool:
    return unit in ("%", "‰")


def clause(text: str, start: int, end: int, reach: int = 60) -> Span:
    """Widen [start, end) to the clause around it (at most `reach` characters each way)."""
    left = max(0, start - reach)
    for m in CLAUSE_BREAK.finditer(text, left, start):
        left = m.end()
    stop = CLAUSE_BREAK.search(text, max(end, start), max(end, start) + reach)
    return left, stop.start() if stop else min(len(text), max(end, start) + reach)


def _show(value: Decimal | None) -> str:
    return fmt(value) if value is not None else "—"


def _stem(name: str) -> str:
    stem = re.sub(r"^(?:完成|实现|全年|年度)", "", name)
    return re.sub(r"(?:同比增长率|增长率|增速|增幅|数量|个数|率)$", "", stem)


def _sentence_after(text: str, pos: int, limit: int) -> str:
    end = pos
    while end < len(text) and end < limit and text[end] not in "。\n;":
        end += 1
    return text[pos:end]


def narrative_vs_indicators(text: str, indicators: list[IndicatorFigures]) -> list[TextHit]:
    """A004: the narrative's growth rate or task for an indicator against the indicator's own figures
    (同比下降8% against an actual of 0%; a task of 240亿元 against a target of 241亿元). `text` is the
    narrative only — not the indicator section, which states the figures themselves."""
    hits: list[TextHit] = []
    limit = len(text)
    for ind in indicators:
        stem = _stem(ind.name)
        if len(stem) < 4:
            continue
        p = ind.path
        growth = re.search(r"增长率|增速|增幅", ind.name) is not None
        for hit in re.finditer(re.escape(stem), text):
            before = text[max(0, hit.start() - 4) : hit.start()]
            if any(before.endswith(q) for q in QUALIFIERS):
                continue
            sentence = _sentence_after(text, hit.end(), limit)
            base = hit.end()
            if growth and ind.actual is not None and is_percent(ind.unit):
                g = GROWTH.search(sentence)
                if g is None:
                    continue
                value = Decimal(g.group("num"))
                if g.group("dir") in ("下降", "减少", "降低", "回落"):
                    value = -value
                if value == ind.actual:
                    continue
                estimate = "（预计数）" if "预计" in text[max(0, hit.start() - 10) : base + g.end()] else ""
                hits.append(TextHit(
                    "A004",
                    f"指标“{ind.name}”实际完成值为{_show(ind.actual)}%，但叙述部分{estimate}称"
                    f"“{stem}”{g.group('dir')}{g.group('num')}%，实际完成值应为{fmt(value)}%；"
                    "同一数字前后不一致，请按实际增长率填写（负增长照实填写，得分按规则计算）",
                    None, f"{p}.actual", value, ind.actual, ((hit.start(), base + g.end()),),
                ))
                break
            t = TASK.search(sentence)
            if t is None or ind.target is None or not same_unit(t.group("unit"), ind.unit or None):
                continue
            said = Decimal(t.group("num"))
            if said == ind.target:
                continue
            extra = ""
            if t.group("rate") and ind.rate is not None:
                extra = f"，叙述中的完成率{t.group('rate')}%与指标部分的完成率{_show(ind.rate)}%也不同"
            hits.append(TextHit(
                "A004",
                f"指标“{ind.name}”目标值为{_show(ind.target)}{ind.unit or ''}，但叙述部分称任务为"
                f"{t.group('num')}{t.group('unit')}{extra}；同一任务数前后不一致，请核实目标值",
                None, f"{p}.target", ind.target, said, ((hit.start(), base + t.end()),),
                (f"{p}.stated.completion_rate",) if ind.rate is not None and ind.rate_stated else (),
            ))
            break
    return hits


# A sentence ends at 。, at a line break, and at a full stop written "." (a copy's half-width punctuation), not a decimal point.
_TASK_SENTENCE_END = re.compile(r"[。\n]|\.(?!\d)")


def narrative_rates(text: str) -> list[TextHit]:
    """A005: rates written in the narrative (计划…完成…完成率, 任务…的…%) against their own numbers."""
    hits: list[TextHit] = []
    for m in PLAN_DONE.finditer(text):
        if m.group("ua") != m.group("ub"):
            continue
        computed = percent(Decimal(m.group("b")), Decimal(m.group("a")))
        stated = Decimal(m.group("rate"))
        if computed is not None and not agrees(stated, computed):
            hits.append(TextHit(
                "A005",
                f"叙述称完成率{m.group('rate')}%，但完成{m.group('b')}{m.group('ub')} ÷ 计划{m.group('a')}{m.group('ua')}"
                f" = {fmt(computed)}%",
                (m.start("rate"), m.end("rate") + 1), None, computed, stated, ((m.start("a"), m.end("ua")),),
            ))
    for m in TASK.finditer(text):
        if not m.group("rate"):
            continue
        sentence_start = max((e.end() for e in _TASK_SENTENCE_END.finditer(text, max(0, m.start() - 400), m.start())),
                             default=0)
        amounts = [a for a in re.finditer(rf"(?P<num>{NUM})(?P<unit>{UNIT})", text[sentence_start : m.start()])
                   if same_unit(a.group("unit"), m.group("unit"))]
        if not amounts:
            continue
        # The amount done is the one written nearest before the task ("计划投资20亿元,完成投资18亿元,完成任务…").
        computed = percent(Decimal(amounts[-1].group("num")), Decimal(m.group("num")))
        stated = Decimal(m.group("rate"))
        if computed is not None and not agrees(stated, computed):
            hits.append(TextHit(
                "A005",
                f"叙述称完成任务{m.group('num')}{m.group('unit')}的{m.group('rate')}%，但"
                f"{amounts[-1].group('num')}{amounts[-1].group('unit')} ÷ {m.group('num')}{m.group('unit')} = {fmt(computed)}%",
                (m.start(), m.end()), None, computed, stated,
            ))
    return hits


def _sentence(text: str, start: int, end: int) -> str:
    lo = max(0, start - 120)
    left = max(text.rfind("。", lo, start), text.rfind("\n", lo, start), lo - 1) + 1
    stops = [i for i in (text.find("。", end, end + 120), text.find("\n", end, end + 120)) if i >= 0]
    right = min([*stops, end + 120])
    return text[left:right]


def other_years(text: str, year: int) -> list[TextHit]:
    """A006: a year that is neither the evaluation's nor the filing year, outside a comparison or a plan."""
    seen: dict[int, list[Span]] = {}
    for m in YEAR_ANY.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isdigit():
            continue
        y = int(m.group("y"))
        if y in (year, year + 1):
            continue
        before = text[max(0, m.start() - 4) : m.start()]
        after = text[m.end() : m.end() + 6]  # "年实际实现值": a past value column needs six
        if YEAR_CONTEXT_BEFORE.search(before) or re.match(r"(?:以来|至今|起|度?结转|末|同期|[-~至到])", after):
            continue
        if re.search(r"\d[-~至到]$", before):
            continue  # a range such as 2021-2025年
        left, right = clause(text, m.start(), m.end())
        around = text[left:right]
        if y < year and COMPARISON.search(around):
            continue  # 较2023年增长…: a comparison with an earlier year, not text from it
        if y > year and PLANNING.search(around):
            continue  # 到2035年…: a plan, not an event
        if year_context(_sentence(text, m.start(), m.end()), before, after, y, year) is not None:
            continue  # a founding, a citation, last year's award or allocation: expected, not stale
        seen.setdefault(y, []).append(m.span())
    return [
        TextHit("A006", f"报告提及{y}年，既不是评价年度{year}年也不是填报年度{year + 1}年，疑为往年报告遗留的文字，请核实",
                spans[0], spans=tuple(spans[1:]))
        for y, spans in seen.items()
    ]


def pandemic_text(text: str, year: int) -> list[TextHit]:
    """A007: the 2020–2022 pandemic response described in a report of 2024 or later."""
    if year < 2024:
        return []
    found = list(PANDEMIC.finditer(text))
    if not found:
        return []
    return [TextHit(
        "A007",
        f"报告提及“{found[0].group()}”：疫情防控是2020—2022年的工作，出现在{year}年度报告中，"
        "疑为往年报告遗留的文字，请核实资金实际用途",
        found[0].span(), spans=tuple(h.span() for h in found[1:]),
    )]


def claim_hits(claims: list[Claim], place: Callable[[Span], str]) -> list[TextHit]:
    """A011–A013: each claim verified where its inputs were read; parts of a total are parts, never
    restatements. `place` names where a span is, for a message that points back (第27行, “年度重点工作”)."""
    hits: list[TextHit] = []
    totals: dict[int, list[Claim]] = {}
    for claim in claims:
        if claim.kind == "sum" and isinstance(claim.stated, Quantity):
            total = claim.stated
            if claim.parts:
                parts_sum = sum((p.value for p in claim.parts), Decimal(0))
                # each figure anywhere within half a unit of its last written place: "30万元、30万元、29.99万元" under
                # 89.97万元 may be 29.992 + 29.992 + 29.99 rounded
                if sum((p.low for p in claim.parts), Decimal(0)) > total.high:
                    listed = "+".join(fmt(p.value) for p in claim.parts)
                    hits.append(TextHit(
                        "A011", f"叙述称合计{fmt(total.value)}{_base(total)}，但其中所列各项{listed} = "
                        f"{fmt(parts_sum)}{_base(total)}，超过合计", (total.start, total.end), None,
                        total.value, parts_sum, tuple((p.start, p.end) for p in claim.parts),
                    ))
            if total.dimension == "money" and claim.n_items and claim.n_items >= 2:
                # The same group only where one of the two names its count in words ("6类专项"): two lists
                # that merely have as many parts (收入 a、b and 支出 c、d) are not one group.
                earlier = totals.setdefault(claim.n_items, [])
                first = next((c for c in earlier if c.counted or claim.counted), None)
                earlier.append(claim)
                if first is not None and isinstance(first.stated, Quantity) and first.stated.value != total.value:
                    gap = abs(first.stated.value - total.value)
                    hits.append(TextHit(
                        "A013", f"同一组{claim.n_items}项资金，{place((first.stated.start, first.stated.end))}合计为"
                        f"{fmt(first.stated.value)}万元，此处为{fmt(total.value)}万元（相差{fmt(gap)}万元），请核实",
                        (total.start, total.end), None, first.stated.value, total.value,
                        ((first.stated.start, first.stated.end),),
                    ))
        elif claim.kind == "over_task" and isinstance(claim.stated, Decimal):
            task, done = claim.inputs["task"], claim.inputs["done"]
            over = percent(done.value - task.value, task.value)
            share = percent(done.value, task.value)
            if over is None or share is None:
                continue
            tolerance = Decimal(5).scaleb(-decimals_of(claim.stated) - 1)
            if not within(claim.stated, over, tolerance) and not within(claim.stated, share, tolerance):
                hits.append(TextHit(
                    "A012", f"叙述称超任务{fmt(claim.stated)}%，但任务{fmt(task.value)}{task.unit}、完成"
                    f"{fmt(done.value)}{done.unit}，超出({fmt(done.value)}−{fmt(task.value)})÷{fmt(task.value)} = "
                    f"{fmt(over)}%", (claim.start, claim.end), None, over, claim.stated,
                    ((task.start, task.end), (done.start, done.end)),
                ))
    return hits


def _base(q: Quantity) -> str:
    return "万元" if q.dimension == "money" else q.unit

