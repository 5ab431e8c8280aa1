"""Any table with a 合计 row: each amount column's rows against its total (A030).

A report carries more tables than the 自评表: the allocation of a fund to its towns or projects
(资金安排表), a breakdown of expenditure, a list of subsidies paid. Whatever they are about, a column of
amounts closed by a 合计/总计 row states its own arithmetic. The table is taken from the text as its
cells (`grid`): a pipe row per line, or one cell per line (a web page's table copied as text, its rows
found again from the header's width). An amount column is one whose header names an amount (金额,
资金, 预算, 万元 …, never a rate, a score or a number of the row) and whose cells are numbers; a table
with 小计 rows or 其中 rows (parts of a row, not rows) is left alone, as is one whose rows do not fill
the header's columns cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.audit.grid import Kind, type_cell

TOTAL = re.compile(r"^(?:合\s*计|总\s*计)(?:[(（][^)）]{0,8}[)）])?[:：]?$")
AMOUNT_HEADER = re.compile(r"金额|资金|预算|万元|元\)|元）|投资|拨付|下达|补助|补贴|支出|收入|数额|额度|总额|执行数|决算数")
NOT_AMOUNT = re.compile(r"率|比例|比重|占比|%|序号|编号|代码|年度|年份|得分|分值|权重|日期|时间|电话|进度")
PARTS = re.compile(r"^(?:其中|小\s*计|\d+[.、．]|[(（]\d+[)）])")


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    start: int  # raw offset
    end: int


@dataclass(frozen=True, slots=True)
class Slip:
    header: str
    total: Cell
    added: Decimal
    stated: Decimal
    rows: tuple[tuple[Cell, Decimal], ...]  # the first rows' cells and figures, for the finding
    count: int  # how many rows were added


def _pipe_rows(raw: str) -> Iterator[list[list[Cell]]]:
    """Runs of consecutive lines holding "|", each line's cells with their raw spans."""
    run: list[list[Cell]] = []
    pos = 0
    for line in raw.split("\n"):
        if line.strip() == "|":
            run.append([Cell("", pos, pos)])  # an empty cell on its own line
        elif "|" in line:
            cells: list[Cell] = []
            at = pos
            for part in line.split("|"):
                body = part.strip()
                offset = at + (part.index(body) if body else 0)
                cells.append(Cell(body, offset, offset + len(body)))
                at += len(part) + 1
            closed = line.rstrip().endswith("|")
            if closed:
                cells.pop()  # the bar that closes the line encloses no cell
            if line.lstrip().startswith("|") and closed and cells:
                cells.pop(0)  # "| a | b |": the opening bar too; " | a | b" opens with an empty cell (merged above)
            run.append(cells)
        elif run:
            yield run
            run = []
        pos += len(line) + 1
    if run:
        yield run


def _rows(run: list[list[Cell]]) -> list[list[Cell]] | None:
    """The table's rows: as written, or, for one cell per line, cut again at the header's width."""
    if sum(1 for cells in run if len(cells) == 1) < 0.8 * len(run):
        return [cells for cells in run if any(c.text for c in cells)]
    cells = [row[0] for row in run if row]
    width = 0
    while width < len(cells) and cells[width].text and type_cell(cells[width].text).kind is Kind.TEXT \
            and not TOTAL.match(cells[width].text):
        width += 1
    if width < 2:
        return None
    rows = [cells[:width]]
    i = width
    while i < len(cells):
        if TOTAL.match(cells[i].text):
            tail = cells[i:]
            end = next((k for k, c in enumerate(tail[1:], 1) if type_cell(c.text).kind is Kind.TEXT and c.text), len(tail))
            rows.append(tail[:end])
            break
        rows.append(cells[i : i + width])
        i += width
    return rows


def _number(cell: Cell) -> Decimal | None:
    typed = type_cell(cell.text.replace(",", ""))
    if typed.kind in (Kind.NUMBER, Kind.AMOUNT) and typed.number is not None:
        return typed.number
    return None


def _places(text: str) -> int:
    m = re.search(r"\.(\d+)", text)
    return len(m.group(1)) if m else 0


def _is_total(row: list[Cell]) -> bool:
    """A 合计/总计 row: the label in its first cell, or in its second under a first column merged down and
    left blank (部门整体's "年度主要任务 | 任务名称 | … ", its 合计 written under 任务名称)."""
    if not row:
        return False
    first = 1 if len(row) > 2 and not row[0].text.strip() else 0
    return TOTAL.match(row[first].text) is not None


def table_slips(raw: str) -> list[Slip]:
    """Every amount column whose rows do not add up to its 合计 row."""
    slips: list[Slip] = []
    for run in _pipe_rows(raw):
        rows = _rows(run)
        if not rows or len(rows) < 4:
            continue
        for at in (k for k, row in enumerate(rows) if _is_total(row)):
            # The table is the rows since the nearest header above (a run of pipe lines may hold several
            # tables: a unit's name, a task table, the budget block …).
            start = next((k for k in range(at - 1, -1, -1) if _is_header(rows[k])), None)
            if start is not None and at - start >= 3 and not any(_is_total(r) for r in rows[start + 1 : at]):
                slips.extend(_column_slips(rows[start], rows[start + 1 : at], rows[at]))
    return slips


def _is_header(row: list[Cell]) -> bool:
    return len(row) >= 3 and all(type_cell(c.text).kind is Kind.TEXT or not c.text for c in row) \
        and any(AMOUNT_HEADER.search(c.text) and not NOT_AMOUNT.search(c.text) for c in row)


def _column_slips(header: list[Cell], body: list[list[Cell]], total: list[Cell]) -> list[Slip]:
    """The amount columns of one table whose body rows do not add up to its total row."""
    if any(row and PARTS.match(row[0].text) and not row[0].text[:1].isdigit() for row in body):
        return []  # 其中 / 小计 rows: parts of rows, not rows
    if any(len(row) > len(header) for row in body):
        return []  # more cells than columns: the row's cells cannot be placed safely
    # a dropped trailing cell (an empty 备注, the closing bar taken for one) is an empty slot
    body = [row + [Cell("", row[-1].end, row[-1].end)] * (len(header) - len(row)) for row in body]
    columns = [k for k, cell in enumerate(header) if AMOUNT_HEADER.search(cell.text) and not NOT_AMOUNT.search(cell.text)]
    columns = [k for k in columns if sum(_number(row[k]) is not None for row in body) >= max(2, 0.8 * len(body))]
    figures = [c for c in total[1:] if _number(c) is not None]
    if not columns:
        return []
    if len(total) == len(header):
        pairs = [(k, total[k]) for k in columns if k < len(total) and _number(total[k]) is not None]
    elif len(figures) == len(columns):
        pairs = list(zip(columns, figures, strict=True))
    else:
        return []
    slips: list[Slip] = []
    for k, cell in pairs:
        stated = _number(cell)
        parts = [(row[k], n) for row in body if (n := _number(row[k])) is not None]
        assert stated is not None
        added = sum((n for _, n in parts), Decimal(0))
        places = max([_places(cell.text), *(_places(c.text) for c, _ in parts)])
        tolerance = Decimal(5).scaleb(-places - 1) * (len(parts) + 1)  # each written figure rounded
        if abs(added - stated) > tolerance:
            slips.append(Slip(header[k].text, cell, added, stated, tuple(parts[:3]), len(parts)))
    return slips
