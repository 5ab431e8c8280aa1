"""Read the figures a report states: what, where, and in which part of the report.

The reader walks the normalised text paragraph by paragraph, knowing from the
headings which part it is in (budget, basic expenditure, projects, indicators,
narrative), and records every statement of a figure with its span, so that the
same figure stated twice can be compared and every figure can be quoted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from jixiao.audit import patterns as P
from jixiao.audit.normalise import HEADING, Text, is_heading
from jixiao.core.model import FUND_SOURCE_LABELS, FundSource, Location

if TYPE_CHECKING:
    from jixiao.audit.tables import Tables


@dataclass(frozen=True, slots=True)
class Stmt:
    """One statement of a figure: its value, its span in the normalised text, the unit written."""

    path: str
    value: object
    start: int
    end: int
    unit: str | None = None


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int
    text: str
    scope: str  # overall / adjust / execution / basic / project / group:N / indicator / key_work / problems / …
    heading: bool
    title: str = ""  # the nearest heading above (or this heading)


@dataclass(slots=True)
class IndicatorBlock:
    index: int
    name: str
    start: int
    end: int
    name_start: int


@dataclass
class Facts:
    text: Text
    stmts: dict[str, list[Stmt]] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    blocks: list[IndicatorBlock] = field(default_factory=list)
    groups: list[tuple[str, FundSource | None]] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)  # narrative parts by scope
    tables: Tables | None = None  # the budget blocks and indicator tables, as read from the original lines

    def add(self, path: str, value: object, start: int, end: int, unit: str | None = None) -> None:
        self.stmts.setdefault(path, []).append(Stmt(path, value, start, end, unit))

    def first(self, path: str) -> Stmt | None:
        found = self.stmts.get(path)
        return found[0] if found else None

    def value(self, path: str) -> object:
        stmt = self.first(path)
        return stmt.value if stmt is not None else None

    def dec(self, path: str) -> Decimal | None:
        value = self.value(path)
        return value if isinstance(value, Decimal) else None

    def location(self, stmt: Stmt) -> Location:
        return self.text.locate(stmt.start, stmt.end)

    def text_line_of_raw(self, raw: int) -> int:
        """1-based line of a raw offset (tables are read from the original lines)."""
        from bisect import bisect_right

        return bisect_right(self.text.line_starts, raw)

    def narrative_end(self) -> int:
        """Where the indicator section starts: the narrative is everything before."""
        return self.blocks[0].start if self.blocks else len(self.text.norm)


def number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


SCOPE_WORDS = (
    ("指标", "indicator"),
    ("基本支出", "basic"),
    ("项目", "project"),
    ("预算调整", "adjust"),
    ("预算执行", "execution"),
    ("重点工作", "key_work"),
    ("问题", "problems"),
    ("原因", "causes"),
    ("改进措施", "measures"),
    ("建议", "suggestions"),
    ("结论", "conclusion"),
)
SOURCE_WORDS = (
    (("当年财政拨款",), FundSource.FISCAL),
    (("上级资金", "上级财力", "上级专项", "上级补助"), FundSource.HIGHER_LEVEL),
    (("本级资金", "本级财力"), FundSource.OWN_LEVEL),
    (("其他资金",), FundSource.OTHER),
    (("上年结转",), FundSource.CARRIED_OVER),
)
BUDGET_SCOPES = ("overall", "adjust", "execution", "basic", "project")


_LEVELS = (
    (1, re.compile(r"第[一二三四五六七八九十百]+[章部分]|[一二三四五六七八九十]+[、.]")),
    (2, re.compile(r"\([一二三四五六七八九十]+\)")),
    (3, re.compile(r"\d+[、.](?!\d)")),
    (4, re.compile(r"\(\d+\)")),
)


def heading_level(line: str) -> int:
    """一、 → 1, (一) → 2, 1. → 3, (1) → 4; anything else (a Markdown title, 附表) → 5."""
    s = line.lstrip("#-•·● ")
    for level, regex in _LEVELS:
        if regex.match(s):
            return level
    return 5


def _source_of(text: str) -> FundSource | None:
    if _ANY_SOURCE.search(text) is None:
        return None
    for regex, source in _SOURCE_RES:
        if regex.search(text):
            return source
    return None


def read_facts(text: Text) -> Facts:
    facts = Facts(text)
    _split_paragraphs(facts)
    _read_header(facts)
    _read_staffing(facts)
    for i, para in enumerate(facts.paragraphs):
        if not para.heading and (para.scope in BUDGET_SCOPES or para.scope.startswith("group:")):
            before = facts.paragraphs[i - 1] if i else None
            _read_budget_paragraph(facts, para, before.text if before is not None and not before.heading else "")
        if not para.heading:
            facts.texts.setdefault(para.scope, []).append(para.text)
    _read_indicators(facts)
    from jixiao.audit.table_facts import add_table_facts  # table_facts builds on this module

    facts.tables = add_table_facts(facts)
    _read_conclusion(facts)
    return facts


def _split_paragraphs(facts: Facts) -> None:
    norm = facts.text.norm
    project_kind = P.KIND_PROJECT.search(norm[:1000]) is not None
    stack: list[tuple[int, str]] = []  # (level, scope or "")
    title = ""
    pos = 0
    for line in norm.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        heading = is_heading(line) and (bool(HEADING.match(line.strip())) or line.lstrip().startswith("#"))
        if heading:
            level = heading_level(line)
            while stack and stack[-1][0] >= level:
                stack.pop()
            scope = ""
            for word, name in SCOPE_WORDS:
                if word in line:
                    scope = name
                    break
            if scope == "project" and project_kind:
                scope = ""  # in a project evaluation every section is about the project
            if scope == "project" and _source_of(line) is not None:
                title = re.sub(r"^[#\-•\s]*\(?[\d一二三四五六七八九十]+\)?[、.]?", "", line).strip(" :")
                facts.groups.append((title or line.strip(), _source_of(line)))
                scope = f"group:{len(facts.groups) - 1}"
            stack.append((level, scope))
            title = line
        current = next((s for _, s in reversed(stack) if s), "overall")
        facts.paragraphs.append(Paragraph(start, end, line, current, heading, title))


def _read_header(facts: Facts) -> None:
    norm = facts.text.norm
    head = norm[:3000]
    if P.KIND_PROJECT.search(norm[:1000]):
        facts.add("kind", "project", 0, 0)
        m = P.PROJECT_NAME.search(norm)
        if m:
            facts.add("project.name", m.group("v").strip(), m.start("v"), m.end("v"))
    m = P.UNIT_NAME.search(head) or P.UNIT_NAME_ALT.search(head)
    if m:
        name = m.group("v").strip().strip(":")
        name = P.NEXT_LABEL.split(name)[0].strip()  # up to the next label
        if name:
            facts.add("unit.name", name, m.start("v"), m.start("v") + len(name))
    elif (t := P.UNIT_IN_TITLE.search(norm[:600])) is not None:
        group = "v" if t.group("v") else "w"
        facts.add("unit.name", t.group(group), t.start(group), t.end(group))
    m = P.YEAR_TITLE.search(head)
    if m:
        facts.add("year", int(m.group("y")), m.start(), m.end())
    else:
        hits = [y for y in P.YEAR_ANY.finditer(norm) if y.start() == 0 or not norm[y.start() - 1].isdigit()]
        years = Counter(int(y.group("y")) for y in hits)
        if years:
            year = years.most_common(1)[0][0]
            hit = next(y for y in hits if int(y.group("y")) == year)
            facts.add("year", year, hit.start(), hit.end())
    m = P.FILLED.search(norm)
    if m:
        try:
            date = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            date = None
        if date is not None:
            facts.add("filled_date", date, m.start(), m.end())


def _read_staffing(facts: Facts) -> None:
    norm = facts.text.norm
    for regex, path in (
        (P.STAFF_ADMIN, "unit.staffing.authorized_administrative"),
        (P.STAFF_INST, "unit.staffing.authorized_institutional"),
        (P.STAFF_TOTAL, "unit.staffing.authorized_total"),
        (P.STAFF_ACTUAL, "unit.staffing.actual"),
    ):
        m = regex.search(norm)
        if m:
            facts.add(path, int(m.group("num")), m.start(), m.end())


KIND_WORDS = (
    ("total", ("预算支出金额", "支出金额共", "支出总额", "支出总金额")),
    ("adjusted", ("调整后", "全年预算", "预算总额", "预算金额", "总金额", "全年预算金额")),
    ("initial", ("年初",)),
    ("adjustment", ("调增", "调减", "调整数", "追加", "追减", "调整金额")),
    ("executed", ("执行", "决算", "实际支出", "支出数", "实际使用", "支出资金")),
)


_KIND_RES = tuple((kind, re.compile("|".join(map(re.escape, words)))) for kind, words in KIND_WORDS)
_SOURCE_RES = tuple((re.compile("|".join(map(re.escape, words))), source) for words, source in SOURCE_WORDS)
# Any kind word, any source word: one scan tells most clauses (nine in ten name neither) they name none,
# where trying each kind's or source's words in turn scanned the clause five times.
_ANY_KIND = re.compile("|".join(re.escape(w) for _, words in KIND_WORDS for w in words))
_ANY_SOURCE = re.compile("|".join(re.escape(w) for words, _ in SOURCE_WORDS for w in words))
_DIGIT = re.compile(r"\d")


def _clause_kind(clause: str) -> str | None:
    if _ANY_KIND.search(clause) is None:
        return None
    for kind, regex in _KIND_RES:
        if regex.search(clause):
            return kind
    return None


def _budget_path(scope: str, kind_or_none: str | None, facts: Facts) -> str | None:
    kind = kind_or_none or "none"  # "none": an amount with no kind word, e.g. 基本支出为454.39万元
    if scope in ("overall", "adjust", "execution"):
        return {"initial": "budget.initial", "adjusted": "budget.adjusted", "executed": "budget.executed",
                "adjustment": "budget.adjustment", "total": "expenditure.total"}.get(kind)
    if scope == "fiscal":
        return {"initial": "budget.fiscal.initial", "adjusted": "budget.fiscal.adjusted",
                "executed": "budget.fiscal.executed"}.get(kind)
    if scope.startswith("source:"):
        source = scope.split(":", 1)[1]
        return {"initial": f"budget.sources.{source}.initial", "adjusted": f"budget.sources.{source}.adjusted",
                "executed": f"budget.sources.{source}.executed"}.get(kind)
    if scope == "basic":
        return {"adjusted": "expenditure.basic.budget", "executed": "expenditure.basic.executed",
                "none": "expenditure.basic.budget", "total": "expenditure.basic.budget"}.get(kind)
    if scope == "project":
        return {"adjusted": "expenditure.project_total.budget", "executed": "expenditure.project_total.executed",
                "none": "expenditure.project_total.budget", "total": "expenditure.project_total.budget"}.get(kind)
    if scope.startswith("group:"):
        i = scope.split(":", 1)[1]
        return {"adjusted": f"expenditure.projects[{i}].budget", "executed": f"expenditure.projects[{i}].executed",
                "none": f"expenditure.projects[{i}].budget", "initial": f"expenditure.projects[{i}].initial"}.get(kind)
    return None


_CLAUSE_SPLIT = re.compile(r"[,;:]")
# What lists a total's parts by name: the amounts after it are the parts'.
_PARTS_INTRO = re.compile(r"(?:项目支出|基本支出)[^\d,;:]{0,6}?(?:包括|包含|含有|由)")
# Amounts about another subject (三公经费, 政府采购, 结转结余, 资产 …) are not the budget's columns.
# So are the other columns of a 决算 expenditure table (上缴上级支出, 经营支出 …), and a change against another
# year ("较2020年度决算数减少157.86万元": a difference, not this year's 决算数).
_OTHER_SUBJECT = re.compile(
    r"三公|公务接待|公务用车|因公出国|政府采购|会议费|培训费|差旅费|结转|结余|资产|收入|非税|债务|往来|"
    r"上缴上级|经营支出|附属单位|(?:较|比|同比)[^,;]{0,24}?(?:增加|减少|增长|下降|增|减)"
)
_SENTENCE_SPLIT = re.compile(r"[。!?]")
# An amount said to be in addition ("此外,预拨资金53.15万元", "另安排…") is another figure, never the one before restated.
_IN_ADDITION = re.compile(r"此外|另外|另有|另行|另安排|另拨|另下达|另争取")
# One expense item's amount ("公用经费年初45.76万元", "办公楼运行经费预算1.1万元,已执行0.72万元"): a part of the
# budget, not its columns — unless the name is the budget's own ("项目经费", "年度经费", "专项经费").
_ITEM_AMOUNT = re.compile(r"([\u4e00-\u9fff]{2,14}?)(?:经费|购置费|维护费|运行费|服务费)(?=预算|年初|共|为|合计|\d)")
_BUDGET_OWN_NAMES = ("项目", "专项", "财政", "部门", "单位", "本级", "上级", "中央", "省级", "市级", "县级", "预算", "年度",
                     "全年", "总", "本年", "当年", "资金", "整体")


# The economic classes of an expenditure (工资福利支出, 商品和服务支出 …) are parts of a budget, never its total.
_ECONOMIC_CLASS = re.compile(r"工资福利支出|商品和服务支出|对个人和家庭(?:的)?补助|资本性支出|债务利息支出")
# What names a whole budget: before its 其中, the parts (基本支出 a, 项目支出 b) are the budget's; before any other
# amount ("机构运行1100910.5元,其中:基本支出…") they split that amount, not the budget.
_BUDGET_WHOLE = re.compile(r"合计|总计|总额|总支出|总收入|一般公共预算|财政拨款|本年支出|本年收入|全年支出|部门预算|整体支出|预算支出|支出预算")


def _names_an_item(clause: str) -> bool:
    if _ECONOMIC_CLASS.search(clause) is not None:
        return True
    if "费" not in clause:  # every item word ends in 费: the pattern (slow, a lazy run at every character) cannot match
        return False
    return any(not any(w in m.group(1) for w in _BUDGET_OWN_NAMES) for m in _ITEM_AMOUNT.finditer(clause))


def _splits_another_amount(before: list[tuple[str, bool]]) -> bool:
    """The clauses of a sentence before its 其中 (each with whether a budget figure was read from it) end in an
    amount that was not read as the budget's and names no whole budget."""
    last = next(((c, read) for c, read in reversed(before) if P.AMOUNT.search(c)), None)
    if last is None or last[1]:
        return False
    clause = last[0]
    return _BUDGET_WHOLE.search(clause) is None and "基本支出" not in clause and "项目支出" not in clause


