"""Scanned PDF pages read by OCR: Debian's tesseract (chi_sim), words with their boxes, tables by their ruling.

A page with no text layer is rendered (PDFium) to a grey image. Its ruling lines are found in the
pixels (long runs of dark pixels, across and down), turned into the same line segments a text PDF's
paths give, and painted out so that tesseract reads the cells' text instead of guessing glyphs in the
borders. Tesseract (`--psm 6`, TSV output) gives every word with its box; words become glyphs in PDF
points; ruled tables become one pipe line per row (each cell read on its own), the rest lines in
tesseract's reading order.

Chosen by measurement (docs/audit.md): tesseract 5 with chi_sim reads report prose at 0.999 of
characters right; rapidocr was less accurate and slower. Tesseract runs as a subprocess, one thread
(OMP_THREAD_LIMIT=1: on a loaded machine its threads only slow it down), with a time limit per page
and for the whole document, and at most MAX_OCR_PAGES pages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jixiao.audit.pdf_tables import Segment, Table, find_tables, join_lines, join_words, table_rows

DPI = 200
MAX_SIDE_PIXELS = 3000  # an A4 page at 200 dpi is 1654 × 2339
MAX_OCR_PAGES = 50
MAX_WORKERS = 4  # parallel tesseract runs for one page's images
# Measured on a 自评表 page at 200 dpi: 107 cells, 109,000 dark pixels, 1.6 s of tesseract CPU beside
# its model load (0.25 s); the page's prose around the table, 9,400 dark pixels, 0.1 s.
INK_PER_IMAGE = 500
MIN_INK_PER_RUN = 20_000
PAGE_SECONDS = 60.0
DOCUMENT_SECONDS = 300.0
LANGUAGE = "chi_sim"
INSTALL_HINT = "请以 root 运行 apt-get install -y tesseract-ocr tesseract-ocr-chi-sim（或 scripts/system-packages.sh）后重试"


class OcrUnavailable(Exception):
    """Tesseract or its Chinese model is not installed; the message says what to install."""


class OcrFailed(Exception):
    """Tesseract ran and failed (or took too long); the message is Chinese."""


@lru_cache(maxsize=1)
def tesseract() -> str:
    """The tesseract program, checked once per process to have the Chinese model."""
    program = shutil.which("tesseract")
    if program is None:
        raise OcrUnavailable(f"未安装文字识别（OCR）程序 tesseract：{INSTALL_HINT}")
    try:
        done = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrUnavailable(f"文字识别程序 tesseract 无法运行（{type(exc).__name__}）：{INSTALL_HINT}") from None
    if LANGUAGE not in (done.stdout + done.stderr).split():
        raise OcrUnavailable(f"文字识别程序 tesseract 缺少简体中文模型 chi_sim：{INSTALL_HINT}")
    return program


@dataclass(frozen=True, slots=True)
class Word:
    """One word tesseract read: its text and box in pixels (top-left origin), and its line."""

    text: str
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]  # block, paragraph, line
    page: int = 1  # which image of a multi-image run


def parse_tsv(tsv: str) -> list[Word]:
    """Words (level 5 rows) from tesseract's TSV output, empty ones dropped."""
    out: list[Word] = []
    for row in tsv.splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        if not text:
            continue
        try:
            page, block, paragraph, line, left, top, width, height = (int(parts[i]) for i in (1, 2, 3, 4, 6, 7, 8, 9))
        except ValueError:
            continue
        out.append(Word(text, left, top, width, height, (block, paragraph, line), page))
    return out


