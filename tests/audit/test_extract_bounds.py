"""Hostile files made here, small to produce: each is refused with a Chinese message naming the file,
in bounded memory, and a batch goes on with the next document."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from audit.conftest import SEED
from hostile import run_measured
from jixiao.audit.bounds import MAX_LINE_CHARS, MAX_STREAM_BYTES, MAX_TEXT_FILE_BYTES, check_pdf_streams
from jixiao.audit.extract import extract
from jixiao.io.errors import InputError


def deflated_zeros(megabytes: int, layers: int = 1) -> bytes:
    packer = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    data = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    return data


def pdf_with_content(content: bytes, filters: str = "/FlateDecode") -> bytes:
    """A one-page PDF whose page content stream is `content` (already encoded with `filters`)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(content), filters.encode()) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        extract(path)
    assert caught.value.source == str(path)
    return str(caught.value)


def test_compressed_stream_bomb_is_refused_before_pdfium_inflates_it(tmp_path: Path) -> None:
    path = tmp_path / "炸弹.pdf"
    path.write_bytes(pdf_with_content(deflated_zeros(MAX_STREAM_BYTES // 1024 // 1024 + 8)))
    assert path.stat().st_size < 200_000
    message = refusal(path)
    assert str(path) in message and "压缩炸弹" in message


def test_a_bomb_hidden_under_two_flate_layers_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "双层.pdf"
    path.write_bytes(pdf_with_content(deflated_zeros(80, layers=2), "[/FlateDecode /FlateDecode]"))
    assert path.stat().st_size < 10_000
    assert "压缩炸弹" in refusal(path)


def lzw_pack(codes: list[int], early: int = 1) -> bytes:
    """Pack LZW codes with the widths a PDF reader expects (9 to 12 bits, growing as the table fills)."""
    bits, size, first = 9, 258, True
    value, held, out = 0, 0, bytearray()
    for code in codes:
        value, held = (value << bits) | code, held + bits
        while held >= 8:
            held -= 8
            out.append((value >> held) & 0xFF)
        value &= (1 << held) - 1
        if code == 256:
            bits, size, first = 9, 258, True
        elif first:
            first = False
        elif size < 4096:
            size += 1
            if size + early >= 1 << bits and bits < 12:
                bits += 1
    if held:
        out.append((value << (8 - held)) & 0xFF)
    return bytes(out)


def lzw_zeros(repeats: int) -> bytes:
    """LZW codes for zeros: the table grows one zero longer per code, then its longest entry repeats."""
    return lzw_pack([256, 0, *range(258, 4096), *[4095] * repeats, 257])


def test_lzw_decoding_is_pdfs() -> None:
    from jixiao.audit.bounds import _lzw_decode

    assert b"".join(_lzw_decode([lzw_zeros(3)])) == b"\0" * (sum(range(1, 3840)) + 3 * 3839)
    # PDF 32000's own example: 80 01 60 50 22 0C 0C 85 01 is "-----A---B"
    assert b"".join(_lzw_decode([bytes.fromhex("800b6050220c0c8501")])) == b"-----A---B"


@pytest.mark.parametrize(
    ("content", "filters"),
    [
        (lzw_zeros(20_000), "/LZWDecode"),  # 30 KB → 77 MB
        (b"\x81\x00" * (40 * 1024 * 1024 // 128) + b"\x80", "/RunLengthDecode"),  # 640 KB → 40 MB … twice
        (zlib.compress(b"\x81\x00" * (70 * 1024 * 1024 // 128), 9), "[/FlateDecode /RunLengthDecode]"),
    ],
    ids=["lzw", "run-length-under-cap", "flate-then-run-length"],
)
def test_lzw_and_run_length_bombs_are_refused(tmp_path: Path, content: bytes, filters: str) -> None:
    path = tmp_path / "炸弹.pdf"
    path.write_bytes(pdf_with_content(content, filters))
    if filters == "/RunLengthDecode":
        check_pdf_streams(path.read_bytes(), str(path))  # 40 MB: under the 64 MB bound, read
        path.write_bytes(pdf_with_content(content[:-1] * 2 + b"\x80", filters))
    assert "压缩炸弹" in refusal(path)


def test_real_pdfs_pass_the_stream_check(seed_pdf: Path) -> None:
    check_pdf_streams(seed_pdf.read_bytes(), str(seed_pdf))
    assert "102.86%" in "".join(extract(seed_pdf).lines)


def test_huge_one_line_text_is_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "一行.txt"
    with path.open("wb") as out:
        out.write(SEED.read_bytes().replace(b"\n", b" "))
        out.truncate(MAX_TEXT_FILE_BYTES + 1)  # a sparse tail: large, cheap to make
    with path.open("r+b") as out:
        out.seek(MAX_TEXT_FILE_BYTES)
        out.write(b"x")
    assert "文本文件过大" in refusal(path)


def test_a_line_past_the_bound_is_refused_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "长行.txt"
    path.write_text("第一行\n" + "预算执行率100%，" * (MAX_LINE_CHARS // 9 + 10) + "\n", encoding="utf-8")
    message = refusal(path)
    assert "第2行" in message and "一行长达" in message


def test_a_batch_goes_on_past_the_hostile_files_in_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "a-bomb.pdf"
    bomb.write_bytes(pdf_with_content(deflated_zeros(300)))
    long_line = tmp_path / "b-long.txt"
    long_line.write_text("数" * (MAX_LINE_CHARS + 1), encoding="utf-8")
    seed = tmp_path / "c-seed.txt"
    seed.write_bytes(SEED.read_bytes())
    done, peak_kb = run_measured("audit", "-f", "json", tmp_path)
    assert done.returncode == 2, done.stderr
    assert "a-bomb.pdf" in done.stdout and "压缩炸弹" in done.stdout
    assert "b-long.txt" in done.stdout and "一行长达" in done.stdout
    assert "c-seed.txt" in done.stdout
    assert peak_kb < 400 * 1024, f"peak {peak_kb} KB"  # was 2.1 GB for a 1 MB bomb
