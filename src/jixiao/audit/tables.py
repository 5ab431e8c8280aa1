"""The 自评表's tables read from any text layout: header bands by vocabulary, rows by cell type.

A table reaches the auditor as Word rows joined by " | ", Markdown pipes, one cell per line, a
row flattened into one line, or cells glued together by a PDF or OCR copy (`100%22否`). The
reader does not guess the layout: it finds a header band — consecutive column words of one table
with only separators and annotations such as (A), (B/A) or (万元) between them — and takes the
column order from it. The rows after it are read as a stream of typed tokens (amount, %, score,
comparator + number + unit, text): a row label or an indicator name starts a row, and the values
after it fill the band's columns by type, so dropped empty cells, merged cells written once and
rows broken over lines read the same. Digits glued to digits ("202010100.00%") are cut where the
row's own arithmetic holds, and left unread where no cut or more than one does.

The vocabularies (`vocab.toml`) are data: a template variant is new words, not a code path.
Everything read keeps its raw offsets, so a finding can quote the cell it is about.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from itertools import combinations, pairwise
from typing import Any

from jixiao.audit.grid import Kind, Typed, header_unit, type_cell
from jixiao.audit.normalise import fold


@dataclass(frozen=True, slots=True)
class Vocab:
    budget_columns: dict[str, tuple[str, ...]]
    budget_captions: tuple[str, ...]
    budget_rows: dict[str, tuple[str, ...]]
    indicator_columns: dict[str, tuple[str, ...]]
    level1: dict[str, tuple[str, ...]]
    level2: tuple[str, ...]
    level2_parent: dict[str, str]  # 数量指标 -> output
    totals: dict[str, tuple[str, ...]]


@cache
def vocab_data() -> dict[str, Any]:
    return tomllib.loads(resources.files("jixiao.audit").joinpath("vocab.toml").read_text("utf-8"))


@cache
def vocab() -> Vocab:
    data = vocab_data()
    budget = data["budget"]
    columns = {k: tuple(v) for k, v in budget["columns"].items() if k != "captions"}
    return Vocab(
        budget_columns=columns,
        budget_captions=tuple(budget["columns"].get("captions", ())),
        budget_rows={k: tuple(v) for k, v in budget["rows"].items()},
        indicator_columns={k: tuple(v) for k, v in data["indicators"]["columns"].items()},
        level1={k: tuple(v) for k, v in data["indicators"]["level1"].items()},
        level2=tuple(data["indicators"]["level2"]["words"]),
        level2_parent={w: k for k, ws in data["indicators"]["level2"]["parent"].items() for w in ws},
        totals={k: tuple(v) for k, v in data["totals"].items()},
    )


def _spaced(word: str) -> str:
    """A word whose characters may be separated by spaces ("一级 指标", "产 出 指 标"), or by one line break
    where a narrow cell wrapped ("社会效益\n指标", "一级\n指标" in a table copied one cell per line)."""
    return r"[ ]*(?:\n[ ]*)?".join(re.escape(ch) for ch in word)


def _alternation(words: Sequence[str]) -> str:
    return "|".join(_spaced(w) for w in sorted(set(words), key=len, reverse=True))


# --- header bands --------------------------------------------------------------------------------

# What may stand between two column words of one header band: separators and annotations.
_BAND_GAP = re.compile(r"^[\s|:()\[\]A-Za-z/×*xX+\-=%.0-9万亿元单位:]*$")
_MAX_GAP = 16


@dataclass(frozen=True, slots=True)
class Hit:
    role: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Band:
    table: str  # "budget" or "indicators"
    roles: tuple[str, ...]
    start: int
    end: int
    unit: str | None  # the money unit the band or its caption declares
    columns: tuple[str, ...] = ()  # every column word's role in order, repeats kept ("一级指标 分值 二级指标 分值 …")


@cache
def _column_words(table: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every column word, longest first across roles ("得分系数" before "得分", "年初预算数"
    before "预算数"), and each word's role."""
    v = vocab()
    columns = dict(v.budget_columns) if table == "budget" else dict(v.indicator_columns)
    if table == "budget":
        columns["caption"] = v.budget_captions  # joins a band ("年度预算数(万元) | 年初预算 | …"), names no column
    role_of: dict[str, str] = {}
    for role, words in columns.items():
        for word in words:
            role_of.setdefault(word, role)
    # The engine tries every alternative at every position; a look at the first character skips the rest.
    firsts = "".join(sorted({w[0] for w in role_of}))
    return re.compile(f"(?=[{re.escape(firsts)}])(?:{_alternation(list(role_of))})"), role_of


def find_bands(folded: str) -> list[Band]:
    """Every header band of the budget block and of the indicator table, in document order."""
    return list(_bands(folded))


_WHITESPACE = re.compile(r"\s")


@lru_cache(maxsize=2)  # a document's bands are wanted by segments (is it several tables?) and by read_tables
def _bands(folded: str) -> tuple[Band, ...]:
    bands: list[Band] = []
    for table in ("budget", "indicators"):
        pattern, role_of = _column_words(table)
        # The vocabulary's words hold no spaces: a word matched as written is its own key.
        hits = [Hit(role_of.get(word) or role_of[_WHITESPACE.sub("", word)], m.start(), m.end())
                for m in pattern.finditer(folded) for word in (m.group(),)]
        run: list[Hit] = []
        for hit in [*hits, None]:
            if hit is not None and run and hit.start - run[-1].end <= _MAX_GAP and _joins(folded[run[-1].end : hit.start]):
                run.append(hit)
                continue
            if hit is not None and run and (role := _scrambled(folded[run[-1].end : hit.start], role_of)):
                run += [Hit(role, run[-1].end, hit.start), hit]  # an OCR'd header cell with its characters out of order
                continue
            band = _band(table, run, folded)
            if band is not None:
                bands.append(band)
            run = [hit] if hit is not None else []
    return tuple(sorted(bands, key=lambda b: b.start))


def _scrambled(gap: str, role_of: dict[str, str]) -> str | None:
    """A header cell OCR read with its characters out of order ("年成值全完值" for 全年完成值, its wrapped lines read
    across): the one column word whose characters the gap holds all of, with at most one to spare."""
    if not 3 <= len(gap) <= 8 or not re.fullmatch(r"[\u4e00-\u9fff]+", gap):
        return None
    have = Counter(gap)
    fitting = [w for w in role_of if len(w) >= 3 and len(gap) - len(w) <= 1 and not Counter(w) - have]
    roles = {role_of[w] for w in fitting if len(w) == max(len(f) for f in fitting)}
    return roles.pop() if len(roles) == 1 and "caption" not in roles else None