def ruling(image: Any, scale: float) -> tuple[list[Segment], Any]:
    """Ruling lines found in a grey image (runs of dark pixels at least 0.3 inch long, across and down)
    as segments in PDF points, and the image with those lines painted white."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image.convert("L"))
    dark = pixels < 160
    length = max(int(0.3 * 72 * scale), 8)  # 0.3 inch
    across = _runs(dark, length)
    down = _runs(dark.T, length).T
    height = pixels.shape[0]
    segments: list[Segment] = []
    for y, start, end in _spans(across):
        segments.append(Segment(True, (height - y) / scale, start / scale, end / scale))
    for x, start, end in _spans(down.T):
        segments.append(Segment(False, x / scale, (height - end) / scale, (height - start) / scale))
    lines = across | down
    # One pixel around each line too: the grey edge of an anti-aliased stroke.
    grown = lines.copy()
    grown[1:, :] |= lines[:-1, :]
    grown[:-1, :] |= lines[1:, :]
    grown[:, 1:] |= lines[:, :-1]
    grown[:, :-1] |= lines[:, 1:]
    cleaned = pixels.copy()
    cleaned[grown] = 255
    return segments, Image.fromarray(cleaned)


def _runs(mask: Any, length: int) -> Any:
    """The pixels of `mask` lying in a horizontal run of at least `length` (a morphological opening)."""
    import numpy as np

    rows, columns = mask.shape
    if columns < length:
        return np.zeros_like(mask)
    sums = np.zeros((rows, columns + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=sums[:, 1:])
    full = (sums[:, length:] - sums[:, :-length]) == length  # a run of `length` starts at x
    out = np.zeros((rows, columns + 1), dtype=np.int32)
    out[:, : columns - length + 1] += full
    out[:, length : columns + 1] -= full
    return np.cumsum(out, axis=1)[:, :columns] > 0


def _spans(mask: Any) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of True in each row of `mask`."""
    import numpy as np

    out: list[tuple[int, int, int]] = []
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    changes = np.diff(padded, axis=1)
    for row in np.nonzero(changes.any(axis=1))[0]:
        starts = np.nonzero(changes[row] == 1)[0]
        ends = np.nonzero(changes[row] == -1)[0]
        out.extend((int(row), int(s), int(e)) for s, e in zip(starts, ends, strict=True))
    return out


def render(page: Any) -> tuple[Any, float]:
    """The page as a grey PIL image at DPI (smaller for a huge page), and the pixels per point."""
    width, height = page.get_size()
    scale = min(DPI / 72, MAX_SIDE_PIXELS / max(width, height, 1.0))
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        return bitmap.to_pil().convert("L"), scale
    finally:
        bitmap.close()


def read_image(image: Any, scale: float, timeout: float = PAGE_SECONDS) -> list[str]:
    """An image's lines: ruled tables as pipe rows (each cell read on its own, so text wrapped in one
    cell never mixes with its neighbour's), the rest in tesseract's reading order, tables in place."""
    segments, cleaned = ruling(image, scale)
    tables = [t for t in find_tables(segments)] if segments else []
    height = image.height
    prose = cleaned.copy()
    crops: list[Any] = [prose]
    owners: list[tuple[int, int]] = [(-1, -1)]  # (table, cell) of each image after the first
    for number, table in enumerate(tables):
        box = _pixels(table.xs[0], table.ys[0], table.xs[-1], table.ys[-1], height, scale)
        prose.paste(255, box)
        for cell, (left, top, right, bottom) in _cells(table).items():
            crop = _crop(cleaned, _pixels(left, top, right, bottom, height, scale))
            if crop is not None:
                crops.append(crop)
                owners.append((number, cell))
    pages = _tesseract(crops, round(scale * 72), timeout)
    entries: list[tuple[float, list[str]]] = []
    for line in word_lines(pages.get(1, [])):
        entries.append((line[0].top, [join_words([w.text for w in line])]))
    texts: dict[int, dict[int, list[str]]] = {}
    for page_number, (number, cell) in enumerate(owners[1:], start=2):
        lines = [join_words([w.text for w in line]) for line in word_lines(pages.get(page_number, []))]
        texts.setdefault(number, {})[cell] = lines
    for number, table in enumerate(tables):
        cells = {cell: join_lines(lines) for cell, lines in texts.get(number, {}).items()}
        top = height - table.ys[0] * scale
        if sum(1 for text in cells.values() if text) >= 2:
            entries.append((top, table_rows(table, cells)))
    entries.sort(key=lambda entry: entry[0])
    return [line for _, lines in entries for line in lines]


def _cells(table: Table) -> dict[int, tuple[float, float, float, float]]:
    """Each merged cell's box in points: left, top, right, bottom (y up)."""
    boxes: dict[int, tuple[float, float, float, float]] = {}
    for (row, column), cell in table.region.items():
        box = (table.xs[column], table.ys[row], table.xs[column + 1], table.ys[row + 1])
        if cell in boxes:
            old = boxes[cell]
            box = (min(old[0], box[0]), max(old[1], box[1]), max(old[2], box[2]), min(old[3], box[3]))
        boxes[cell] = box
    return boxes


def _pixels(left: float, top: float, right: float, bottom: float, height: int, scale: float) -> tuple[int, int, int, int]:
    return (round(left * scale), round(height - top * scale), round(right * scale), round(height - bottom * scale))


def _crop(image: Any, box: tuple[int, int, int, int]) -> Any | None:
    """The cell's pixels inside its lines, on a white margin; None for a cell with nothing in it."""
    from PIL import Image

    left, top, right, bottom = box
    inset = 3
    if right - left <= 2 * inset or bottom - top <= 2 * inset:
        return None
    crop = image.crop((left + inset, top + inset, right - inset, bottom - inset))
    if crop.getextrema()[0] >= 160:
        return None
    margin = 16
    out = Image.new("L", (crop.width + 2 * margin, crop.height + 2 * margin), 255)
    out.paste(crop, (margin, margin))
    return out


