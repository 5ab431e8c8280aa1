"""Target tables with one column per place or sub-item (A031).

A fund allocated to several towns or projects often carries one 绩效目标表 for all of them: after
一级/二级/三级指标 (and an explanation column) come one column per village, town or sub-project, and
sometimes a 合计/小计 column — "开展小型水利工程建设(个) | 1 | 1 | 1 | 1 | 1 | 1 | 1", seven villages one each.
No header vocabulary names such columns: they are the text cells between the indicator words and the
first row. Each row is then its name, its explanation (a sentence), and one figure per column. Where
a total column is stated, the per-column figures of the same unit must add up to it: a table that
does not is contradicting itself. A row whose figures do not fill the columns exactly, or whose units
differ, is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.audit.grid import Kind
from jixiao.audit.normalise import fold
from jixiao.audit.tables import Token, tokens

_NAME_COLUMN = re.compile(r"三[ ]*级[ ]*指[ ]*标")
_EXPLAIN = re.compile(r"^(?:指标解释|指标说明|指标内容|评分标准)$")
_TOTAL = re.compile(r"^(?:合计|小计|总计|总体|全县|全市|全区|汇总)$")
_NOT_PLACE = re.compile(r"指标|目标值|完成值|分值|得分|权重|单位|原因|说明|备注|性质")
_SENTENCE = re.compile(r"[。；;，,]|反映|是否|用于|考核")
_MIN_PLACES = 2


@dataclass
class PlaceRow:
    name: Token
    values: list[Token]
    total: Token | None = None  # the total column's cell
    # a total the table's goal states for the row: "总体目标 | 开展7个小型水利工程建设" for "开展小型水利工程建设(个)"
    goal: tuple[Decimal, int, int] | None = None

    @property
    def added(self) -> Decimal:
        return sum((t.typed.number for t in self.values if t.typed is not None and t.typed.number is not None), Decimal(0))


@dataclass
class PlaceTable:
    start: int
    columns: list[Token]  # the places (or sub-items), in order
    total_column: Token | None = None
    rows: list[PlaceRow] = field(default_factory=list)


def _bare(tok: Token) -> str:
    return re.sub(r"\s+", "", tok.text)


def _is_cell(tok: Token, folded: str) -> bool:
    """A whole cell: a pipe cell, a cell of a one-cell-per-line table, or a line of its own."""
    if tok.cell or tok.row >= 0:
        return True
    line_start = folded.rfind("\n", 0, tok.start) + 1
    line_end = folded.find("\n", tok.end)
    line_end = len(folded) if line_end < 0 else line_end
    return not folded[line_start : tok.start].strip() and not folded[tok.end : line_end].strip(" |")


def _header(toks: list[Token], folded: str) -> tuple[list[Token], Token | None, int] | None:
    """The place columns after 三级指标 (and its explanation column), the total column if any, and where rows begin."""
    i = 0
    if i < len(toks) and toks[i].kind == "dash" and not toks[i].text:
        i += 1  # the rest of the 三级指标 cell's own line ("三级指标 |")
    if i < len(toks) and toks[i].kind == "text" and _EXPLAIN.match(_bare(toks[i])):
        i += 1
    columns: list[Token] = []
    while i < len(toks) and toks[i].kind == "text" and _is_cell(toks[i], folded):
        text = _bare(toks[i])
        if not 2 <= len(text) <= 16 or _NOT_PLACE.search(text) or _SENTENCE.search(text):
            break
        columns.append(toks[i])
        i += 1
    total = columns.pop() if columns and _TOTAL.match(_bare(columns[-1])) else None
    if total is None and i < len(toks) and toks[i].kind == "word" and _TOTAL.match(_bare(toks[i])) \
            and _is_cell(toks[i], folded):
        total = toks[i]  # "合计" is also a row word of the budget block: read here as the total column
        i += 1
    if len(columns) < _MIN_PLACES:
        return None
    return columns, total, i


def _unit(tok: Token) -> tuple[str, str | None]:
    typed = tok.typed
    assert typed is not None
    return typed.kind.value, typed.unit


def read_place_tables(raw: str) -> list[PlaceTable]:
    """Every target table with one column per place in the document, with the rows that fill its columns."""
    folded = fold(raw)
    out: list[PlaceTable] = []
    for m in _NAME_COLUMN.finditer(folded):
        toks = tokens(folded, m.end(), min(len(folded), m.end() + 20000))
        head = _header(toks, folded)
        if head is None:
            continue
        columns, total_column, i = head
        table = PlaceTable(m.start(), columns, total_column)
        width = len(columns) + (1 if total_column is not None else 0)
        while i < len(toks):
            tok = toks[i]
            if tok.kind in ("word", "dash", "note"):
                i += 1  # a category cell (产出指标, 数量指标) or an empty one
                continue
            if tok.kind != "text" or _SENTENCE.search(tok.text) or len(_bare(tok)) > 40:
                break
            name = tok
            i += 1
            if i < len(toks) and toks[i].kind == "note" and toks[i].start == name.end:
                name = Token("text", name.text + toks[i].text, name.start, toks[i].end, name.row, cell=name.cell)
                i += 1  # the unit written after the name: "开展小型水利工程建设(个)"
            if i < len(toks) and toks[i].kind == "text" and _SENTENCE.search(toks[i].text):
                i += 1  # the row's explanation
            values: list[Token] = []
            while i < len(toks) and toks[i].kind == "value" and len(values) < width:
                values.append(toks[i])
                i += 1
            numbers = [v for v in values if v.typed is not None and v.typed.number is not None
                       and v.typed.kind in (Kind.NUMBER, Kind.COUNT, Kind.AMOUNT, Kind.PERCENT) and not v.typed.comparator]
            if len(values) != width or len(numbers) != width or len({_unit(v) for v in numbers}) != 1:
                break  # the figures do not fill the columns one each: the row cannot be placed
            row = PlaceRow(name, values[: len(columns)], values[-1] if total_column is not None else None)
            table.rows.append(row)
        if table.rows:
            _goals(folded[max(0, m.start() - 3000) : m.start()], max(0, m.start() - 3000), table)
            out.append(table)
    return out


_GOAL = re.compile(r"(\d+)[ ]*(个|项|处|座|所|户|人|村|公里|米|亩|条|家|台|套)([\u4e00-\u9fff]{6,20})")


def _goals(before: str, offset: int, table: PlaceTable) -> None:
    """A count the table's 总体目标 states for a row: the same unit as the row's name gives, and the words after the
    count standing in the row's name ("开展7个小型水利工程建设" — "开展小型水利工程建设(个)")."""
    heads = list(re.finditer(r"总[ ]*体[ ]*目[ ]*标|年[ ]*度[ ]*目[ ]*标", before))
    if not heads:
        return
    goal = heads[-1].end()
    for row in table.rows:
        unit = re.search(r"[(]([^()]{1,4})[)]$", _bare(row.name))
        name = re.sub(r"[(][^()]*[)]$", "", _bare(row.name))
        if unit is None:
            continue
        found = [m for m in _GOAL.finditer(before, goal) if m.group(2) == unit.group(1)
                 and any(m.group(3)[:k] in name for k in range(len(m.group(3)), 5, -1))]
        if len(found) == 1:
            m = found[0]
            row.goal = (Decimal(m.group(1)), offset + m.start(1), offset + m.end(1))


def place_slips(raw: str) -> list[tuple[PlaceRow, Decimal, int, int]]:
    """The rows whose per-place figures do not add up to the total stated for them — in the total column or in the
    table's goal — with that total and where it is written (a percentage per place is not added)."""
    slips = []
    for table in read_place_tables(raw):
        for row in table.rows:
            if any(v.typed is not None and v.typed.kind is Kind.PERCENT for v in row.values):
                continue  # a share or a rate per place: its total is not their sum
            stated: list[tuple[Decimal, int, int]] = []
            if row.total is not None and row.total.typed is not None and row.total.typed.number is not None:
                stated.append((row.total.typed.number, row.total.start, row.total.end))
            if row.goal is not None:
                stated.append(row.goal)
            places = max((len(t.text.partition(".")[2].rstrip("%万元个")) for t in row.values), default=0)
            # whole counts are exact; figures written with decimals may each have been rounded
            tolerance = Decimal(5).scaleb(-places - 1) * (len(row.values) + 1) if places else Decimal(0)
            for value, start, end in stated:
                if abs(row.added - value) > tolerance:
                    slips.append((row, value, start, end))
    return slips