_NAME_ROLES = ("seq", "level1", "level2", "name")


def _two_row_header(run: list[Hit]) -> list[str] | None:
    """A header of two rows, whose first row's merged cells the second row divides: 绩效指标 over
    一级/二级/三级指标, 年度指标值 over 指标性质/指标值/度量单位 (云南's 自评表):

        绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因
        一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位

    The second row starts at the first name column after a first row that had none; its name
    columns come first, and its other columns replace the one column of the first row they repeat
    (the merged cell above them). Where the second row repeats every column of the first (a Word or
    PDF table writes a cell merged down both rows in each), it is the header by itself. Anything else
    — no repeated column, or more than one without the whole first row — is not this shape."""
    start = next((k for k, hit in enumerate(run) if k and hit.role in _NAME_ROLES), None)
    if start is None or any(hit.role in _NAME_ROLES for hit in run[:start]):
        return None
    first = list(dict.fromkeys(h.role for h in run[:start] if h.role != "caption"))
    second = list(dict.fromkeys(h.role for h in run[start:] if h.role != "caption"))
    if set(first) <= set(second):
        return second  # a Word or PDF table repeats a cell merged down both rows: the second row is whole
    divided = [r for r in second if r not in _NAME_ROLES]
    repeated = [r for r in divided if r in first]
    if len(repeated) != 1 or len(divided) < 2:
        return None
    at = first.index(repeated[0])
    return [*(r for r in second if r in _NAME_ROLES), *first[:at], *divided, *first[at + 1 :]]


def _joins(gap: str) -> bool:
    """Two column words of one band: separators and annotations between them, but no formula
    ("预算执行率=预算执行数/调整后预算数" is an instruction, not a header)."""
    bare = re.sub(r"[(\[][^()\[\]]{0,8}[)\]]", "", gap)  # annotations: (A), (B/A×100%), (万元), (分), (%)
    return bool(_BAND_GAP.match(bare)) and "=" not in bare


def _band(table: str, run: list[Hit], folded: str) -> Band | None:
    roles: list[str] = []
    for hit in run:
        if hit.role not in roles and hit.role != "caption":
            roles.append(hit.role)
    if table == "indicators":
        roles = _two_row_header(run) or roles
    money = {"initial", "adjusted", "executed"}
    if table == "budget":
        if "executed" not in roles or not ({"adjusted", "initial"} & set(roles)) or len(roles) < 3:
            return None
    elif "name" not in roles or not (
        len({"weight", "target", "actual", "score"} & set(roles)) >= 2
        or ("target" in roles and ({"level1", "level2"} & set(roles)))  # a declaration: targets only
        or ("score" in roles and ({"level1", "level2"} & set(roles)))  # a 评分表: 一级/二级/三级指标 | 得分
    ):
        return None
    start, end = run[0].start, run[-1].end
    # Annotations after the last word belong to it: "得分" then "(B/A)" is part of the band.
    tail = re.match(r"[ ]*[(\[][^()\[\]\n|]{0,12}[)\]]", folded[end:])
    if tail:
        end += tail.end()
    unit = header_unit(folded[max(0, start - 40) : end]) if table == "budget" or money & set(roles) else None
    return Band(table, tuple(roles), start, end, unit, tuple(h.role for h in run if h.role != "caption"))


