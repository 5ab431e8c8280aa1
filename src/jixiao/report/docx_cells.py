"""A Word document's tables as stored sheets, so the .xlsx readers read a .docx form the same way.

Each top-level table becomes one `StoredSheet` ("表格1", "表格2" …) on the table's grid: a cell
spanning columns (`gridSpan`) or merged down (`vMerge`) maps every grid slot it covers to its
top-left, as a merged area does in a workbook. Every value is text, as typed in Word. The package
is checked before python-docx parses it (size, members, declared unpacked size), and a table
beyond the sheet bounds is refused at its first out-of-bounds cell.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from jixiao.io.errors import InputError, Problem
from jixiao.report.xlsx_cells import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_MEMBERS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    StoredSheet,
)


def check_docx(path: Path, source: str) -> None:
    """Refuse a file that is not a Word document or would unpack to too much, before anything parses it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(source, [Problem("文件不存在")]) from None
    if size > MAX_FILE_BYTES:
        raise InputError(source, [Problem(f"文件过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB），不是申报表或监控表")])
    if not zipfile.is_zipfile(path):
        raise InputError(source, [Problem("不是有效的 Word 文档（.docx），文件可能已损坏或是其他格式（.doc 请另存为 .docx）")])
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(info.file_size for info in members)
            names = {info.filename for info in members}
    except zipfile.BadZipFile:
        raise InputError(source, [Problem("不是有效的 Word 文档（.docx），文件已损坏")]) from None
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise InputError(source, [Problem("Word 文档解压后过大或部件过多（疑似压缩炸弹），拒绝读取")])
    if "word/document.xml" not in names:
        raise InputError(source, [Problem("不是 Word 文档（缺少 word/document.xml）")])


def read_docx_tables(path: Path, source: str | None = None) -> list[StoredSheet]:
    """Every top-level table of a .docx as a StoredSheet; InputError naming the file when it cannot be read."""
    from docx import Document

    source = source or str(path)
    check_docx(path, source)
    try:
        document = Document(str(path))
    except Exception as exc:  # python-docx and lxml raise many kinds for a damaged package
        raise InputError(source, [Problem(f"Word 文档无法打开：{type(exc).__name__}")]) from None
    return [_sheet(table._tbl, f"表格{n}", source) for n, table in enumerate(document.tables, start=1)]


def _text(tc: Any) -> str:
    from docx.oxml.ns import qn

    lines = []
    for paragraph in tc.iterchildren(qn("w:p")):
        parts = []
        for node in paragraph.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
            parts.append(node.text or "" if node.tag == qn("w:t") else "\n" if node.tag == qn("w:br") else "\t")
        lines.append("".join(parts))
    return "\n".join(lines).strip()


def _sheet(tbl: Any, title: str, source: str) -> StoredSheet:
    sheet = StoredSheet(title)
    for r, tr in enumerate(tbl.tr_lst, start=1):
        if r > MAX_ROWS:
            raise InputError(source, [Problem(f"{title}的行数超过 {MAX_ROWS} 行，拒绝读取")])
        col = 1 + (tr.grid_before or 0)
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            if col + span - 1 > MAX_COLUMNS:
                raise InputError(source, [Problem(f"{title}第{r}行的列数超过 {MAX_COLUMNS} 列，拒绝读取")])
            above = sheet.origin.get((r - 1, col), (r - 1, col))
            top = above if tc.vMerge == "continue" and above[0] >= 1 else (r, col)
            if top == (r, col):
                text = _text(tc)
                if text:
                    if len(sheet.values) >= MAX_CELLS:
                        raise InputError(source, [Problem(f"{title}的单元格过多（超过 {MAX_CELLS} 个），拒绝读取")])
                    sheet.values[(r, col)] = text
            for c in range(col, col + span):
                if top != (r, c):
                    sheet.origin[(r, c)] = top
            sheet.max_row = max(sheet.max_row, r)
            sheet.max_column = max(sheet.max_column, col + span - 1)
            col += span
    return sheet
