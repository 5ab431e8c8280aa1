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
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_EARLY_CHANGE = re.compile(rb"/EarlyChange\s+0\b")
# Filters that expand their input (and how PDF abbreviates them in inline images).
_FLATE = {b"FlateDecode", b"Fl"}
_LZW = {b"LZWDecode", b"LZW"}
_RUN_LENGTH = {b"RunLengthDecode", b"RL"}
_EXPANDING = _FLATE | _LZW | _RUN_LENGTH


def check_pdf_streams(raw: bytes, source: str) -> None:
    """Decode every Flate, LZW and RunLength stream in bounded chunks (never holding more than a chunk)
    and refuse the file before PDFium inflates a bomb whole. Filter chains are followed (Flate of Flate,
    LZW then Flate …), up to three layers."""
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
        filters = _filters(head)
        if not filters or filters[0] not in _EXPANDING:
            continue
        cap = MAX_IMAGE_STREAM_BYTES if _IMAGE.search(head) else MAX_STREAM_BYTES
        early = 0 if _EARLY_CHANGE.search(head) else 1
        size = _decoded_size(raw[start:end], filters, cap, early)
        if size > cap:
            raise refuse(
                source,
                f"PDF 中有一个压缩数据流解压后超过 {cap // MB} MB（文件本身 {len(raw) / MB:.1f} MB），"
                "疑为压缩炸弹，已拒绝读取",
            )
        total += size
        if total > MAX_PDF_INFLATED_BYTES:
            raise refuse(source, f"PDF 的压缩数据解压后总计超过 {MAX_PDF_INFLATED_BYTES // MB} MB，疑为压缩炸弹，已拒绝读取")


def _filters(head: bytes) -> list[bytes]:
    found = _FILTER.search(head)
    return _NAME.findall(found.group(1)) if found else []


def _decoded_size(data: bytes, filters: list[bytes], cap: int, early: int = 1) -> int:
    """Bytes the stream decodes to through its expanding filters (at most three); counting stops past `cap`."""
    chunks: Iterator[bytes] = iter([data])
    layers = 0
    for name in filters[:3]:
        if name in _FLATE:
            chunks = _inflate(chunks)
        elif name in _LZW:
            chunks = _lzw_decode(chunks, early)
        elif name in _RUN_LENGTH:
            chunks = _run_length_decode(chunks)
        else:
            break  # an image codec or a shrinking filter: what came before is the bound
        layers += 1
    return _inflated_size_of(chunks, cap, 4 - layers)


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


def _run_length_decode(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """RunLengthDecode (PDF 32000 7.4.5): n < 128 copies n + 1 bytes, n > 128 repeats one byte 257 - n
    times, 128 ends. Output in pieces of about _CHUNK bytes."""
    out = bytearray()
    pending = b""
    for chunk in chunks:
        data = pending + chunk
        i = 0
        size = len(data)
        while i < size:
            n = data[i]
            if n == 128:
                yield bytes(out)
                return
            if n < 128:
                if i + n + 2 > size:
                    break
                out += data[i + 1 : i + n + 2]
                i += n + 2
            else:
                if i + 2 > size:
                    break
                out += data[i + 1 : i + 2] * (257 - n)
                i += 2
            if len(out) >= _CHUNK:
                yield bytes(out)
                out.clear()
        pending = data[i:]
    if out:
        yield bytes(out)


def _lzw_decode(chunks: Iterable[bytes], early: int = 1) -> Iterator[bytes]:
    """LZWDecode (PDF 32000 7.4.4): 9- to 12-bit codes, 256 clears, 257 ends; output in pieces of about
    _CHUNK bytes. The table holds at most 4,096 entries of at most 4,096 bytes, so memory is bounded."""
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    bits = 9
    previous: bytes | None = None
    buffer = 0
    held = 0
    out = bytearray()
    for chunk in chunks:
        for byte in chunk:
            buffer = (buffer << 8) | byte
            held += 8
            while held >= bits:
                held -= bits
                code = (buffer >> held) & ((1 << bits) - 1)
                buffer &= (1 << held) - 1
                if code == 256:
                    del table[258:]
                    bits = 9
                    previous = None
                    continue
                if code == 257:
                    if out:
                        yield bytes(out)
                    return
                if previous is None:
                    if code >= 256:
                        return  # damaged: PDFium decides
                    entry = table[code]
                else:
                    if code < len(table):
                        entry = table[code]
                    elif code == len(table):
                        entry = previous + previous[:1]
                    else:
                        return
                    if len(table) < 4096:
                        table.append(previous + entry[:1])
                        if len(table) + early >= 1 << bits and bits < 12:
                            bits += 1
                out += entry
                previous = entry
                if len(out) >= _CHUNK:
                    yield bytes(out)
                    out.clear()
    if out:
        yield bytes(out)


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