# --- tokens --------------------------------------------------------------------------------------

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_VALUE_UNIT = (
    r"(?:%|‰|百分比|万元|亿元|千元|元/人|元|万人次|万人|万户|万亩|万平方米|人次|平方公里|平方米|立方米|公里|千米|厘米|米|"
    r"个月|小时|万|亿|个|户|人|名|家|项|所|条|座|场|期|件|套|台|辆|亩|吨|册|篇|份|天|日|月|年|批|处|栋|间|张|块|"
    r"宗|村|镇|类|种|只|头|株|棵|本|次|分)"
)
_TOKEN = re.compile(
    # A unit apart from its number by a space is no unit where a word goes on ("3 年度工作计划": 3, then a name).
    rf"(?P<value>(?:≥|>=|≤|<=|>|<|=)?[ ]*{_NUM}(?:{_VALUE_UNIT}|[ ]+{_VALUE_UNIT}(?![\u4e00-\u9fff])|[ ]*)"
    r"(?:/[\u4e00-\u9fff]{1,3})?)"
    r"|(?P<dash>(?<![\u4e00-\u9fff])[-—/]{1,2}(?![\u4e00-\u9fff\d]))"
    r"|(?P<note>[(\[][^()\[\]|\n]{0,14}[)\]])"
    r"|(?P<text>[^\d≥≤<>=|\n ()\[\]]+(?:[ ]?[^\d≥≤<>=|\n ()\[\]]+)*)"
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # value / dash / note / text / word (a vocabulary word)
    text: str
    start: int
    end: int
    row: int  # the pipe row (line number) a cell belongs to, -1 outside pipe rows
    role: str = ""  # for words: the vocabulary role ("total", "level1:output", "grade", …)
    typed: Typed | None = None
    cell: bool = False  # a whole cell of a one-cell-per-line table (its row is not known)


@cache
def _body_words() -> re.Pattern[str]:
    v = vocab()
    groups: list[tuple[str, tuple[str, ...]]] = [(f"row_{k}", w) for k, w in v.budget_rows.items()]
    groups += [(f"l1_{k}", w) for k, w in v.level1.items() if k]
    groups += [("l2", v.level2), ("total", v.totals["total"]), ("grade", v.totals["grade"])]
    words = sorted(((w, g) for g, ws in groups for w in ws), key=lambda x: -len(x[0]))
    seen: dict[str, str] = {}
    for word, group in words:
        seen.setdefault(word, group)
    by_group: dict[str, list[str]] = {}
    for word, group in seen.items():
        by_group.setdefault(group, []).append(word)
    parts = sorted(
        (f"(?P<{g}>{_alternation(ws)})" for g, ws in by_group.items()),
        key=lambda p: -max(len(w) for w in by_group[re.match(r"\(\?P<(\w+)>", p).group(1)]),  # type: ignore[union-attr]
    )
    firsts = "".join(sorted({w[0] for w in seen}))
    return re.compile(f"(?=[{re.escape(firsts)}])(?:" + "|".join(parts) + ")")


# Short words that name a category only as a whole cell, never inside a longer name.
_WHOLE_ONLY = frozenset({"产出", "效益", "满意度", "合计", "总计", "等级"})


# A line holding one cell and its closing pipe ("238.93 |"), or an empty cell ("|"): a table a web page
# rendered one cell per line, its rows lost.
_CELL_LINE = re.compile(r"[^|\n]*\|[ \t]*")


# A row's own numbering inside its name ("指标1:新建堤防、护岸长度"), and the numbered points of a standard
# or explanation that a flattened copy runs into the row ("… 1、基础数据信息是否真实(1分); 2、…", "10 1.预算
# 执行率=…"): not figures of the row.
_NUMBERING = re.compile(r"(?<=指标)\d{1,2}(?=[:：])|(?:^|(?<=[\s;；。，,:：]))\d{1,2}(?=[、.．][\u4e00-\u9fff])", re.MULTILINE)


def tokens(folded: str, start: int, end: int, line_starts: Sequence[int] | None = None) -> list[Token]:
    """The typed tokens of folded[start:end]; pipe cells carry their row."""
    if _NUMBERING.search(folded, start, end):
        # read the numbering as letters (same length, so offsets hold), then give the text tokens their own characters
        masked = folded[:start] + _NUMBERING.sub(lambda m: "〇" * len(m.group()), folded[start:end]) + folded[end:]
        return [replace(t, text=folded[t.start : t.end]) if t.kind == "text" else t
                for t in tokens(masked, start, end, line_starts)]
    out: list[Token] = []
    lines = list(_lines(folded, start, end))
    wrapped = _wrapped_words(folded, lines)
    one_per_line = _one_cell_per_line(folded, lines)
    separated = not one_per_line and _cells_between_bars(folded, lines)
    after_bar = False
    for lo, hi in lines:
        if lo in wrapped:
            if (word := wrapped[lo]) is not None:
                out.append(word)
            continue
        if separated:
            # A cell per line with bare "|" lines between cells; two bars in a row enclose an empty cell.
            body = folded[lo:hi].strip()
            if body == "|":
                if after_bar:
                    out.append(Token("dash", "", lo, lo, -1, cell=True))
                after_bar = True
                continue
            if body and "|" not in body:
                out.extend(_cell_tokens(folded, lo, hi, -1, whole=True))
                after_bar = False
                continue
        if one_per_line and _CELL_LINE.fullmatch(folded, lo, hi) and (bar := folded.rfind("|", lo, hi)) >= 0:
            if not folded[lo:bar].strip():
                out.append(Token("dash", "", lo, lo, -1, cell=True))  # an empty cell
            else:
                out.extend(_cell_tokens(folded, lo, bar, -1, whole=True))
            continue
        piped = "|" in folded[lo:hi]
        for cell_lo, cell_hi in _cells(folded, lo, hi) if piped else [(lo, hi)]:
            out.extend(_cell_tokens(folded, cell_lo, cell_hi, lo if piped else -1))
    return out


def _wrapped_words(folded: str, lines: list[tuple[int, int]]) -> dict[int, Token | None]:
    """A category word a narrow cell wrapped over two lines ("经济效益" then "指标"): one word token for
    both lines, keyed by the first line's start; the second line's start maps to None (read already)."""
    out: dict[int, Token | None] = {}
    words = _body_words()
    skip = -1
    for (lo, hi), (lo2, hi2) in pairwise(lines):
        if lo == skip:
            out[lo] = None
            continue
        head, tail = folded[lo:hi].strip(), folded[lo2:hi2].strip()
        if not head or not tail or len(head) + len(tail) > 12 or "|" in head + tail:
            continue
        m = words.fullmatch(head + tail)
        if m is None or words.fullmatch(head) or words.fullmatch(tail):
            continue
        begin = lo + folded[lo:hi].index(head)
        out[lo] = Token("word", head + tail, begin, lo2 + folded[lo2:hi2].index(tail) + len(tail), -1,
                        m.lastgroup or "", cell=True)
        skip = lo2
    return out


def _cells_between_bars(folded: str, lines: list[tuple[int, int]]) -> bool:
    """Cells on their own lines with a bare "|" line between every two (a web table copied as text)."""
    filled = [folded[lo:hi].strip() for lo, hi in lines[:400] if folded[lo:hi].strip()]
    bars = sum(1 for line in filled if line == "|")
    return bars >= 6 and bars >= 0.35 * len(filled) and all("|" not in line for line in filled if line != "|")


def _one_cell_per_line(folded: str, lines: list[tuple[int, int]]) -> bool:
    filled = [(lo, hi) for lo, hi in lines[:400] if folded[lo:hi].strip()]
    cells = sum(1 for lo, hi in filled if _CELL_LINE.fullmatch(folded, lo, hi))
    return cells >= 6 and cells >= 0.6 * len(filled)


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        hi = end if nl < 0 else nl
        yield pos, hi
        pos = hi + 1


def _cells(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    pos = lo
    for m in re.finditer(r"\|", text[lo:hi]):
        yield pos, lo + m.start()
        pos = lo + m.end()
    yield pos, hi


# A whole table cell holding one value: its unit is whatever follows the number ("≥3000批次").
_WHOLE_VALUE = re.compile(
    rf"^(?P<cmp>≥|>=|≤|<=|>|<|=)?[ ]*(?P<num>{_NUM})[ ]*(?P<unit>[%‰]|[\u4e00-\u9fff/A-Za-z²³]{{1,6}})?$"
)
_CMP_SIGNS = {">=": "≥", "<=": "≤"}


def _whole_cell(text: str, lo: int, hi: int, row: int, whole: bool = False) -> Token | None:
    chunk = text[lo:hi]
    body = chunk.strip()
    m = _WHOLE_VALUE.match(body)
    if not m or (row < 0 and not whole):
        return None
    typed = type_cell(body)
    if typed.kind is Kind.TEXT:
        unit = m.group("unit")
        number = Decimal(m.group("num").replace(",", ""))
        cmp = m.group("cmp")
        kind = Kind.COMPARATOR if cmp else Kind.COUNT
        typed = Typed(kind, number, unit, _CMP_SIGNS.get(cmp or "", cmp))
    start = lo + chunk.index(body)
    return Token("value", body, start, start + len(body), row, typed=typed, cell=whole)


_CMP_CELL = re.compile(r"^(?:≥|>=|≤|<=|>|<|=|＞|＜|大于等于|小于等于|不低于|不高于|不超过|不少于|大于|小于|等于)$")


_EMPTY_MARKS = frozenset({"/", "／", "-", "--", "—", "——", "-/-", "无数据"})


def _cell_tokens(text: str, lo: int, hi: int, row: int, whole: bool = False) -> Iterator[Token]:
    body = text[lo:hi].strip()
    if _CMP_CELL.match(body):
        start = lo + text[lo:hi].index(body)
        yield Token("cmp", body, start, start + len(body), row, cell=whole)  # a comparator column ("≤ | 30 | 万元")
        return
    if (row >= 0 or whole) and body in _EMPTY_MARKS:
        start = lo + text[lo:hi].index(body)
        yield Token("dash", body, start, start + len(body), row, cell=whole)  # a cell marked not applicable
        return
    value = _whole_cell(text, lo, hi, row, whole)
    if value is not None:
        yield value
        return
    words = _body_words()
    if (row >= 0 or whole) and (not words.search(text, lo, hi) or (len(body) > 24 and re.search(r"[。，,;；]", body))):
        # a table cell of words, or a sentence (a 说明 cell naming 其他资金 in passing): one token
        for tok in _text_tokens(text, lo, hi, row):
            yield replace(tok, cell=whole)
        return
    for m in _TOKEN.finditer(text, lo, hi):
        kind = m.lastgroup or "text"
        if kind != "text":
            yield _token(kind, m.group(), m.start(), m.end(), row)
            continue
        pos = m.start()
        for w in words.finditer(text, m.start(), m.end()):
            word = re.sub(r"\s", "", w.group())
            run = text[m.start() : m.end()].strip()
            if word in _WHOLE_ONLY and re.sub(r"\s", "", run) != word:
                continue
            if w.start() > pos:
                yield from _text_tokens(text, pos, w.start(), row)
            yield Token("word", word, w.start(), w.end(), row, w.lastgroup or "")
            pos = w.end()
        if pos < m.end():
            yield from _text_tokens(text, pos, m.end(), row)


def _text_tokens(text: str, lo: int, hi: int, row: int) -> Iterator[Token]:
    chunk = text[lo:hi]
    stripped = chunk.strip(" :,;、")
    if stripped:
        offset = lo + chunk.index(stripped)
        yield Token("text", stripped, offset, offset + len(stripped), row)


def _token(kind: str, text: str, start: int, end: int, row: int) -> Token:
    stripped = text.strip()
    start += len(text) - len(text.lstrip())
    text, end = stripped, start + len(stripped)
    if kind == "value":
        return Token(kind, text, start, end, row, typed=type_cell(text.replace(" ", "")))
    return Token(kind, text, start, end, row)


# --- what the tables state -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure a table states: its value, where it is written, its unit."""

    value: Decimal
    start: int
    end: int
    unit: str | None = None


@dataclass
class BudgetRow:
    label: str  # total / fiscal / higher_level / own_level / carried_over / other
    start: int
    end: int
    values: dict[str, Figure] = field(default_factory=dict)


@dataclass
class BudgetBlock:
    band: Band
    rows: list[BudgetRow] = field(default_factory=list)
    closed: bool = False  # the block ended before the text did (not cut off mid-rows)
    end: int = 0  # raw offset after the last cell read


@dataclass
class IndicatorRow:
    name: str
    start: int
    end: int
    level1: tuple[str, int, int] | None = None  # (category, start, end)
    level2: tuple[str, int, int] | None = None
    cells: dict[str, Token] = field(default_factory=dict)  # target / actual / mid_year / reason tokens
    weight: Figure | None = None
    score: Figure | None = None


@dataclass
class Group:
    """A first-level category as its header cell states it: 产出指标(50分)."""

    category: str
    start: int
    end: int
    weight: Figure | None
    level: int = 1  # a scorecard's second-level groups ("基础信息(3分)") are level 2


@dataclass
class IndicatorTable:
    band: Band
    rows: list[IndicatorRow] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    total_weight: Figure | None = None
    total_score: Figure | None = None
    total_start: int = -1
    grade: tuple[str, int, int] | None = None
    elided: bool = False  # "……" rows: the table as published leaves rows out
    end: int = 0  # raw offset after the last cell read
    scorecard: bool = False  # a 评分表 (audit.scorecard): weights and scores, no targets
    closed: bool = False  # a 评分表 read to its end (its total row, prose or the next table after it)
    # cells glued by a copy (audit.glued) that could be cut into weights and scores but not into targets and actuals:
    # the rows' values are unread, not missing, and the core's target checks do not run on them
    values_unread: bool = False


@dataclass
class Tables:
    budgets: list[BudgetBlock] = field(default_factory=list)
    indicators: list[IndicatorTable] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(b.rows for b in self.budgets) and not any(t.rows for t in self.indicators)

    def regions(self) -> list[tuple[int, int]]:
        """The raw spans the tables cover: their headers and cells are not prose."""
        return [(b.band.start, max(b.end, b.band.end)) for b in self.budgets] + [
            (t.band.start, max(t.end, t.band.end)) for t in self.indicators
        ]


def read_tables(raw: str) -> Tables:
    """Every budget block and indicator table a document's text holds, in any layout."""
    from jixiao.audit.scorecard import (  # it builds on this module's rows
        is_scorecard,
        read_scorecard,
        read_weighted_levels,
        readable,
        weights_by_level,
    )

    folded = fold(raw)
    bands = find_bands(folded)
    out = Tables()
    for i, band in enumerate(bands):
        limit = bands[i + 1].start if i + 1 < len(bands) else len(folded)
        scored = is_scorecard(band)
        levelled = scored and weights_by_level(band, folded[band.start : band.end])
        if scored and not levelled and not readable(band, folded[band.start : band.end]):
            continue
        toks = tokens(folded, band.end, min(limit, band.end + (60000 if scored else 12000)))
        if levelled:
            table = read_weighted_levels(band, toks, folded)
            table.closed = table.closed or i + 1 < len(bands)
            if table.rows:
                out.indicators.append(table)
        elif band.table == "budget":
            block = _read_budget(band, toks, limit < len(folded))
            if block.rows:
                out.budgets.append(block)
        else:
            table = read_scorecard(band, toks, folded) if scored else _read_indicator_rows(band, toks, folded)
            table.closed = table.closed or (scored and i + 1 < len(bands))
            if table.rows or table.total_score is not None:
                out.indicators.append(table)
    if not out.budgets and (labelled := _key_value_budget(folded)) is not None:
        out.budgets.append(labelled)
    return out


_ANNOTATION = re.compile(r"\s*[(\[][^()\[\]]{0,8}[)\]]\s*$")


def _key_value_budget(folded: str) -> BudgetBlock | None:
    """A form that writes its money as labelled cells in a row, each column word followed by its value
    ("全年预算数(万元) | 100.00 | 截至监控日执行数 | 30.00 | 执行进度 | 30%" — a 监控表's or 申报表's head, as
    jixiao's own forms write it): the first such row with a money figure and at least one other is the
    budget's total row. Read only where no header band of the budget was found."""
    _, role_of = _column_words("budget")
    pos = 0
    for line in folded.split("\n"):
        lo, pos = pos, pos + len(line) + 1
        if line.count("|") < 3:
            continue
        cells = list(_cells(folded, lo, lo + len(line)))
        roles: list[str] = []
        values: list[Token] = []
        unit: str | None = None
        for (a, b), (c, d) in pairwise(cells):
            label = folded[a:b].strip()
            word = _ANNOTATION.sub("", label)
            role = role_of.get(word)
            value = _whole_cell(folded, c, d, lo)
            if role is None or role == "caption" or role in roles or value is None:
                continue
            roles.append(role)
            values.append(value)
            unit = unit or header_unit(label)
        if len(roles) >= 2 and set(roles) & set(MONEY_ROLES):
            band = Band("budget", tuple(roles), lo, lo + len(line), unit or "万元", tuple(roles))
            row = BudgetRow("total", lo, lo + len(line), _positional(band, roles, values))
            if row.values:
                return BudgetBlock(band, [row], closed=True, end=lo + len(line))
    return None


# --- the budget block ----------------------------------------------------------------------------

MONEY_ROLES = ("initial", "adjusted", "executed")


def _read_budget(band: Band, toks: list[Token], more_follows: bool) -> BudgetBlock:
    block = BudgetBlock(band)
    i = 0
    last_line = -1  # the pipe row of the last budget row read
    while i < len(toks):
        tok = toks[i]
        if tok.kind in ("note", "dash") or (tok.kind == "text" and tok.text in ("其中", "其中:")):
            i += 1
            continue
        if tok.row >= 0 and tok.row == last_line:
            i += 1  # a cell beyond the money and score columns (原因, 说明) of the same row
            continue
        if tok.kind == "word" and tok.role.startswith("row_"):
            j = i + 1
            values: list[Token] = []
            while j < len(toks) and (toks[j].kind in ("value", "dash") or (toks[j].kind == "note" and not values)):
                if toks[j].kind != "note":
                    values.append(toks[j])
                j += 1
            row = BudgetRow(tok.role[4:], tok.start, tok.end)
            total = block.rows[0] if block.rows and block.rows[0].label == "total" else None
            broken = j < len(toks) and values and toks[j].start == values[-1].end and toks[j].text[:1] == "."
            # "1.001.000.00%": decimals glued to decimals break the run into pieces no cut can be trusted on
            row.values = {} if broken else _assign_budget(band, values, total)
            if "reason" in band.roles and j < len(toks) and toks[j].kind == "text" and toks[j].row < 0:
                j += 1  # the row's 原因 cell (a one-cell-per-line table has no rows to tell it by)
            if row.values or values:
                block.rows.append(row)
                block.end = max(block.end, toks[j - 1].end)
                last_line = tok.row
            i = j
            continue
        if block.rows:
            block.closed = True
            break
        if tok.kind == "value" or i > 8:
            break
        i += 1
    else:
        block.closed = more_follows
    return block


def _assign_budget(band: Band, values: list[Token], total: BudgetRow | None) -> dict[str, Figure]:
    roles = [r for r in band.roles if r != "reason"]
    if not values:
        return {}
    if len(values) == len(roles):
        return _positional(band, roles, values)
    money = [r for r in roles if r in MONEY_ROLES]
    if total is not None and len(values) == len(money) < len(roles) and all(v.kind == "value" for v in values):
        # A 其中 row writes only its money; its score columns are merged into the total's. Each cell stands
        # alone, so no arithmetic decides the reading — and a total that contradicts it is the slip to report.
        return _positional(band, money, values)
    if len(values) < len(roles):
        glued = _unglue_budget(band, roles, values, total)
        if glued is not None:
            return glued
    return _by_type(band, roles, values)


def _figure(tok: Token, unit: str | None) -> Figure | None:
    typed = tok.typed
    if typed is None or typed.number is None:
        return None
    if typed.kind is Kind.PERCENT:
        return Figure(typed.number, tok.start, tok.end, "%")
    return Figure(typed.number, tok.start, tok.end, typed.unit if typed.kind is Kind.AMOUNT else unit)


def _money(figure: Figure | None, band: Band) -> Figure | None:
    """An amount in 万元, converted from the unit its cell or its band states; None kept as unstated."""
    if figure is None:
        return None
    unit = figure.unit if figure.unit in ("元", "万元", "亿元", "千元") else band.unit
    value = figure.value
    if unit == "元":
        value = value / Decimal(10000)
    elif unit == "千元":
        value = value / Decimal(10)
    elif unit == "亿元":
        value = value * Decimal(10000)
    return Figure(value, figure.start, figure.end, "万元" if unit else None)


def _positional(band: Band, roles: list[str], values: list[Token]) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for role, tok in zip(roles, values, strict=False):
        if tok.kind == "dash":
            continue
        fig = _figure(tok, band.unit)
        if fig is None:
            continue
        if role == "rate" and fig.unit != "%" and fig.value > 1:
            fig = Figure(fig.value, fig.start, fig.end, "%")
        if role in MONEY_ROLES:
            if fig.unit == "%":
                return {}
            fig = _money(fig, band)
            assert fig is not None
        elif role != "rate" and fig.unit == "%":
            return {}  # a % where a score stands: the columns are not what the header says
        out[role] = fig
    return out


def _by_type(band: Band, roles: list[str], values: list[Token]) -> dict[str, Figure]:
    """Fewer or more values than columns: a % is the rate, amounts fill the money columns in order."""
    percents = [i for i, t in enumerate(values) if t.typed is not None and t.typed.kind is Kind.PERCENT]
    if len(percents) != 1 or "rate" not in roles:
        return {}
    p = percents[0]
    before, after = values[:p], values[p + 1 :]
    rate_at = roles.index("rate")
    before_roles = [r for r in roles[:rate_at] if r in MONEY_ROLES or r == "weight"]
    money_roles = [r for r in before_roles if r in MONEY_ROLES]
    out: dict[str, Figure] = {}
    if len(before) == len(before_roles):
        chosen = before_roles
    elif len(before) == len(money_roles):
        chosen = money_roles
    else:
        return {}
    out.update(_positional(band, chosen, before))
    out.update(_positional(band, ["rate"], [values[p]]))
    after_roles = [r for r in roles[rate_at + 1 :] if r in ("score", "weight")]
    if len(after) == len(after_roles):
        out.update(_positional(band, after_roles, after))
    return out


def _digits(tok: Token) -> str | None:
    body = tok.text.replace(" ", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(%?)", body)
    return m.group(1) if m else None


def _cuts(run: str, k: int) -> Iterator[list[Decimal]]:
    """Every way to read a digit run as k numbers (no leading zeros, at most one decimal point each)."""
    if k == 1:
        if _plain_number(run):
            yield [Decimal(run)]
        return
    for at in combinations(range(1, len(run)), k - 1):
        bounds = (0, *at, len(run))
        parts = [run[a:b] for a, b in pairwise(bounds)]
        if all(_plain_number(p) for p in parts):
            yield [Decimal(p) for p in parts]


def _plain_number(text: str) -> bool:
    return bool(re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d+)?", text)) and not text.endswith(".")


def _unglue_budget(band: Band, roles: list[str], values: list[Token], total: BudgetRow | None) -> dict[str, Figure] | None:
    """Cells a copy glued together ("202010100.00%" = 20, 20, 10, 100.00%): the cut the row's arithmetic allows."""
    if len(values) > 3 or any(v.kind != "value" for v in values):
        return None
    runs = [_digits(v) for v in values]
    if any(r is None for r in runs):
        return None
    head = values[0]
    run = runs[0]
    assert run is not None
    is_rate = head.text.rstrip().endswith("%")
    money = [r for r in roles if r in MONEY_ROLES]
    solutions: list[dict[str, Decimal]] = []
    # The whole row glued, or (a 其中 row) only its money columns written.
    for wanted in (roles, money) if money != roles else (roles,):
        # The tokens after the glued one are single values; the glued one takes the remaining columns.
        rest = len(wanted) - (len(values) - 1)
        if rest < 1 or len(run) > 16:
            continue
        for parts in _cuts(run, rest):
            assigned = dict(zip(wanted, [*parts, *(Decimal(r) for r in runs[1:] if r)], strict=False))
            if _budget_holds(assigned, is_rate, total, _decimals(run)):
                solutions.append(assigned)
        if solutions:
            break
    if len(solutions) != 1:
        return None
    out: dict[str, Figure] = {}
    for role, value in solutions[0].items():
        fig = Figure(value, head.start, head.end, "%" if role == "rate" else band.unit)
        out[role] = _money(fig, band) if role in MONEY_ROLES else fig  # type: ignore[assignment]
    return out


def _decimals(run: str) -> int:
    return len(run) - run.rindex(".") - 1 if "." in run else 0


def _budget_holds(a: dict[str, Decimal], is_rate: bool, total: BudgetRow | None, decimals: int = 0) -> bool:
    executed, adjusted = a.get("executed"), a.get("adjusted") or a.get("initial")
    for role in ("weight", "score"):
        if role in a and not Decimal(0) <= a[role] <= 100:
            return False
    if "weight" in a and not Decimal(0) < a["weight"] <= 30:
        return False  # the budget-execution weight of any template is 5-20 points
    if "weight" in a and "score" in a and a["score"] > a["weight"]:
        return False
    if a.get("rate") == 0 and a.get("score", 0) > 0:
        return False
    if "rate" in a:
        if not is_rate or executed is None or not adjusted:
            return False
        if abs(executed / adjusted * 100 - a["rate"]) > Decimal(5) / 10 ** (decimals + 1) + Decimal("0.0001"):
            return False
    if total is not None:
        for role in MONEY_ROLES:
            whole = total.values.get(role)
            if role in a and whole is not None and a[role] > whole.value:
                return False
    return adjusted is None or executed is None or executed <= adjusted * 2


# --- the indicator table -------------------------------------------------------------------------

VALUE_ROLES = ("target", "adjusted_target", "actual", "mid_year")
_LIGHT = re.compile(r"[红黄绿橙]灯|[红黄绿]色预警")
_REASON = re.compile(r"原因|由于|因|未|偏差|措施|无偏差|^无$|^/$")
_REASON_WORDS = re.compile(r"原因|偏差|措施")
_ELIDED = re.compile(r"^[….。·]{2,}$")
_GROUP_WEIGHT = re.compile(r"[(\[](\d+(?:\.\d+)?)分[)\]]")
# A template's scoring rule written as a row ("定量指标计算:完成值达到指标值,记满分;…", "注:…").
_INSTRUCTION_ROW = re.compile(r"^(?:注|说明|备注)\d*[:：]|(?:计算|计分|评分)(?:方法)?[:：]|记满分|按.{0,20}记分")


def _read_indicator_rows(band: Band, toks: list[Token], folded: str = "") -> IndicatorTable:
    from jixiao.audit import glued  # it builds on this module's tokens

    table = IndicatorTable(band)
    roles = [r for r in band.roles if r not in ("level1", "level2", "name")]
    run_together = glued.glued_header(folded[band.start : band.end], band.roles) if folded else False
    level1: tuple[str, int, int] | None = None
    level2: tuple[str, int, int] | None = None
    inferred = False  # level1 taken from the second level's word, not written
    i = 0
    misses = 0
    while i < len(toks):
        tok = toks[i]
        if table.rows or table.groups:
            table.end = max(table.end, toks[i - 1].end if i else tok.start)
        if tok.kind == "word" and tok.role.startswith("l1_") and i and toks[i - 1].kind == "word" and toks[i - 1].role == "l2":
            # 满意度指标 | 服务对象满意度指标 | 满意度 | ≥ | 95: after its second level, a first-level word is the name
            tok = toks[i] = replace(tok, kind="text", role="")
        if tok.kind == "word" and tok.role.startswith("l1_"):
            weighted = i + 1 < len(toks) and toks[i + 1].kind == "note" and _GROUP_WEIGHT.search(toks[i + 1].text)
            if tok.role == "l1_cost" and level1 is not None and level1[0] == "output" and not weighted:
                level2 = (tok.text, tok.start, tok.end)  # 成本指标 under 产出: the older template's second level
                i += 1
                continue
            level1, level2, inferred = (tok.role[3:], tok.start, tok.end), None, False
            weight = None
            if i + 1 < len(toks) and toks[i + 1].kind == "note":
                m = _GROUP_WEIGHT.search(toks[i + 1].text)
                if m:
                    weight = Figure(Decimal(m.group(1)), tok.start, toks[i + 1].end, "分")
                    i += 1
            table.groups.append(Group(tok.role[3:], tok.start, toks[i].end, weight))
            i += 1
            continue
        if tok.kind == "word" and tok.role == "l2":
            level2 = (tok.text, tok.start, tok.end)
            parent = vocab().level2_parent.get(tok.text)
            if (level1 is None or inferred) and parent is not None:
                level1, inferred = (parent, tok.start, tok.end), True  # its first-level cell lost in the copy
            i += 1
            continue
        if tok.kind == "word" and (tok.role == "total" or (tok.role == "row_total" and tok.text in ("合计", "总计"))):
            i = read_total(table, toks, i + 1, roles)
            if table.total_score is not None or table.total_weight is not None:
                read_grade(table, toks, i)
                table.end = max(table.end, toks[min(i, len(toks)) - 1].end, table.grade[2] if table.grade else 0)
                break
            continue
        if tok.kind == "word" and tok.role == "grade":
            read_grade(table, toks, i)
            table.end = max(table.end, table.grade[2] if table.grade else tok.end)
            break
        if tok.kind == "text" and _ELIDED.match(tok.text):
            table.elided = True
            i += 1
            continue
        if tok.kind == "text" and _INSTRUCTION_ROW.search(tok.text):
            # the template's scoring instructions, written between the rows: no indicator, whatever figures follow
            line_end = folded.find("\n", tok.start)
            i += 1
            while i < len(toks) and line_end >= 0 and toks[i].start < line_end:
                i += 1
            continue
        if tok.kind == "text" and len(tok.text) >= 2 and not tok.text.startswith("其中"):
            name, after = _name(toks, i)
            if run_together:
                # cells a copy ran together: cut by the columns' types, read only where every cut agrees
                name, peeled = glued.peel_name(name, roles)
                atoms, j, rest = glued.collect(toks, after, roles)
                if rest is not None:
                    toks = [*toks[:j], rest, *toks[j:]]
                row = glued.cut_row(name, [*peeled, *atoms], roles) if len(name.text) >= 2 else None
                if row is not None and not ({"target", "actual"} & set(row.cells)):
                    table.values_unread = True
                elif row is None and j >= len(toks) and table.rows:
                    table.elided = True  # the copy ends inside a row: the table is cut off
            else:
                toks = _split_flattened_cells(toks, i, roles)
                name, after = _name(toks, i)
                row, j = _read_row(name, toks, after, roles)
            if row is not None:
                row.level1, row.level2 = level1, level2
                table.rows.append(row)
                misses = 0
                i = j
                continue
            misses += 1
            if len(tok.text) > 80 or (misses > 6 and table.rows):
                break  # prose: the table has ended
        i += 1
    return table


def _split_flattened_cells(toks: list[Token], i: int, roles: list[str]) -> list[Token]:
    """A flattened table's words before a row's figures, one space between cells ("项目总成本 严格执行 达成预期指标
    8 8"): cut into the name and its text cells when the parts are exactly as many as the text columns left
    — the unit and comparator columns before the values, and the values the figures after it do not fill."""
    tok = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if tok.row >= 0 or tok.cell or " " not in tok.text or nxt is None or nxt.kind != "value":
        return toks
    first_value = next((k for k, r in enumerate(roles) if r in VALUE_ROLES), len(roles))
    before = sum(r in ("unit", "comparator") for r in roles[:first_value])
    value_roles = sum(r in VALUE_ROLES for r in roles)
    written = 0  # figures after the words that are values (a target, an actual), not bare weights or scores
    for t in toks[i + 1 :]:
        if t.kind != "value" or t.typed is None or not (t.typed.comparator or t.typed.unit):
            break
        written += 1
    wanted = 1 + before + max(0, value_roles - written)
    parts = list(re.finditer(r"[^ ]+", tok.text))
    if len(parts) != wanted:
        return toks
    cells = [Token("text", m.group(), tok.start + m.start(), tok.start + m.end(), tok.row) for m in parts]
    return [*toks[:i], *cells, *toks[i + 1 :]]


def read_grade(table: IndicatorTable, toks: list[Token], i: int) -> None:
    """自评等级 | 优: the grade written after its label (or after the total, where the label is a column)."""
    for tok in toks[i : i + 3]:
        if tok.kind == "text" and tok.text[:1] in "优良中差":
            grade = tok.text[:2] if tok.text[:2] in ("优秀", "良好", "中等", "较差") else tok.text[:1]
            table.grade = (grade, tok.start, tok.start + len(grade))
            return


def _name(toks: list[Token], i: int) -> tuple[Token, int]:
    """An indicator name with the brackets inside it ("项目(工程)验收合格率"): text and notes up to the first value."""
    first = toks[i]
    j = i + 1
    while j + 1 < len(toks) and toks[j].kind == "note" and toks[j + 1].kind == "text" and toks[j + 1].row == first.row:
        j += 2
    if j == i + 1:
        return first, j
    last = toks[j - 1]
    parts = "".join(t.text for t in toks[i:j])
    return Token("text", parts, first.start, last.end, first.row), j


def _read_row(name: Token, toks: list[Token], j: int, roles: list[str]) -> tuple[IndicatorRow | None, int]:
    row = IndicatorRow(name.text, name.start, name.end)
    scored = "weight" in roles or "score" in roles
    done: set[str] = set()
    for k, role in enumerate(roles):
        if role in done:
            continue
        if j < len(toks) and name.row >= 0 and toks[j].row != name.row:
            break  # a pipe row ends where its line does
        tok = toks[j] if j < len(toks) else None
        if tok is None:
            break
        if tok.kind == "dash" and role != "reason":
            j += 1
            continue
        if role in ("weight", "score"):
            fig = score_figure(tok)
            if fig is not None:
                setattr(row, role, fig)
                j += 1
            elif role == "weight" and (cut := _cut_leading_weight(tok)) is not None:
                row.weight, toks[j] = cut  # the rest of the cell stays in the caller's stream
            continue
        if role in VALUE_ROLES:
            if (role == "actual" and _bare_after_unit(row.cells.get("target"), tok) and "weight" in roles[k + 1 :]
                    and _numbers_from(toks, j, name.row) <= sum(r in ("weight", "score") for r in roles[k + 1 :])):
                continue  # a blank actual cell dropped: this bare number is the weight after it
            if tok.kind == "value":
                row.cells[role] = tok
                j += 1
            elif tok.kind == "text" and (name.row >= 0 or (not _REASON_WORDS.search(tok.text) and len(tok.text) <= 30)):
                following = roles[k + 1] if k + 1 < len(roles) else None
                doubled = _doubled(tok)
                if role == "target" and following == "actual" and doubled is not None and _next_is_number(toks, j + 1):
                    row.cells["target"], row.cells["actual"] = doubled
                    done.add("actual")
                    j += 1
                    continue
                row.cells[role] = tok
                j += 1
            continue
        if role == "coefficient":
            if tok.kind == "value" and tok.typed is not None and tok.typed.kind is Kind.PERCENT:
                j += 1  # 得分系数: the score's share of the weight, implied by score and weight
            continue
        if role == "core":
            if tok.kind == "text" and tok.text in ("是", "否"):
                j += 1
            elif tok.kind == "text" and not tok.cell and tok.row < 0 and re.match(r"[是否] \S", tok.text):
                # flattened: the flag and the next row's name in one run of words ("否 引进企业数量 家")
                rest = tok.text[2:]
                toks[j] = Token("text", rest, tok.start + 2, tok.end, tok.row)  # the caller reads on from here
            continue
        if role == "comparator":
            if tok.kind == "cmp" or (tok.kind == "text" and tok.text in ("定性", "定量", "定性指标", "定量指标")):
                row.cells["comparator"] = tok
                j += 1
            continue
        if role == "unit":
            if tok.kind == "text" and len(tok.text) <= 6:
                row.cells["unit"] = tok
                j += 1
            continue
        if role == "forecast":  # the year's expected value, a figure or a few words ("能完成")
            if tok.kind == "value" or (tok.kind == "text" and not _LIGHT.match(tok.text) and len(tok.text) <= 30
                                       and not _REASON_WORDS.search(tok.text)):
                row.cells["forecast"] = tok
                j += 1
            continue
        if role == "light":  # 红灯/黄灯/绿灯, with the completion it stands for: "红灯（60%）"
            if tok.kind == "text" and _LIGHT.match(tok.text):
                row.cells["light"] = tok
                j += 2 if j + 1 < len(toks) and toks[j + 1].kind == "note" and toks[j + 1].start <= tok.end + 1 else 1
            continue
        if role == "likelihood":  # 确定能 / 有可能 / 完全不可能
            if tok.kind == "text" and len(tok.text) <= 8 and "能" in tok.text:
                j += 1
            continue
        if role == "reason" and tok.kind == "text" and _REASON.search(tok.text) and not _INSTRUCTION_ROW.search(tok.text):
            row.cells["reason"] = tok
            j += 1
    has_value = "target" in row.cells or "actual" in row.cells
    if not has_value or (scored and row.weight is None and row.score is None):
        return None, j
    row.end = toks[j - 1].end if j > 0 else name.end
    return row, j


def _bare_after_unit(target: Token | None, tok: Token) -> bool:
    """A target with a unit (≥500人次, 95%) followed by a bare number: the number is not its actual."""
    if target is None or target.typed is None or tok.typed is None or tok.kind != "value":
        return False
    return target.typed.unit is not None and tok.typed.kind is Kind.NUMBER and tok.typed.unit is None


def _numbers_from(toks: list[Token], j: int, row: int) -> int:
    """How many bare numbers stand in a run from toks[j] (within the pipe row, if any)."""
    n = 0
    while j < len(toks) and (row < 0 or toks[j].row == row) and score_figure(toks[j]) is not None:
        n += 1
        j += 1
    return n


def score_figure(tok: Token) -> Figure | None:
    typed = tok.typed
    if tok.kind != "value" or typed is None or typed.number is None or typed.comparator:
        return None
    if typed.kind not in (Kind.NUMBER, Kind.YEAR) and typed.unit != "分":
        return None
    if not Decimal(0) <= typed.number <= 100:
        return None
    return Figure(typed.number, tok.start, tok.end, "分")


def _cut_leading_weight(tok: Token) -> tuple[Figure, Token] | None:
    """A weight glued to the target after it ("20100%" = 20 and 100%; "1020万元" = 10 and 20万元)."""
    if tok.kind != "value" or tok.typed is None or tok.typed.comparator:
        return None
    m = re.fullmatch(r"(\d+)(\d+(?:\.\d+)?)(\D.*)?", tok.text.replace(" ", ""))
    if not m:
        return None
    body = tok.text.replace(" ", "")
    digits = re.match(r"\d+(?:\.\d+)?", body)
    assert digits is not None
    run, suffix = digits.group(), body[digits.end() :]
    options = []
    for at in range(1, min(3, len(run) - 1) + 1):
        head, rest = run[:at], run[at:]
        if _plain_number(head) and _plain_number(rest) and 0 < Decimal(head) <= 100:
            if suffix == "%" and Decimal(rest) > 1000:
                continue
            options.append((head, rest))
    if len(options) != 1:
        return None
    head, rest = options[0]
    weight = Figure(Decimal(head), tok.start, tok.start + len(head), "分")
    tail_text = rest + suffix
    return weight, Token("value", tail_text, tok.start + len(head), tok.end, tok.row, typed=type_cell(tail_text))


def _doubled(tok: Token) -> tuple[Token, Token] | None:
    """Target and actual written alike and glued ("显著提升显著提升")."""
    text = tok.text
    half = len(text) // 2
    if len(text) % 2 or half < 2 or text[:half] != text[half:]:
        return None
    first = Token("text", text[:half], tok.start, tok.start + half, tok.row)
    return first, Token("text", text[half:], tok.start + half, tok.end, tok.row)


def _next_is_number(toks: list[Token], j: int) -> bool:
    return j < len(toks) and score_figure(toks[j]) is not None


def read_total(table: IndicatorTable, toks: list[Token], j: int, roles: list[str]) -> int:
    """总分 | 100 | 85: the weight total and the score total, in the band's column order."""
    wanted = [r for r in roles if r in ("weight", "score")]
    values: list[Token] = []
    blank_after = False  # an empty cell after the first figure: "合计 | 100 | |"
    while j < len(toks) and toks[j].kind in ("value", "dash", "note") and len(values) < 3:
        if toks[j].kind == "value":
            values.append(toks[j])
        elif values and toks[j].kind == "dash" and toks[j].cell:
            blank_after = True
        j += 1
    table.total_start = toks[j - 1].start if values else -1
    figures: list[Figure] = []
    if len(values) == 1 and len(wanted) == 2 and (run := _digits(values[0])) is not None and "%" not in values[0].text:
        cuts = [c for c in _cuts(run, 2) if all(0 < v <= 100 for v in c) and c[1] <= c[0]]
        if len(cuts) == 1:
            figures = [Figure(v, values[0].start, values[0].end, "分") for v in cuts[0]]
    if not figures:
        figures = [f for v in values if (f := score_figure(v)) is not None]
    if len(figures) == len(wanted) and figures:
        for role, fig in zip(wanted, figures, strict=True):
            if role == "weight":
                table.total_weight = fig
            else:
                table.total_score = fig
    elif len(figures) == 1 and wanted:
        if len(wanted) == 1:
            setattr(table, f"total_{wanted[0]}", figures[0])
        elif blank_after and len(values) == 1:
            table.total_weight = figures[0]  # "合计 | 100 | |": the 分值 column summed, the 得分 left blank
    return j
