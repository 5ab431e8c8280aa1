"""The one door every .xlsx input goes through: the container checked, then only the stored cells read.

A worksheet's size (its `max_row` × `max_column`) is set by its farthest cell, so a single value in
XFD1048576 makes a 5 KB file "a billion cells" to any reader that walks the rectangle. Here a sheet
is parsed as a stream of the cells actually stored in its XML (openpyxl's read-only parser, no
rectangle ever filled in), each checked against the bounds as it arrives, so a hostile sheet is
refused at its first out-of-bounds cell. Before any of that the zip itself is checked: its size,
its members, their declared unpacked size (zipfile stops at the declared size, so it cannot lie)
and the packing ratio. Every refusal is an InputError naming the file and the sheet.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from jixiao.io.errors import InputError, Problem

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # a 自评表 of 500 indicators unpacks to about 1 MB
MAX_RATIO = 100  # typical spreadsheet XML packs 5–20×; a bomb packs hundreds of times
RATIO_FLOOR = 4 * 1024 * 1024  # small files may pack as tightly as they like
MAX_MEMBERS = 2000
MAX_ROWS = 5000  # rows of one sheet (a 自评表 of 500 indicators has about 530)
MAX_COLUMNS = 200  # columns of one sheet (the forms use about 15)
MAX_CELLS = 200_000  # stored cells with a value in one sheet
MAX_MERGED_CELLS = 400_000  # cells covered by merged areas, counted within the bounds above


def limits_text() -> str:
    from openpyxl.utils import get_column_letter

    return f"最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列（至 {get_column_letter(MAX_COLUMNS)} 列）"


def check_container(path: Path | IO[bytes], source: str | None = None) -> None:
    """Refuse a file that is not a workbook or would unpack to too much, before anything parses it."""
    source = source or str(path)
    if isinstance(path, Path):
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise InputError(source, [Problem("文件不存在")]) from None
    else:
        size = path.seek(0, 2)
        path.seek(0)
    if size > MAX_FILE_BYTES:
        raise InputError(source, [Problem(f"文件过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB），不是自评表工作簿")])
    if not zipfile.is_zipfile(path):
        raise InputError(source, [Problem("不是有效的 Excel 工作簿（.xlsx），文件可能已损坏或是其他格式")])
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise InputError(source, [Problem(f"工作簿包含的部件过多（{len(members)} 个），拒绝读取")])
            unpacked = sum(info.file_size for info in members)
            if unpacked > MAX_UNPACKED_BYTES or (unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * max(size, 1)):
                raise InputError(source, [Problem(
                    f"工作簿解压后过大（约 {unpacked // 1024 // 1024} MB，上限 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，"
                    "疑似压缩炸弹），拒绝读取")])
            if "xl/workbook.xml" not in archive.namelist():
                raise InputError(source, [Problem("不是 Excel 工作簿（缺少 xl/workbook.xml）")])
    except zipfile.BadZipFile:
        raise InputError(source, [Problem("不是有效的 Excel 工作簿（.xlsx），文件已损坏")]) from None
    finally:
        if not isinstance(path, Path):
            path.seek(0)


@dataclass
class StoredSheet:
    """The cells a sheet stores with a value, by (row, column), and its merged areas (clipped to the cells)."""

    title: str
    values: dict[tuple[int, int], Any] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    origin: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    max_row: int = 0
    max_column: int = 0

    def rows(self) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
        """Each stored row in order with its (column, value) pairs in order; empty rows are skipped."""
        by_row: dict[int, list[tuple[int, Any]]] = {}
        for (row, col), value in self.values.items():
            by_row.setdefault(row, []).append((col, value))
        for row in sorted(by_row):
            yield row, sorted(by_row[row], key=lambda pair: pair[0])


class StoredWorkbook:
    """A workbook opened read-only; sheets are parsed on demand, each within the bounds."""

    def __init__(self, path: Path | IO[bytes], source: str) -> None:
        from openpyxl import load_workbook

        self.source = source
        try:
            self._wb: Any = load_workbook(path, data_only=True, read_only=True)
        except InputError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise InputError(source, [Problem(f"无法打开工作簿：{type(exc).__name__}")]) from None
        self.sheetnames: list[str] = list(self._wb.sheetnames)
        self._sheets: dict[str, StoredSheet] = {}

    def __enter__(self) -> StoredWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._wb.close()

    def sheet(self, title: str) -> StoredSheet:
        if title not in self._sheets:
            try:
                self._sheets[title] = self._parse(self._wb[title])
            except InputError:
                raise
            except Exception as exc:  # a damaged sheet part
                raise InputError(self.source, [Problem(f"工作表“{title}”无法读取：{type(exc).__name__}")]) from None
        return self._sheets[title]

    def sheets(self) -> Iterator[StoredSheet]:
        for title in self.sheetnames:
            yield self.sheet(title)

    def _refuse(self, title: str, message: str) -> InputError:
        return InputError(self.source, [Problem(f"工作表“{title}”{message}，拒绝读取")])

    def _parse(self, ws: Any) -> StoredSheet:
        from openpyxl.cell.read_only import ReadOnlyCell
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet._reader import WorkSheetParser

        sheet = StoredSheet(ws.title)
        with ws._get_source() as src:
            parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=self._wb.epoch,
                                     date_formats=self._wb._date_formats,
                                     timedelta_formats=self._wb._timedelta_formats)
            for _, row in parser.parse():
                for cell in row:
                    value = cell["value"]
                    if value is None or (isinstance(value, str) and not value.strip()):
                        continue
                    r, c = cell["row"], cell["column"]
                    if r > MAX_ROWS or c > MAX_COLUMNS:
                        raise self._refuse(ws.title, f"的单元格 {get_column_letter(c)}{r} 超出范围（{limits_text()}）")
                    if len(sheet.values) >= MAX_CELLS:
                        raise self._refuse(ws.title, f"的单元格过多（超过 {MAX_CELLS} 个）")
                    sheet.values[(r, c)] = value
                    style = cell.get("style_id") or 0
                    if style:
                        sheet.formats[(r, c)] = ReadOnlyCell(ws, r, c, None, style_id=style).number_format
                    sheet.max_row, sheet.max_column = max(sheet.max_row, r), max(sheet.max_column, c)
            merged = parser.merged_cells
        if merged is not None:
            self._merge(sheet, [m.ref for m in merged.mergeCell])
        return sheet

    def _merge(self, sheet: StoredSheet, refs: list[str]) -> None:
        """Map each merged cell to its area's top-left, within the stored cells' extent (bounded above)."""
        from openpyxl.utils.cell import range_boundaries

        covered = 0
        for ref in refs:
            bounds = range_boundaries(ref)
            min_col, min_row = bounds[0] or 1, bounds[1] or 1
            max_row, max_col = min(bounds[3] or 0, sheet.max_row), min(bounds[2] or 0, sheet.max_column)
            covered += max(0, max_row - min_row + 1) * max(0, max_col - min_col + 1)
            if covered > MAX_MERGED_CELLS:
                raise self._refuse(sheet.title, "的合并单元格过多")
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    sheet.origin[(r, c)] = (min_row, min_col)


def open_workbook(path: Path | IO[bytes], source: str | None = None) -> StoredWorkbook:
    """Check the container, then open it for reading stored cells only (close it, or use `with`)."""
    check_container(path, source)
    return StoredWorkbook(path, source or str(path))
