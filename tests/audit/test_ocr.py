"""Scanned PDF pages read by OCR (tesseract): the same lines and table rows a text PDF gives, near enough
that the audit reads the same key figures; without tesseract, a message saying what to install."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from jixiao.audit import ocr
from jixiao.audit.extract import extract
from jixiao.audit.pdf_tables import find_tables, join_words
from jixiao.audit.run import audit_extracted
from jixiao.core.rules import RuleSet
from jixiao.io.errors import InputError

TSV = """level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t1000\t1000\t-1\t
5\t1\t1\t1\t1\t1\t100\t100\t80\t20\t96\t预算执行率
5\t1\t1\t1\t1\t2\t190\t100\t60\t20\t95\t100%
5\t1\t1\t1\t2\t1\t100\t140\t40\t20\t91\t得分
5\t1\t1\t1\t2\t2\t150\t140\t30\t20\t93\t10
5\t1\t1\t1\t2\t3\t190\t140\t30\t20\t93\t\x20
"""


def test_tsv_words_read_as_lines() -> None:
    words = ocr.parse_tsv(TSV)
    assert [w.text for w in words] == ["预算执行率", "100%", "得分", "10"]
    assert [join_words([w.text for w in line]) for line in ocr.word_lines(words)] == ["预算执行率100%", "得分10"]
    assert join_words(["3142.55", "3142.55", "万元"]) == "3142.55 3142.55万元"


def test_ruling_in_pixels_becomes_a_table_and_is_painted_out() -> None:
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(image)
    for x in (50, 250, 550):
        draw.line([(x, 50), (x, 250)], fill=0, width=2)
    for y in (50, 150, 250):
        draw.line([(50, y), (550, y)], fill=0, width=2)
    segments, cleaned = ocr.ruling(image, 2.0)
    [table] = find_tables(segments)
    assert [round(x) for x in table.xs] == [25, 125, 275] and [round(y) for y in table.ys] == [125, 75, 25]
    assert cleaned.getextrema()[0] > 200  # the lines are gone: tesseract sees only the cells' text


needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract 未安装（scripts/system-packages.sh）")


def image_only(pdf: Path, pages: list[int], out: Path, dpi: int = 200) -> Path:
    """The pages as a scan would hold them: pictures only, no text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in pages]
    finally:
        document.close()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out


def pages_with(pdf: Path, *needles: str) -> list[int]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        texts = [document[i].get_textpage().get_text_range().replace(" ", "") for i in range(len(document))]
    finally:
        document.close()
    return [i for i, text in enumerate(texts) if any(n in text for n in needles)]


def text_pages(pdf: Path, pages: list[int], out: Path) -> Path:
    import pypdfium2 as pdfium

    source, copy = pdfium.PdfDocument(str(pdf)), pdfium.PdfDocument.new()
    copy.import_pages(source, pages)
    copy.save(str(out))
    return out


@needs_tesseract
def test_a_scanned_self_evaluation_table_reads_like_the_text_pdf(
    generated_reports: dict[str, tuple[Path, Path]], rules: RuleSet, tmp_path: Path
) -> None:
    pdf = generated_reports["rural-roads-project-2024"][1]
    pages = pages_with(pdf, "项目支出绩效自评表", "评价结论", "综合得分")
    scan = extract(image_only(pdf, pages, tmp_path / "扫描件.pdf"))
    assert scan.ocr_pages == len(pages)
    rows = [line.split(" | ") for line in scan.lines if " | " in line]
    text_pdf = extract(text_pages(pdf, pages, tmp_path / "文字版.pdf"))
    text = [line.split(" | ") for line in text_pdf.lines if " | " in line]
    assert [len(row) for row in rows] == [len(row) for row in text]  # every row, every cell slot
    budget = next(row for row in rows if "年度资金总额" in row)
    assert budget[2:6] == ["800.00", "860.00", "817.00", "10"]
    assert rows[-1][1:3] == ["100", "95.49"]  # 总分 | 100 | 95.49
    cells = [(a, b) for row, other in zip(rows, text, strict=True) for a, b in zip(row, other, strict=True)]
    # Measured: 87 of 128 cells exactly as the text PDF has them (ASCII "(" and ":" for full-width counted wrong).
    assert sum(unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b) for a, b in cells) >= 0.65 * len(cells)
    # audit_document is extract then audit_extracted: the scan is read once (tesseract is most of this test)
    from_scan, from_text = audit_extracted(scan, rules), audit_extracted(text_pdf, rules)
    assert from_scan.facts is not None and from_text.facts is not None
    amounts = ("initial", "adjusted", "executed")  # the rates may suffer tesseract's "%" → "9%" (95% → 959%)
    assert [from_scan.facts["budget"][k] for k in amounts] == [from_text.facts["budget"][k] for k in amounts]
    for key in ("total_score", "grade"):
        assert from_scan.facts.get(key) == from_text.facts.get(key), key


def test_without_tesseract_a_scan_says_how_to_install_it(
    generated_reports: dict[str, tuple[Path, Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = generated_reports["excellent-unit-2024"][1]
    scan = image_only(pdf, [0], tmp_path / "scan.pdf", dpi=50)
    monkeypatch.setattr("jixiao.audit.ocr.shutil.which", lambda name: None)
    ocr.tesseract.cache_clear()
    try:
        with pytest.raises(InputError) as caught:
            extract(scan)
    finally:
        ocr.tesseract.cache_clear()
    message = str(caught.value)
    assert "没有可提取的文字" in message and "apt-get install -y tesseract-ocr tesseract-ocr-chi-sim" in message


def test_images_are_shared_between_runs_by_their_ink_in_input_order() -> None:
    assert ocr._groups([50_000, 10_000, 30_000, 20_000], 2) == [[0, 1], [2, 3]]  # 60,000 and 50,000
    assert ocr._groups([50_000, 10_000, 30_000, 20_000], 1) == [[0, 1, 2, 3]]
    assert ocr._groups([5_000, 6_000], 4) == [[0, 1]]  # too little to pay for a second model load


@needs_tesseract
def test_parallel_runs_read_the_same_lines_as_one(
    generated_reports: dict[str, tuple[Path, Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdfium2 as pdfium

    pdf = generated_reports["rural-roads-project-2024"][1]
    [page] = pages_with(pdf, "项目支出绩效自评表")[:1]
    document = pdfium.PdfDocument(str(pdf))
    try:
        image, scale = ocr.render(document[page])
    finally:
        document.close()
    read: list[list[str]] = []
    for workers in (1, 2):
        monkeypatch.setattr(ocr, "_workers", lambda workers=workers: workers)
        read.append(ocr.read_image(image, scale))
    assert read[0] == read[1] and any(" | " in line for line in read[0])