def _pieces(text: str, offset: int, splitter: re.Pattern[str]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for m in splitter.finditer(text):
        out.append((offset + pos, text[pos : m.start()]))
        pos = m.end()
    out.append((offset + pos, text[pos:]))
    return [(o, t) for o, t in out if t]


def _split_before(line_before: str) -> bool:
    """A line that ends inside a sentence which has split another amount ("…缴费支出150384元,其中:" / next line
    "基本支出150384元…"): the next line continues that list."""
    if not line_before or line_before.rstrip().endswith(("。", "!", "?")):
        return False
    tail = [(c, _clause_kind(c) is not None) for _, c in _pieces(_SENTENCE_SPLIT.split(line_before)[-1], 0, _CLAUSE_SPLIT)]
    return any("其中" in c and _splits_another_amount(tail[:k]) for k, (c, _) in enumerate(tail))


def _read_budget_paragraph(facts: Facts, para: Paragraph, line_before: str = "") -> None:
    if not _DIGIT.search(para.text):
        return  # prose only: no figure to read
    base = para.scope
    continued = _split_before(line_before)
    for s_off, sentence in _pieces(para.text, para.start, _SENTENCE_SPLIT):
        scope = base
        if not _DIGIT.search(sentence):
            continue
        seen: list[tuple[str, bool]] = []
        # "机构运行1100910.5元,其中:基本支出…": the parts of that amount, to the sentence's end
        split, continued = continued, False
        for c_off, clause in _pieces(sentence, s_off, _CLAUSE_SPLIT):
            # what is in addition ("此外,预拨资金…") is another figure, to the sentence's end
            split = split or ("其中" in clause and _splits_another_amount(seen)) or _IN_ADDITION.match(clause.strip()) is not None
            if split:
                continue
            read_before = sum(map(len, facts.stmts.values()))
            if _OTHER_SUBJECT.search(clause) or (not base.startswith("group:") and _names_an_item(clause)):
                scope = "other_subject"  # until another subject is named in this sentence
            elif not base.startswith("group:"):
                source = _source_of(clause)
                if source is not None and base == "project" and "项目" in clause:
                    # "本年上级资金共计1个项目,预算金额…" under a project heading: a group of projects
                    if not scope.startswith("group:"):
                        facts.groups.append((_group_title(para.title, source), source))
                        scope = base = f"group:{len(facts.groups) - 1}"
                elif source is not None:
                    scope = f"source:{source.value}"
                elif "财政资金" in clause or "财政拨款" in clause:
                    scope = "fiscal"
                elif "基本支出" in clause:
                    scope = "basic"
                elif "项目支出" in clause or "个项目" in clause or "项目总" in clause:
                    scope = "project"
            _read_clause(facts, clause, c_off, scope, sentence)
            seen.append((clause, sum(map(len, facts.stmts.values())) > read_before))
            if _PARTS_INTRO.search(clause):
                scope = "other_subject"  # the parts listed after "项目支出包括…", to the sentence's end


def _group_title(heading: str, source: FundSource) -> str:
    title = re.sub(r"^[#\-•\s]*\(?[\d一二三四五六七八九十]+\)?[、.]?", "", heading).strip(" :")
    if "项目" in title and "使用情况" not in title and "管理" not in title:
        return title
    return f"{FUND_SOURCE_LABELS[source]}项目"


def _read_clause(facts: Facts, clause: str, offset: int, scope: str, sentence: str) -> None:
    if scope == "other_subject" or not _DIGIT.search(clause):
        return
    # Each pattern below needs a literal ("个项目", 元, %, 率, 得): a clause without it is not scanned.
    m = P.COUNT_PROJECTS.search(clause) if "个项目" in clause else None
    path: str | None
    if (m and scope in ("project",)) or (m and scope.startswith("group:")):
        path = "expenditure.project_total.count" if scope == "project" else f"expenditure.projects[{scope[6:]}].count"
        facts.add(path, int(m.group("num")), offset + m.start(), offset + m.end())
    kind = _clause_kind(clause)
    parts_from = _PARTS_INTRO.search(clause)
    for m in P.AMOUNT.finditer(clause) if "元" in clause else ():
        value = number(m.group("num"))
        if value is None:
            continue
        if parts_from is not None and m.start() >= parts_from.end() and scope in ("basic", "project"):
            continue  # "项目支出包括委员活动经费36.3万元": a part of the 项目支出, not its amount
        if m.group("unit") == "亿元" and kind is None and "预算" not in clause:
            continue  # economic figures of the area (亿元) are not the unit's budget
        field_scope = scope
        if "人员经费" in clause:
            path = "expenditure.basic.personnel"
        elif "公用经费" in clause:
            path = "expenditure.basic.public"
        else:
            path = _budget_path(field_scope, kind, facts) if (kind or scope in ("basic", "project") or scope.startswith("group:")) else None
        if path is None:
            continue
        amount = P.to_wan(value, m.group("unit"))
        if path.endswith("adjustment") and ("调减" in clause or "追减" in clause) and amount > 0:
            amount = -amount
        facts.add(path, amount, offset + m.start(), offset + m.end(), m.group("unit"))
    rates = (list(P.PERCENT.finditer(clause)) if "%" in clause else []) or (
        list(P.RATE_BARE.finditer(clause)) if "率" in clause else [])
    for m in rates:
        value = number(m.group("num"))
        if value is None or P.THRESHOLD_AFTER.match(clause, m.end()):
            continue  # "执行率未达到90%的需说明原因": a rule's threshold, not a rate the unit reports
        if "调整率" in clause and scope in ("overall", "adjust", "execution"):
            facts.add("budget.stated.adjustment_rate", value, offset + m.start(), offset + m.end(), "%")
        elif "执行率" in clause:
            path = {
                "overall": "budget.stated.execution_rate", "adjust": "budget.stated.execution_rate",
                "execution": "budget.stated.execution_rate", "basic": "expenditure.basic.stated.execution_rate",
                "fiscal": "budget.fiscal.stated_execution_rate",
            }.get(scope)
            if path:
                facts.add(path, value, offset + m.start(), offset + m.end(), "%")
    if scope in ("overall", "execution") and "执行率" in sentence:
        m = P.EXECUTION_SCORE.search(clause) if "得" in clause else None
        if m and (value := number(m.group("num"))) is not None:
            facts.add("stated.execution_score", value, offset + m.start(), offset + m.end(), "分")


def _read_indicators(facts: Facts) -> None:
    norm = facts.text.norm
    starts = list(P.INDICATOR_START.finditer(norm))
    level1_breaks = [m.start() for m in P.LEVEL1_HEADING.finditer(norm)]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(norm)
        end = min([end, *(b for b in level1_breaks if b > m.start())])
        name = m.group("name").strip()
        facts.blocks.append(IndicatorBlock(i, name, m.start(), end, m.start("name")))
        facts.add(f"indicators[{i}].name", name, m.start("name"), m.end("name"))
        _read_indicator(facts, i, m.start(), end)


def _read_indicator(facts: Facts, i: int, start: int, end: int) -> None:
    block = facts.text.norm[start:end]
    p = f"indicators[{i}]"

    def add(path: str, m: re.Match[str], group: str = "num", unit: str | None = None) -> None:
        value = number(m.group(group))
        if value is not None:
            facts.add(f"{p}.{path}", value, start + m.start(), start + m.end(), unit)

    m = P.TARGET.search(block)
    if m:
        add("target", m, unit=m.group("unit"))
        if m.group("cmp"):
            facts.add(f"{p}.comparator", P.COMPARATORS[m.group("cmp")], start + m.start("cmp"), start + m.end())
        if m.group("unit"):
            facts.add(f"{p}.unit", m.group("unit"), start + m.start(), start + m.end())
    else:
        t = P.TARGET_TEXT.search(block)
        if t:
            facts.add(f"{p}.target_text", t.group("t").strip(), start + t.start(), start + t.end())
    for m in P.DONE_VALUE.finditer(block):
        before = block[max(0, m.start() - 8) : m.start()]
        if "年中" in before:
            add("mid_year", m, unit=m.group("unit"))
        else:
            add("actual", m, unit=m.group("unit"))
    for m in P.MID_YEAR.finditer(block):
        if f"{p}.mid_year" not in facts.stmts:
            add("mid_year", m, unit=m.group("unit"))
    for regex, path, unit in ((P.COMPLETION, "stated.completion_rate", "%"), (P.WEIGHT, "weight", "分"),
                              (P.SCORE, "stated.score", "分")):
        for m in regex.finditer(block):
            add(path, m, unit=unit)
    for m in P.DEVIATION.finditer(block):
        before = block[max(0, m.start() - 14) : m.start()]
        path = "mid_year_note" if "年中" in before else "deviation_reason"
        text = m.group("t").strip(" :")
        if text and f"{p}.{path}" not in facts.stmts:
            facts.add(f"{p}.{path}", text, start + m.start(), start + m.end())
    m = P.IMPROVEMENT.search(block)
    if m and m.group("t").strip(" :"):
        facts.add(f"{p}.improvement", m.group("t").strip(" :"), start + m.start(), start + m.end())
    m = P.EVIDENCE.search(block)
    if m:
        facts.add(f"{p}.evidence", m.group("t"), start + m.start(), start + m.end())


def _read_conclusion(facts: Facts) -> None:
    norm = facts.text.norm
    after = facts.blocks[-1].end if facts.blocks else 0
    for regex, path in ((P.TOTAL_SCORE, "stated.total_score"),):
        m = regex.search(norm, after) or regex.search(norm)
        if m and (value := number(m.group("num") or m.group("labelled"))) is not None:
            facts.add(path, value, m.start(), m.end(), "分")
    m = P.GRADE.search(norm, after) or P.GRADE.search(norm)
    if m:
        facts.add("stated.grade", P.GRADES[m.group("g")], m.start(), m.end())


def is_percent(unit: str | None) -> bool:
    return unit in ("%", "‰")


def primary_actual(facts: Facts, i: int) -> Stmt | None:
    """An indicator's actual value: its first statement in the target's kind of unit."""
    unit = facts.value(f"indicators[{i}].unit")
    for stmt in facts.stmts.get(f"indicators[{i}].actual", []):
        if stmt.unit is None or unit is None or is_percent(stmt.unit) == is_percent(str(unit)):
            return stmt
    return None
