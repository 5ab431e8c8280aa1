"""Reading .txt/.docx/.pdf by content, and every way a file can fail: a Chinese error, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from audit.conftest import SEED, write_docx, zip_bomb
from jixiao.audit.extract import collect, extract
from jixiao.io.errors import InputError


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        extract(path)
    assert caught.value.source == str(path)
    return str(caught.value)


def test_text_keeps_the_files_own_lines() -> None:
    doc = extract(SEED)
    assert doc.kind == "text" and doc.encoding == "utf-8"
    assert doc.lines[52].startswith("我单位年初批复预算数 3142.55 万元")  # line 53


def test_gbk_text_is_read_and_says_so(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(seed_text.encode("gb18030"))
    doc = extract(path)
    assert doc.encoding == "gb18030" and doc.lines == seed_text.splitlines()


def test_undecodable_text_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("第一行\n第二行".encode() + b"\n\x80\x80\xff\n")
    message = error_of(path)
    assert "UTF-8" in message and "GBK" in message and "第3行" in message


def test_docx_paragraphs_and_tables_in_body_order(seed_docx: Path) -> None:
    doc = extract(seed_docx)
    assert doc.kind == "docx"
    assert doc.lines[:len(SEED.read_text("utf-8").splitlines())] == SEED.read_text("utf-8").splitlines()
    assert doc.lines[-2:] == ["开办夜市数量 | 等于4家 | 4家 | 10 | 10", "引进企业数量 | 大于等于70家 | 72家 | 30 | 30"]


def test_pdf_text_reads_cjk(seed_pdf: Path) -> None:
    doc = extract(seed_pdf)
    assert doc.kind == "pdf" and doc.pages and doc.pages >= 3
    text = "".join(doc.lines)
    assert "乌鲁木齐高新技术产业开发区" in text and "102.86%" in text


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "文件为空"),
        ("blank.docx", b"   \n", "文件为空"),
        ("picture.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "PNG 图片"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版 Office"),
        ("fake.pdf", "这不是PDF".encode(), "不是 PDF"),
        ("fake.docx", "这不是Word".encode(), "不是 Word"),
        ("binary.txt", b"abc\x00\x01\x02def" * 10, "二进制"),
        ("notword.docx", b"PK\x03\x04garbage", "已损坏"),
    ],
)
def test_wrong_or_empty_files(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in error_of(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "不存在" in error_of(tmp_path / "nope.pdf")
    assert "文件夹" in error_of(tmp_path)


def test_zip_bomb_is_refused_before_opening(tmp_path: Path) -> None:
    message = error_of(zip_bomb(tmp_path / "bomb.docx"))
    assert "压缩炸弹" in message


def test_zip_that_is_not_word(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "word/document.xml" in error_of(path)


def test_word_without_text(tmp_path: Path) -> None:
    assert "没有文字" in error_of(write_docx("", tmp_path / "empty.docx", table=False))


def test_encrypted_pdf(tmp_path: Path, seed_pdf: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(seed_pdf))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as out:
        writer.write(out)
    assert "加密" in error_of(path)


def test_truncated_pdf(tmp_path: Path, seed_pdf: Path) -> None:
    raw = seed_pdf.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(raw[: len(raw) // 3])
    message = error_of(path)
    assert "损坏" in message or "不完整" in message


def test_image_only_pdf(tmp_path: Path, seed_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scanned report: one page that is a picture of the seed's first page, no text layer; without
    OCR installed (tests/audit/test_ocr.py reads such pages with it)."""
    import shutil

    import pypdfium2 as pdfium

    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) 未安装")
    subprocess.run(["pdftoppm", "-jpeg", "-r", "40", "-f", "1", "-l", "1", str(seed_pdf), str(tmp_path / "page")], check=True)
    jpeg = next(tmp_path.glob("page*.jpg"))
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    image = pdfium.PdfImage.new(pdf)
    image.load_jpeg(str(jpeg))
    image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
    page.insert_obj(image)
    page.gen_content()
    path = tmp_path / "scan.pdf"
    pdf.save(str(path))
    from jixiao.audit import ocr

    monkeypatch.setattr("jixiao.audit.ocr.shutil.which", lambda name: None)
    ocr.tesseract.cache_clear()
    try:
        assert "扫描件" in error_of(path)
    finally:
        ocr.tesseract.cache_clear()


def test_folders_are_searched_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.txt", "a/b/two.pdf", "a/b/three.docx", "a/skip.png", "four.md"):
        (tmp_path / name).write_text("x")
    found = collect([tmp_path / "a", tmp_path / "four.md"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a/b/three.docx", "a/b/two.pdf", "a/one.txt", "four.md"]


def test_password_protected_word(tmp_path: Path) -> None:
    """Word saves an encrypted .docx as an OLE container with an EncryptionInfo stream."""
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100)
    assert "已加密" in error_of(path)
