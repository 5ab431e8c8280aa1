"""Tables as cell grids, read from every text form a table takes, before normalisation joins cells.

A table reaches the auditor as Word rows, PDF character boxes, spreadsheet cells, or text copied
out of any of those. Whatever the source, the first layer turns it into a `Grid` and gives no
meaning to it yet: the header bands, units and indicator rows are read from grids by later layers.

Grid API (other readers — PDF character positions, .xlsx sheets — build grids with it):

- ``Cell(text, line, column=0, carried=False)``: one cell's text as the document wrote it
  (stripped), the 1-based source line (or PDF page line / sheet row) it came from, its column
  offset within that line (or sheet column), and whether the text was carried down into an empty
  slot from the merged cell above (``carried=True``). ``Cell.blank`` says the slot is empty.
- ``Grid(rows, layout, source="")``: rows of cells, top to bottom; rows may differ in length
  (``Grid.width`` is the longest). ``layout`` names how it was read: ``"pipe"`` (L3, also Word
  rows joined by " | "), ``"lines"`` (L2, one cell per line), ``"flat"`` (L1, space-separated),
  ``"glued"`` (L4, cells run together), or whatever a new reader calls itself (``"pdf"``,
  ``"xlsx"``). ``Grid.texts()`` gives the plain strings; ``Grid.carry_down(columns)`` fills empty
  slots of merged columns from the row above; ``Grid.padded()`` gives every row ``width`` cells.
- ``Grid.from_texts(rows, layout, first_line=1)`` builds a grid from plain strings (one row per line).
- Readers: ``read_pipe(lines)``, ``read_cell_lines(lines)``, ``read_flat(line, width)``,
  ``read_glued(line)`` and ``split_glued(text)``; renderers ``render_pipe``, ``render_cell_lines``,
  ``render_flat`` write a grid back as text (the tests read every rendering back to the same grid).
- Typed cells: ``type_cell(text, unit=None)`` gives a `Typed` value (kind, number, unit,
  comparator); ``header_unit(text)`` finds a unit a header declares ("单位：元", "(万元)"), which the
  cells under it inherit; a bare number is never given a unit nobody stated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    line: int
    column: int = 0
    carried: bool = False

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(frozen=True, slots=True)
class Grid:
    rows: tuple[tuple[Cell, ...], ...]
    layout: str
    source: str = ""

    @classmethod
    def from_texts(cls, rows: Iterable[Sequence[str]], layout: str, first_line: int = 1, source: str = "") -> Grid:
        built = tuple(
            tuple(Cell(text.strip(), first_line + r, c) for c, text in enumerate(row)) for r, row in enumerate(rows)
        )
        return cls(built, layout, source)

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    @property
    def first_line(self) -> int:
        return self.rows[0][0].line if self.rows and self.rows[0] else 0

    def texts(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]

    def padded(self) -> Grid:
        """Every row `width` cells long: a dropped trailing cell becomes an empty slot."""
        width = self.width
        rows = tuple(
            row + tuple(Cell("", row[-1].line if row else 0, len(row) + k) for k in range(width - len(row)))
            for row in self.rows
        )
        return replace(self, rows=rows)

    def carry_down(self, columns: Iterable[int]) -> Grid:
        """Fill the empty slots of merged columns (一级/二级指标) from the cell above, marked carried."""
        wanted = set(columns)
        rows: list[tuple[Cell, ...]] = []
        above: dict[int, Cell] = {}
        for row in self.rows:
            cells = list(row)
            for c in wanted:
                if c < len(cells):
                    if cells[c].blank and c in above:
                        cells[c] = replace(cells[c], text=above[c].text, carried=True)
                    elif not cells[c].blank:
                        above[c] = cells[c]
            rows.append(tuple(cells))
        return replace(self, rows=tuple(rows))


# --- typed cells ---------------------------------------------------------------------------------


class Kind(StrEnum):
    EMPTY = "empty"
    AMOUNT = "amount"  # money with a stated or inherited unit
    PERCENT = "percent"
    PERMILLE = "permille"
    NUMBER = "number"  # a bare number: a score, a weight, or an amount whose unit a header gives
    COMPARATOR = "comparator"  # ≥95%, ≤100万元, >0
    YEAR = "year"
    COUNT = "count"  # a number with a measure word: 个, 户, 万人次
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Typed:
    kind: Kind
    number: Decimal | None = None
    unit: str | None = None
    comparator: str | None = None


MONEY_UNITS = ("亿元", "万元", "千元", "元")
# Longest first so "万人次" is not read as "万" + "人次".
COUNT_UNITS = (
    "万人次", "万人", "万户", "万亩", "万平方米", "人次", "人", "户", "个", "项", "家", "所", "名", "次", "条", "座",
    "场", "期", "件", "套", "台", "辆", "亩", "公里", "千米", "米", "厘米", "平方米", "立方米", "吨", "册", "篇",
    "份", "天", "日", "月", "年", "小时", "批", "处", "栋", "间", "张", "块", "宗", "村", "镇", "类", "种", "元/人",
)
_COMPARATORS = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", ">": ">", "<": "<", "=": "=", "＞": ">", "＜": "<"}
_NUM = r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?"
# Longest first; equal lengths in a fixed order, so the pattern is the same text in every run (compiled once, cached).
_UNIT_ALT = "|".join(re.escape(u) for u in sorted({*MONEY_UNITS, *COUNT_UNITS, "万"}, key=lambda u: (-len(u), u)))
_CELL = re.compile(rf"^(≥|>=|≤|<=|＞|＜|>|<|=)?\s*({_NUM})\s*(%|％|‰|百分比|{_UNIT_ALT})?$")
_CMP_WORD = re.compile(r"^(不低于|不少于|不超过|不高于|不大于|不小于|大于等于|小于等于|大于|小于|达到|约)")
_CMP_WORDS = {
    "不低于": "≥", "不少于": "≥", "不小于": "≥", "大于等于": "≥", "达到": "≥", "不超过": "≤", "不高于": "≤",
    "不大于": "≤", "小于等于": "≤", "大于": ">", "小于": "<", "约": "≈",
}
_HEADER_UNIT = re.compile(r"(?:单位|金额单位)\s*[:：]\s*(亿元|万元|千元|元)|[(（]\s*(亿元|万元|千元|元)\s*[)）]")


def header_unit(text: str) -> str | None:
    """The money unit a header or caption declares ("单位：元", "资金情况(万元)"), if any."""
    found = _HEADER_UNIT.search(text)
    return (found.group(1) or found.group(2)) if found else None


def type_cell(text: str, unit: str | None = None) -> Typed:
    """What one cell holds; `unit` is the money unit inherited from its headers, used for bare numbers."""
    body = text.strip()
    if not body:
        return Typed(Kind.EMPTY)
    comparator: str | None = None
    word = _CMP_WORD.match(body)
    if word:
        comparator = _CMP_WORDS[word.group(1)]
        body = body[word.end() :].strip()
    found = _CELL.match(body)
    if not found:
        return Typed(Kind.TEXT)
    sign, digits, suffix = found.groups()
    try:
        number = Decimal(digits.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only admits valid digits
        return Typed(Kind.TEXT)
    if sign:
        comparator = _COMPARATORS[sign]
    kind, cell_unit = _kind_of(number, digits, suffix, unit)
    if comparator:
        return Typed(Kind.COMPARATOR, number, cell_unit, comparator)
    return Typed(kind, number, cell_unit)


def _kind_of(number: Decimal, digits: str, suffix: str | None, unit: str | None) -> tuple[Kind, str | None]:
    if suffix in ("%", "％", "百分比"):  # "≥100百分比": the template's unit list spells the percent out
        return Kind.PERCENT, "%"
    if suffix == "‰":
        return Kind.PERMILLE, "‰"
    if suffix in MONEY_UNITS:
        return Kind.AMOUNT, suffix
    if suffix == "万":
        # "万" alone inside a money column means 万元; elsewhere it multiplies a count.
        return (Kind.AMOUNT, "万元") if unit else (Kind.COUNT, "万")
    if suffix:
        if suffix == "年" and re.fullmatch(r"(?:19|20)\d\d", digits):
            return Kind.YEAR, None
        return Kind.COUNT, suffix
    if re.fullmatch(r"(?:19|20)\d\d", digits) and unit is None:
        return Kind.YEAR, None
    if unit:
        return Kind.AMOUNT, unit
    return Kind.NUMBER, None


# --- readers -------------------------------------------------------------------------------------

_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _pipe_cells(line: str) -> list[str] | None:
    stripped = line.strip()
    if "|" not in stripped:
        return None
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return [cell.strip() for cell in stripped.split("|")]


def read_pipe(lines: Sequence[str], first_line: int = 1, source: str = "") -> list[Grid]:
    """L3: runs of pipe rows ("| a | b |" in Markdown, "a | b" from Word) as grids; --- rows skipped."""
    grids: list[Grid] = []
    current: list[tuple[Cell, ...]] = []

    def close() -> None:
        if current:
            grids.append(Grid(tuple(current), "pipe", source))
            current.clear()

    for offset, line in enumerate(lines):
        if _PIPE_SEPARATOR.match(line) and "-" in line:
            continue
        cells = _pipe_cells(line)
        bracketed = line.strip().startswith("|") and line.strip().endswith("|") and len(line.strip()) > 1
        if cells is None or (len(cells) < 2 and not bracketed):
            close()
            continue
        number = first_line + offset
        current.append(tuple(Cell(text, number, c) for c, text in enumerate(cells)))
    close()
    return grids


def read_cell_lines(lines: Sequence[str], first_line: int = 1, source: str = "") -> Grid:
    """L2: one cell per line. Rows end at a line holding only "|"; without such lines, at blank lines.

    With "|" separators a blank line inside a row is an empty cell; with blank-line separators an
    empty cell cannot be told from a row break, so rows are as long as their non-blank cells.
    """
    bar_separated = any(line.strip() == "|" for line in lines)
    rows: list[tuple[Cell, ...]] = []
    row: list[Cell] = []
    for offset, line in enumerate(lines):
        text = line.strip()
        number = first_line + offset
        if (bar_separated and text == "|") or (not bar_separated and not text):
            if row or bar_separated:
                rows.append(tuple(row))
            row = []
            continue
        row.append(Cell(text, number, len(row)))
    if row:
        rows.append(tuple(row))
    return Grid(tuple(rows), "lines", source)


def read_flat(line: str, width: int, line_number: int = 1, source: str = "") -> Grid:
    """L1: a row or a whole table flattened into one space-separated line, cut into rows of `width`."""
    cells: list[Cell] = []
    for found in re.finditer(r"\S+", line):
        cells.append(Cell(found.group(), line_number, found.start()))
    width = max(width, 1)
    rows = tuple(
        tuple(replace(cell, column=k) for k, cell in enumerate(cells[i : i + width]))
        for i in range(0, len(cells), width)
    )
    return Grid(rows, "flat", source)


# A glued run splits where a value ends and the next begins: a comparator starts a value; a
# percent sign, a unit or a change between digits and Chinese text ends one.
_GLUED_TOKEN = re.compile(
    rf"(?:≥|>=|≤|<=|＞|＜|>|<)\s*{_NUM}\s*(?:%|％|‰|{_UNIT_ALT})?"
    rf"|{_NUM}\s*(?:%|％|‰|{_UNIT_ALT})"
    rf"|{_NUM}"
    r"|[^\d≥≤<>＞＜\s]+"
)


def split_glued(text: str) -> list[str]:
    """L4: cells PDF/OCR ran together ("100%22否" → "100%", "22", "否"); digits-against-digits stay one."""
    return [found.group().strip() for found in _GLUED_TOKEN.finditer(text) if found.group().strip()]


def read_glued(line: str, line_number: int = 1, source: str = "") -> Grid:
    """L4: one glued line as a one-row grid; header-aware layers re-cut it into rows."""
    cells: list[Cell] = []
    for found in _GLUED_TOKEN.finditer(line):
        text = found.group().strip()
        if text:
            cells.append(Cell(text, line_number, found.start()))
    return Grid((tuple(cells),) if cells else (), "glued", source)


# --- renderers (the inverse of the readers; the round-trip tests and --explain use them) ---------


def render_pipe(grid: Grid) -> list[str]:
    return ["| " + " | ".join(cell.text for cell in row) + " |" for row in grid.rows]


def render_cell_lines(grid: Grid) -> list[str]:
    out: list[str] = []
    for row in grid.rows:
        out.extend(cell.text for cell in row)
        out.append("|")
    return out


def render_flat(grid: Grid) -> str:
    return " ".join(cell.text for row in grid.rows for cell in row)


def read_tables(lines: Sequence[str], source: str = "") -> list[Grid]:
    """Every pipe-row table in a document's lines (Word tables arrive as such rows)."""
    return read_pipe(lines, 1, source)
