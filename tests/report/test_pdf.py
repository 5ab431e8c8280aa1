"""The PDF is LibreOffice's rendering of the same .docx; its first page must show real (CJK) text."""

import subprocess
from pathlib import Path

from PIL import Image


def test_pdf_first_page_is_not_blank_and_text_is_cjk(seed_pdf: Path, tmp_path: Path) -> None:
    assert seed_pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(seed_pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    for page in pages:
        gray = Image.open(page).convert("L")
        dark = sum(gray.histogram()[:128])
        assert dark > 500, f"{page.name} looks blank"
    text = subprocess.run(["pdftotext", "-l", "3", str(seed_pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "部门单位整体支出绩效自评报告" in text and "一、基本概况" in text
    fonts = subprocess.run(["pdffonts", str(seed_pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts  # glyphs come from a real CJK font (Noto), not boxes


def test_pdf_has_every_section_and_the_total(seed_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", str(seed_pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for heading in ("三、部门单位整体支出绩效分析", "四、评价结论", "六、改进措施和建议", "部门（单位）整体支出绩效自评表"):
        assert heading in flat
    assert "综合得分85分，评价结果为“良”" in flat
