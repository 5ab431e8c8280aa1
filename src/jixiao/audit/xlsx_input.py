"""An Excel workbook (.xlsx) as audit input: every sheet's rows as pipe lines, the way a Word table reads.

A finance bureau receives the 自评表 as a workbook as often as inside a report. Each stored row
becomes ONE line with its cells joined by " | " (a cell merged across columns appears once, a cell
merged down repeats in each row it spans, as python-docx gives a Word table; an empty cell keeps its
slot); a row with one cell is a plain line (the form's title). Numbers are written as the sheet
shows them (its number format: "0.00" → 3142.55, "0.00%" → 100%, `"≥"General"家"` → ≥70家).

Read in openpyxl's read-only mode, stored values only (a formula's cached result, never evaluated),
with bounds on what a workbook may cost: unpacked size, sheets, rows, columns, stored cells.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from jixiao.io.errors import InputError, Problem

MAX_SHEETS = 50
MAX_ROWS = 20_000  # per sheet
MAX_COLUMNS = 200  # columns beyond are not read
MAX_CELLS = 300_000  # stored, non-empty cells in the whole workbook
MAX_MERGES = 20_000
MAX_SHEET_XML = 64 * 1024 * 1024

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3}\d+)(?::([A-Z]{1,3}\d+))?\"")
_LITERAL = re.compile(r'"([^"]*)"')
_DECIMALS = re.compile(r"0\.(0+)")


def fail(source: str, message: str) -> InputError:
    return InputError(source, [Problem(message)])


def extract_xlsx_lines(raw: bytes, source: str) -> list[str]:
    """Every sheet's rows as lines (sheets in workbook order, a blank line between them)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise fail(source, f"Excel 工作簿已损坏或无法解析（{type(exc).__name__}）") from None
    try:
        sheets = workbook.worksheets
        if len(sheets) > MAX_SHEETS:
            raise fail(source, f"工作簿有 {len(sheets)} 个工作表，超过上限 {MAX_SHEETS} 个，不像一份自评表")
        lines: list[str] = []
        budget = [MAX_CELLS]
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for sheet in sheets:
                merges = _merges(archive, getattr(sheet, "_worksheet_path", ""), source)
                rows = _sheet_rows(sheet, merges, budget, source)
                if rows and lines:
                    lines.append("")
                lines.extend(rows)
    finally:
        workbook.close()
    if not any(line.strip() for line in lines):
        raise fail(source, "Excel 工作簿中没有文字（所有工作表都是空的）")
    return lines


