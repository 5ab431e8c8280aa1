"""The indicator library as an .xlsx sheet (one entry a row) and back."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from jixiao.core.library import LibraryEntry
from jixiao.io.errors import InputError, Problem
from jixiao.io.pydantic_errors import problems_from

HEADERS = (
    ("code", "编码"), ("name", "指标名称"), ("level1", "一级指标"), ("level2", "二级指标"), ("category", "类别"),
    ("sector", "行业"), ("comparator", "比较符"), ("unit", "计量单位"), ("typical", "常见指标值"), ("basis", "设定依据"),
    ("definition", "指标解释"), ("source", "出处"),
)
SHEET = "指标库"


def write_library_xlsx(entries: list[LibraryEntry], out: Path | IO[bytes]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws.append([label for _, label in HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        row = entry.model_dump(mode="json")
        ws.append(["、".join(row[key]) if key == "typical" else row.get(key) for key, _ in HEADERS])
    for column, width in zip("ABCDEFGHIJKL", (12, 28, 8, 14, 10, 10, 8, 10, 16, 10, 30, 40), strict=True):
        ws.column_dimensions[column].width = width
    wb.save(out)


def read_library_xlsx(path: Path | IO[bytes], source: str) -> list[LibraryEntry]:
    from jixiao.report.xlsx_cells import open_workbook

    with open_workbook(path, source) as wb:
        ws = wb.sheet(SHEET if SHEET in wb.sheetnames else wb.sheetnames[0])
    stored = dict(ws.rows())
    width = ws.max_column

    def values_of(row: int) -> list[Any]:
        line: list[Any] = [None] * width
        for col, value in stored.get(row, []):
            line[col - 1] = value
        return line

    rows = (values_of(row) for row in range(2, ws.max_row + 1))
    header = [str(v or "").strip() for v in values_of(1)]
    columns = {key: header.index(label) for key, label in HEADERS if label in header}
    if "name" not in columns or "code" not in columns:
        raise InputError(source, [Problem("第1行应为表头，至少包括“编码”和“指标名称”")])
    entries, problems = [], []
    for number, values in enumerate(rows, start=2):
        if not any(values):
            continue
        data: dict[str, Any] = {}
        for key, index in columns.items():
            value = values[index] if index < len(values) else None
            text = "" if value is None else str(value).strip()
            if key == "typical":
                data[key] = [t for t in text.replace("，", "、").split("、") if t]
            elif text:
                data[key] = text
        try:
            entries.append(LibraryEntry.model_validate(data))
        except ValidationError as exc:
            problems += [Problem(f"第{number}行：{p.message}", field=p.field) for p in problems_from(exc, {})]
        if len(problems) > 50:
            break
    if problems:
        raise InputError(source, problems)
    return entries
