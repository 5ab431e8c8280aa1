"""Documents to text lines: .txt/.md, .docx and .pdf, chosen by the file's content, not its name.

Every way a file can be unreadable (wrong type, empty, encrypted, truncated, scanned,
a zip bomb, an unknown encoding) becomes an `InputError` with a Chinese message, so
a batch can report it for that document and go on with the next.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from jixiao.audit.bounds import check_lines, check_pdf_streams, check_text_file
from jixiao.io.errors import InputError, Problem

MAX_FILE_BYTES = 50 * 1024 * 1024
# A real report's document.xml is a few MB at most; a zip bomb inflates to gigabytes.
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
MAX_DOCX_RATIO = 200
MAX_PDF_PAGES = 500
SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".xlsx")

# Magic bytes of formats people send by mistake: named in the error so the user knows what they sent.
OTHER_FORMATS = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文档（.doc/.xls），请另存为 .docx"),
    (b"{\\rtf", "RTF 文档，请另存为 .docx"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"\x7fELF", "可执行程序"),
    (b"MZ", "可执行程序"),
)


@dataclass(frozen=True, slots=True)
class Extracted:
    """A document's text, one entry per line as a reader would number them (line n is lines[n-1])."""

    path: str
    kind: str  # "text", "docx", "pdf" or "xlsx"
    lines: list[str]
    encoding: str | None = None  # for text files: which encoding decoded them
    pages: int | None = None
    ocr_pages: int = 0  # for PDFs: how many scanned pages were read by OCR


def fail(path: str, message: str) -> InputError:
    return InputError(path, [Problem(message)])