def _merges(archive: zipfile.ZipFile, path: str, source: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges (min_row, min_col, max_row, max_col) from the sheet's XML (read-only mode has none)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    try:
        info = archive.getinfo(path)
    except KeyError:
        return []
    if info.file_size > MAX_SHEET_XML:
        raise fail(source, f"工作表数据解压后超过 {MAX_SHEET_XML // 1024 // 1024} MB，不像一份自评表，已拒绝读取")
    data = archive.read(info)
    out = []
    for match in _MERGE.finditer(data):
        first = coordinate_from_string(match.group(1).decode())
        last = coordinate_from_string((match.group(2) or match.group(1)).decode())
        out.append((first[1], column_index_from_string(first[0]), last[1], column_index_from_string(last[0])))
        if len(out) > MAX_MERGES:
            raise fail(source, f"工作表合并单元格超过 {MAX_MERGES} 处，不像一份自评表，已拒绝读取")
    return out


def _sheet_rows(sheet: Any, merges: list[tuple[int, int, int, int]], budget: list[int], source: str) -> list[str]:
    # Where each merged range starts, and what each covered cell does: skipped (right of the start
    # in its first row) or repeating the start's text (the first column of a row below).
    covered: dict[tuple[int, int], tuple[int, int] | None] = {}
    for min_row, min_col, max_row, max_col in merges:
        for r in range(min_row, min(max_row, MAX_ROWS) + 1):
            for c in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                if (r, c) != (min_row, min_col):
                    covered[(r, c)] = (min_row, min_col) if c == min_col else None
    texts: dict[tuple[int, int], str] = {}
    grid: list[list[tuple[int, str]]] = []  # per row: (column, text) of its stored cells
    for number, stored in _stored_rows(sheet):
        if number > MAX_ROWS:
            if any(value not in (None, "") for _, value, _ in stored):
                raise fail(source, f"工作表“{sheet.title}”超过 {MAX_ROWS} 行（第 {number} 行仍有内容），"
                                   "不像一份自评表，已拒绝读取")
            break
        while len(grid) < number:  # rows the sheet does not store are empty rows
            grid.append([])
        cells = grid[number - 1]  # a row stored twice (or out of order) adds to the same row
        for column, value, number_format in stored:
            text = "" if value is None else display(value, number_format or "General")
            if text:
                budget[0] -= 1
                if budget[0] < 0:
                    raise fail(source, f"工作簿的单元格超过 {MAX_CELLS} 个，不像一份自评表，已拒绝读取")
                texts[(number, column)] = text
                cells.append((column, text))
    out: list[str] = []
    width = max((c for row in grid for c, text in row if text), default=0)
    first = min((c for row in grid for c, text in row if text), default=1)
    for number, cells in enumerate(grid, start=1):
        slots: list[str] = []
        stored_in = dict(cells)
        for column in range(first, width + 1):  # a row ends at its last stored cell: the rest are empty slots
            text = stored_in.get(column, "")
            if (number, column) in covered:
                start = covered[(number, column)]
                if start is None:
                    continue
                text = texts.get(start, "")
            slots.append(text)
        if any(slots):
            out.append(" | ".join(slots))
    return out


def _stored_rows(sheet: Any) -> Iterator[tuple[int, list[tuple[int, Any, str]]]]:
    """Each stored row's number and its stored cells (column, value, number format), columns past
    MAX_COLUMNS dropped. openpyxl's `iter_rows` pads every row with an empty cell per column up to the
    bound — 20,000 rows of 200 slots for a sheet of one column, seconds of Python before the row limit
    is even reached; its sheet parser gives what is stored. Read to the bound whatever the sheet
    declares: the declared extent is often wrong (some writers always say "A1")."""
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, row in parser.parse():
            cells = []
            for stored in row:
                if stored["column"] <= MAX_COLUMNS:
                    cell = ReadOnlyCell(sheet, **stored)
                    cells.append((cell.column, cell.value, cell.number_format))
            yield number, cells
            if number > MAX_ROWS:
                return


def display(value: object, number_format: str) -> str:
    """A stored value as the sheet shows it, near enough to read the figure: the number format's
    decimals for fixed formats, percent formats ×100 with the digits the value has, literal text
    (comparators and units) around the number; whitespace collapsed like the Word reader's."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int | float):
        return _number(value, number_format)
    return " ".join(str(value).split())


def _number(value: float, number_format: str) -> str:
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    section = number_format.split(";")[0]
    bare = _LITERAL.sub("", section)
    prefix, suffix = "", ""
    literals = list(_LITERAL.finditer(section))
    if literals:
        digits = re.search(r"[0#?]|General", section, re.IGNORECASE)
        at = digits.start() if digits else len(section)
        prefix = "".join(m.group(1) for m in literals if m.start() < at)
        suffix = "".join(m.group(1) for m in literals if m.start() >= at)
    percent = "%" in bare
    if percent:
        number *= 100
    fixed = _DECIMALS.search(bare)
    if fixed and not percent:
        text = f"{number.quantize(Decimal(1).scaleb(-len(fixed.group(1))), ROUND_HALF_UP):f}"
    elif re.search(r"(^|[^.])0(?!\.)", bare) and not percent and "General" not in section:
        text = f"{number.quantize(Decimal(1), ROUND_HALF_UP):f}"
    else:
        text = _plain(number)
    return f"{prefix}{text}{'%' if percent else ''}{suffix}"


def _plain(number: Decimal) -> str:
    """Without exponent or trailing zeros: 10 not 1E+1, 9.9 not 9.90; floats' binary noise rounded off."""
    rounded = number.quantize(Decimal("0.0000000001")) if number.as_tuple().exponent < -10 else number  # type: ignore[operator]
    text = f"{rounded.normalize():f}"
    return "0" if text in ("-0", "") else text