def word_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into tesseract's lines, in its reading order."""
    out: list[list[Word]] = []
    for word in words:
        if out and out[-1][-1].line == word.line:
            out[-1].append(word)
        else:
            out.append([word])
    return out


def _tesseract(images: list[Any], dpi: int, timeout: float) -> dict[int, list[Word]]:
    """OCR several images, words per image numbered from 1. Each run reads a list of images (the model
    loads once per run); with cores to spare the images are shared between parallel runs, each image
    read on its own either way, so the words are the same."""
    import tempfile

    groups = _groups([_ink(image) for image in images], _workers())
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    deadline = time.monotonic() + max(timeout, 1.0)
    with tempfile.TemporaryDirectory(prefix="jixiao-ocr-") as work:
        runs: list[tuple[list[int], subprocess.Popen[bytes]]] = []
        try:
            for group, members in enumerate(groups):
                names = []
                for number in members:
                    # Uncompressed (PGM): the same pixels as PNG, written 20 times faster.
                    name = os.path.join(work, f"{number:04d}.pgm")
                    images[number].save(name, format="PPM")
                    names.append(name)
                listing = os.path.join(work, f"images-{group}.txt")
                with open(listing, "w", encoding="utf-8") as out:
                    out.write("\n".join(names) + "\n")
                command = [tesseract(), listing, "stdout", "-l", LANGUAGE, "--psm", "6", "--dpi", str(dpi),
                           "-c", "tessedit_do_invert=0", "tsv"]
                runs.append((members, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)))
            pages: dict[int, list[Word]] = {}
            for members, run in runs:
                try:
                    stdout, _ = run.communicate(timeout=max(deadline - time.monotonic(), 0.01))
                except subprocess.TimeoutExpired:
                    raise OcrFailed(f"文字识别单页超过 {timeout:.0f} 秒，已停止") from None
                if run.returncode != 0:
                    raise OcrFailed(f"文字识别失败（tesseract 退出码 {run.returncode}）")
                for word in parse_tsv(stdout.decode("utf-8", errors="replace")):
                    pages.setdefault(members[word.page - 1] + 1, []).append(word)
        finally:
            for _, run in runs:
                if run.poll() is None:
                    run.kill()
                    run.wait()
    return pages


def _workers() -> int:
    """Parallel tesseract runs: the cores this process may use that are not already busy (by the load
    average), 1 to MAX_WORKERS. On a busy machine another run only adds its model load (measured at
    load 15 on 2 cores: no faster, 0.1–0.4 s more CPU)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        busy = int(os.getloadavg()[0])
    except OSError:
        busy = 0
    return max(1, min(cores - busy, MAX_WORKERS))


def _ink(image: Any) -> int:
    """What reading an image costs, near enough: its dark pixels (tesseract's time goes with the text,
    not the white around it), plus a little for each image."""
    return int(sum(image.histogram()[:160])) + INK_PER_IMAGE


def _groups(sizes: list[int], workers: int) -> list[list[int]]:
    """The images' indices shared into at most `workers` groups of about equal cost (largest first to
    the lightest group), each group in input order. A run costs a model load (~0.25 s of CPU): images
    too few to pay for it stay in one group."""
    count = max(1, min(workers, len(sizes), sum(sizes) // MIN_INK_PER_RUN))
    groups: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for index in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        lightest = loads.index(min(loads))
        groups[lightest].append(index)
        loads[lightest] += sizes[index]
    return [sorted(group) for group in groups if group]


def read_pages(pdf: Any, indices: list[int]) -> dict[int, list[str]]:
    """OCR the given pages (0-based) of an open PdfDocument, within the page and time bounds."""
    tesseract()
    if len(indices) > MAX_OCR_PAGES:
        raise OcrFailed(f"需要文字识别的扫描页共 {len(indices)} 页，超过上限 {MAX_OCR_PAGES} 页")
    started = time.monotonic()
    out: dict[int, list[str]] = {}
    for index in indices:
        left = DOCUMENT_SECONDS - (time.monotonic() - started)
        if left <= 0:
            raise OcrFailed(f"文字识别超过 {DOCUMENT_SECONDS:.0f} 秒（已识别 {len(out)} 页），已停止")
        page = pdf[index]
        try:
            image, scale = render(page)
        finally:
            page.close()
        out[index] = read_image(image, scale, min(PAGE_SECONDS, left))
    return out
