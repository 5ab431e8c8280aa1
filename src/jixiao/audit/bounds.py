"""Bounds on what one document may cost to read: pages, inflated PDF streams, line length, total text.

A report is a few hundred KB of text in tens of pages. Hostile or broken files are not: a 1 MB PDF
whose compressed content stream inflates to gigabytes, a 44 MB text file on one line. Each bound
is far above any real report and far below what takes the machine down; past it the document is
refused with a Chinese message naming the file (exit 2 for that document; a batch goes on).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator

from jixiao.io.errors import InputError, Problem

MAX_TEXT_FILE_BYTES = 8 * 1024 * 1024  # a .txt/.md report: ~2.7 million Chinese characters
MAX_TEXT_CHARS = 3_000_000  # the whole document's text, any format
MAX_LINE_CHARS = 50_000  # one line (a paragraph with no line breaks is a few thousand)
# A PDF's streams, inflated: content streams and fonts are KB to a few MB; a page image at 300 dpi
# is ~26 MB raw. The total bounds the work of a whole file.
MAX_STREAM_BYTES = 64 * 1024 * 1024
MAX_IMAGE_STREAM_BYTES = 128 * 1024 * 1024
MAX_PDF_INFLATED_BYTES = 768 * 1024 * 1024
_CHUNK = 1024 * 1024

MB = 1024 * 1024


def refuse(source: str, message: str) -> InputError:
    return InputError(source, [Problem(message)])


def check_text_file(raw: bytes, source: str) -> None:
    if len(raw) > MAX_TEXT_FILE_BYTES:
        raise refuse(
            source,
            f"文本文件过大（{len(raw) / MB:.1f} MB，文本报告上限 {MAX_TEXT_FILE_BYTES // MB} MB），不像一份自评报告，已拒绝读取",
        )


def check_lines(lines: list[str], source: str) -> None:
    """Refuse a document whose text or one of whose lines is beyond any real report."""
    total = 0
    for number, line in enumerate(lines, start=1):
        length = len(line)
        if length > MAX_LINE_CHARS:
            raise InputError(
                source,
                [Problem(f"一行长达 {length} 个字符（上限 {MAX_LINE_CHARS}），不像自评报告的文字，已拒绝读取", line=number)],
            )
        total += length
        if total > MAX_TEXT_CHARS:
            raise refuse(source, f"文字总量超过 {MAX_TEXT_CHARS} 个字符，不像一份自评报告，已拒绝读取")


# `stream` keyword ending a stream's dictionary (not the tail of `endstream`), then the data.
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")


def check_pdf_streams(raw: bytes, source: str) -> None:
    """Inflate every Flate stream in bounded chunks (never holding more than a chunk) and refuse the
    file before PDFium inflates a bomb whole. Filter chains (Flate of Flate) are followed."""
    total = 0
    position = 0
    while (match := _STREAM.search(raw, position)) is not None:
        start = match.end()
        end = raw.find(b"endstream", start)
        if end < 0:
            end = len(raw)
        position = end
        head_from = max(0, match.start() - 4096)
        head = raw[head_from : match.start()]
        objects = list(_OBJ.finditer(head))
        if objects:
            head = head[objects[-1].end() :]
        if not _FLATE.search(head):
            continue
        cap = MAX_IMAGE_STREAM_BYTES if _IMAGE.search(head) else MAX_STREAM_BYTES
        size = _inflated_size(raw[start:end], cap)
        if size > cap:
            raise refuse(
                source,
                f"PDF 中有一个压缩数据流解压后超过 {cap // MB} MB（文件本身 {len(raw) / MB:.1f} MB），"
                "疑为压缩炸弹，已拒绝读取",
            )
        total += size
        if total > MAX_PDF_INFLATED_BYTES:
            raise refuse(source, f"PDF 的压缩数据解压后总计超过 {MAX_PDF_INFLATED_BYTES // MB} MB，疑为压缩炸弹，已拒绝读取")


def _inflate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Inflate a zlib stream piece by piece: at most _CHUNK bytes of output at a time."""
    inflater = zlib.decompressobj()
    try:
        for chunk in chunks:
            data = chunk
            while data:
                out = inflater.decompress(data, _CHUNK)
                if out:
                    yield out
                data = inflater.unconsumed_tail
                if inflater.eof:
                    return
        while not inflater.eof and (out := inflater.decompress(b"", _CHUNK)):
            yield out
    except zlib.error:
        return  # damaged or not zlib: PDFium decides what to make of it


def _inflated_size(data: bytes, cap: int, depth: int = 3) -> int:
    """Bytes the stream inflates to through up to `depth` Flate layers; counting stops past `cap`."""
    return _inflated_size_of(_inflate([data]), cap, depth)


def _inflated_size_of(chunks: Iterator[bytes], cap: int, depth: int) -> int:
    first = next(chunks, b"")
    if depth > 1 and _looks_zlib(first):
        return _inflated_size_of(_inflate(_prepend(first, chunks)), cap, depth - 1)
    size = len(first)
    for out in chunks:
        size += len(out)
        if size > cap:
            break
    return size


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _looks_zlib(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