def extract(path: Path) -> Extracted:
    """Read a document's text lines; raise InputError for anything that is not a readable report."""
    source = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise fail(source, "这是一个文件夹，不是文件")
        if size > MAX_FILE_BYTES:
            raise fail(source, f"文件过大（{size // 1024 // 1024} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail(source, "文件不存在") from None
    except PermissionError:
        raise fail(source, "没有读取权限") from None
    except OSError as exc:
        raise fail(source, f"无法读取文件：{exc.strerror or exc}") from None
    return extract_bytes(raw, source)


def extract_bytes(raw: bytes, source: str) -> Extracted:
    """Sniff the content and dispatch; the text read is bounded (audit.bounds) whatever its format."""
    extracted = _dispatch(raw, source)
    check_lines(extracted.lines, source)
    return extracted


def _dispatch(raw: bytes, source: str) -> Extracted:
    """Sniff the content; the suffix only decides what a mismatch is called."""
    suffix = Path(source).suffix.lower()
    if not raw.strip():
        raise fail(source, "文件为空")
    if raw.startswith(b"%PDF-") or (b"%PDF-" in raw[:1024] and suffix == ".pdf"):
        return extract_pdf(raw, source)
    if raw.startswith(b"PK\x03\x04"):
        names = _guard_zip(raw, source)
        if "xl/workbook.xml" in names and "word/document.xml" not in names:
            return extract_xlsx(raw, source)
        if "word/document.xml" not in names:
            what = "Excel 工作簿" if suffix == ".xlsx" else "Word 文档"
            raise fail(source, f"zip 文件不是{what}（缺少 {'xl/workbook.xml' if suffix == '.xlsx' else 'word/document.xml'}）")
        return extract_docx(raw, source)
    if raw.startswith(b"\xd0\xcf\x11\xe0") and "EncryptionInfo".encode("utf-16-le") in raw:
        raise fail(source, "Word 文档已加密（需要密码），无法读取；请提供未加密的文件")
    for magic, name in OTHER_FORMATS:
        if raw.startswith(magic):
            raise fail(source, f"文件内容是{name}，不是自评报告（支持 .txt、.md、.docx、.pdf、.xlsx）")
    if suffix == ".pdf":
        raise fail(source, "扩展名为 .pdf，但文件不是 PDF（缺少 %PDF 文件头，可能已损坏或被改名）")
    if suffix == ".docx":
        raise fail(source, "扩展名为 .docx，但文件不是 Word 文档（不是 zip 格式，可能已损坏或被改名）")
    if suffix == ".xlsx":
        raise fail(source, "扩展名为 .xlsx，但文件不是 Excel 工作簿（不是 zip 格式，可能已损坏或被改名）")
    return extract_text(raw, source)


def decode(raw: bytes, source: str) -> tuple[str, str]:
    """UTF-8 first; GB18030 (a superset of GBK, what Chinese Windows saves) as the fallback."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        line = raw[: utf8_error.start].count(b"\n") + 1
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(
            source, [Problem("文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本，无法读取（请另存为 UTF-8）", line=line)]
        ) from None
    return text, "gb18030"


def extract_text(raw: bytes, source: str) -> Extracted:
    if b"\x00" in raw[:4096]:
        raise fail(source, "文件含有二进制内容，不是文本文件（支持 .txt、.md、.docx、.pdf、.xlsx）")
    check_text_file(raw, source)
    text, encoding = decode(raw, source)
    if _control_share(text) > 0.01:
        raise fail(source, "文件含有大量控制字符，不是文本文件")
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise fail(source, "文件为空")
    return Extracted(source, "text", lines, encoding=encoding)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


def extract_docx(raw: bytes, source: str) -> Extracted:
    """Body paragraphs and tables in document order; each table row is one line, cells joined by " | "."""
    import io

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    buffer = io.BytesIO(raw)
    try:
        document = Document(buffer)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise fail(source, f"Word 文档已损坏或不是 .docx（{type(exc).__name__}）") from None
    except Exception as exc:  # lxml and zipfile raise many kinds on a damaged package
        raise fail(source, f"Word 文档无法解析（{type(exc).__name__}）") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    if not any(line.strip() for line in lines):
        raise fail(source, "Word 文档中没有文字（可能只含图片）")
    return Extracted(source, "docx", lines)


def _table_lines(table: object) -> list[str]:
    from docx.table import Table

    assert isinstance(table, Table)
    out: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous: object = None
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans: keep it once.
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            out.append(" | ".join(cells))
    return out


def extract_xlsx(raw: bytes, source: str) -> Extracted:
    """Every sheet's rows as pipe lines (audit.xlsx_input), bounded like the other formats."""
    from jixiao.audit.xlsx_input import extract_xlsx_lines

    return Extracted(source, "xlsx", extract_xlsx_lines(raw, source))


def _guard_zip(raw: bytes, source: str) -> set[str]:
    """The names in a zip package (.docx, .xlsx), after refusing a zip bomb before anything inflates it."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
            if len(members) > 5000:
                raise fail(source, "文档内部文件数量异常（可能是恶意构造的压缩包），已拒绝读取")
            unpacked = sum(m.file_size for m in members)
            packed = sum(m.compress_size for m in members) or 1
            names = {m.filename for m in members}
    except zipfile.BadZipFile:
        raise fail(source, "文档已损坏（zip 结构无效，可能下载不完整）") from None
    if unpacked > MAX_DOCX_UNPACKED or (unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_DOCX_RATIO):
        what = "Excel 工作簿" if "xl/workbook.xml" in names else "Word 文档"
        raise fail(
            source,
            f"{what}解压后达 {unpacked // 1024 // 1024} MB（压缩比 {unpacked // packed}:1），"
            "疑为压缩炸弹，已拒绝读取",
        )
    return names


def extract_pdf(raw: bytes, source: str) -> Extracted:
    """Text of every page via PDFium (fast, reads CJK); one line per text line, pages in order; ruled
    tables as one pipe line per row (audit.pdf_tables)."""
    import pypdfium2 as pdfium

    from jixiao.audit.pdf_tables import join_pages, page_lines
    from jixiao.audit.stream_tables import Carry

    check_pdf_streams(raw, source)  # before PDFium inflates a compressed-stream bomb whole
    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise fail(source, "PDF 已加密（需要密码），无法读取；请提供未加密的文件") from None
        if "format" in text or "file" in text:
            raise fail(source, "PDF 已损坏或不完整（可能下载中断），无法读取") from None
        raise fail(source, f"PDF 无法读取（{exc}）") from None
    try:
        count = len(pdf)
        if count == 0:
            raise fail(source, "PDF 没有页面")
        if count > MAX_PDF_PAGES:
            raise fail(source, f"PDF 共 {count} 页，超过上限 {MAX_PDF_PAGES} 页，不像一份自评报告")
        pages: list[list[str]] = []
        carry = Carry()  # an unruled table's columns, from a page to the next
        scanned: list[int] = []  # pages with no text layer but something drawn: OCR reads them
        for index in range(count):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    page_text = page_lines(page, textpage, carry)
                finally:
                    textpage.close()
                if not any(line.strip() for line in page_text) and pdfium.raw.FPDFPage_CountObjects(page.raw) > 0:
                    scanned.append(index)
            finally:
                page.close()
            pages.append(page_text)
        ocr_pages = _ocr(pdf, scanned, pages, count, source)
    except pdfium.PdfiumError as exc:
        raise fail(source, f"PDF 内容损坏，无法提取文字（{exc}）") from None
    finally:
        pdf.close()
    lines = join_pages(pages)
    if sum(len(line.strip()) for line in lines) < 20:
        if ocr_pages:
            raise fail(source, f"PDF 共 {count} 页，没有文字层，文字识别（OCR）也未读出文字（可能是扫描件分辨率过低或只有图片），请提供文字版 PDF 或更清晰的扫描件")
        raise fail(source, f"PDF 共 {count} 页，但没有可提取的文字（可能是扫描件或图片），请提供文字版 PDF 或先做文字识别")
    return Extracted(source, "pdf", lines, pages=count, ocr_pages=ocr_pages)


def _ocr(pdf: object, scanned: list[int], pages: list[list[str]], count: int, source: str) -> int:
    """Read the scanned pages by OCR into `pages`; how many were read. Without tesseract a document
    that has text elsewhere is read without its scanned pages; one with no text at all is refused,
    saying what to install."""
    from jixiao.audit import ocr

    if not scanned:
        return 0
    has_text = sum(len(line.strip()) for page_text in pages for line in page_text) >= 20
    try:
        read = ocr.read_pages(pdf, scanned)
    except ocr.OcrUnavailable as exc:
        if has_text:
            return 0
        raise fail(source, f"PDF 共 {count} 页，但没有可提取的文字（可能是扫描件或图片）；{exc}") from None
    except ocr.OcrFailed as exc:
        raise fail(source, f"PDF 共 {count} 页，其中 {len(scanned)} 页是扫描件：{exc}") from None
    for index, page_text in read.items():
        pages[index] = page_text
    return len(read)


def is_document(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def collect(paths: list[Path]) -> list[Path]:
    """Files to audit: files as given (any suffix), folders searched recursively for supported suffixes."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_document(p)))
        else:
            out.append(path)
    return out
