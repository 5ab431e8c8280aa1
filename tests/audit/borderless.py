"""自评表 PDFs without ruling lines, made by real layout engines: the same Word table with its borders
removed (LibreOffice), and the table written as a web page without borders (chromium's print).

Conversions are cached by the input's content hash under the system's temporary folder, so a test
session converts each document once and later sessions not at all.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest

CACHE = Path(tempfile.gettempdir()) / "jixiao-test-cache" / "borderless"
_BORDER = re.compile(r'(<w:(?:top|left|bottom|right|insideH|insideV|start|end)\b[^>]*?)w:val="[^"]*"')


def strip_borders(docx: Path, out: Path) -> Path:
    """The document with every table and cell border set to none, in the document and in its table
    styles (the table's grid stays)."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in ("word/document.xml", "word/styles.xml"):  # a table style ("Table Grid") draws too
                data = _BORDER.sub(r'\1w:val="nil"', data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    return out


def table_html(docx: Path) -> str:
    """The document's first table as a web page: merged cells as colspan/rowspan, no borders, cells
    top-aligned with padding (as such tables are published on web pages)."""
    from docx import Document

    table = Document(str(docx)).tables[0]
    grid = [[cell._tc for cell in row.cells] for row in table.rows]
    texts = {cell._tc: cell.text for row in table.rows for cell in row.cells}
    rows = []
    for r, line in enumerate(grid):
        cells = []
        for c, tc in enumerate(line):
            if (c and line[c - 1] is tc) or (r and grid[r - 1][c] is tc):
                continue
            colspan = 1
            while c + colspan < len(line) and line[c + colspan] is tc:
                colspan += 1
            rowspan = 1
            while r + rowspan < len(grid) and grid[r + rowspan][c] is tc:
                rowspan += 1
            cells.append(f'<td colspan="{colspan}" rowspan="{rowspan}">{html.escape(texts[tc])}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><style>'
        "@page { size: A4 landscape; margin: 12mm; } body { font-size: 10pt; }"
        "table { border-collapse: collapse; width: 100%; } td { vertical-align: top; padding: 4px 8px; border: none; }"
        f"</style></head><body><table>{''.join(rows)}</table></body></html>"
    )


def _cached(data: bytes, tag: str) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    return CACHE / f"{hashlib.sha256(data + tag.encode()).hexdigest()[:24]}.pdf"


def libreoffice_pdfs(docx_files: list[Path]) -> list[Path]:
    """Each .docx as LibreOffice prints it (one LibreOffice run for those not cached)."""
    from jixiao.report.pdf import ConverterMissing, docx_to_pdf_many, find_soffice

    targets = [_cached(path.read_bytes(), "libreoffice") for path in docx_files]
    missing = list({target: (path, target) for path, target in zip(docx_files, targets, strict=True)
                    if not target.exists()}.values())  # the same content converted once
    if missing:
        try:
            find_soffice()
        except ConverterMissing:
            pytest.skip("LibreOffice (soffice) 未安装：apt-get install libreoffice-writer-nogui")
        with tempfile.TemporaryDirectory(prefix="jixiao-lo-", dir=CACHE) as work:
            staged = [(path, Path(work) / target.name) for path, target in missing]
            assert docx_to_pdf_many(staged) == []
            for (_, done), (_, target) in zip(staged, missing, strict=True):
                os.replace(done, target)  # whole files only: test workers may share the cache
    return targets


def chromium_pdf(page: str) -> Path:
    """The web page as chromium prints it (headless)."""
    target = _cached(page.encode("utf-8"), "chromium")  # also makes the cache folder
    if target.exists():
        return target
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium 未安装：apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="jixiao-chromium-", dir=CACHE) as work:
        source = Path(work) / "table.html"
        source.write_text(page, "utf-8")
        printed = Path(work) / "table.pdf"
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--user-data-dir={work}/profile", f"--print-to-pdf={printed}", source.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
        os.replace(printed, target)
    return target
