"""Ruled tables on a PDF page, read from the page's own lines and character boxes.

A PDF has no tables, only glyphs at positions and lines drawn between them. Flattened in reading
order, a table loses its cell boundaries ("年初预算数 全年预算\\n数（A）…"). Here, as in the
"lattice" reading of camelot and pdfplumber, the ruling lines drawn on the page (path objects:
single strokes, rectangles, thin filled bars) are snapped and joined, grouped into tables where
horizontals and verticals meet, and cut into cells; a cell with no line between it and its neighbour
is one merged cell. Each glyph goes to the cell its centre falls in. Each table row becomes ONE line,
its cells joined by " | " — exactly what the Word reader writes for a Word table (a cell merged across
columns appears once; a cell merged across rows repeats in each row it spans, as python-docx gives
it; an empty cell keeps its slot). Text outside tables stays as PDFium gives it.

The geometry (`find_tables`, `table_rows`, `lay_out`) is pure and works on plain numbers; only
`page_lines` talks to PDFium.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jixiao.audit.stream_tables import Carry, StreamTable

# Points (1/72 inch). Lines closer than SNAP are one line (a stroke's two edges, a double rule);
# gaps up to JOIN along a line are closed; a line must reach within TOUCH of another to meet it.
SNAP = 2.0
JOIN = 3.0
TOUCH = 3.0
MIN_LENGTH = 4.0  # shorter strokes are glyph parts, ticks or the short sides of thin bars
MAX_SEGMENTS = 5000  # a page drawn with more line segments is a chart or a map: read as plain text
MAX_OBJECTS = 20000
_BREAK_AFTER = "。！？!?"


@dataclass(frozen=True, slots=True)
class Segment:
    """A horizontal line at height `at` from `start` to `end` (x), or a vertical one at x `at` (y)."""

    horizontal: bool
    at: float
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character as PDFium numbers it: its text, its box (PDF coordinates, y up), generated or not."""

    text: str
    left: float
    bottom: float
    right: float
    top: float
    generated: bool = False
    baseline: float | None = None  # the origin's y where PDFium gives it (lines of mixed fonts align on it)

    @property
    def base(self) -> float:
        return self.bottom if self.baseline is None else self.baseline

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def cy(self) -> float:
        return (self.bottom + self.top) / 2


@dataclass(slots=True)
class Table:
    """A ruled grid: column edges `xs` (left to right), row edges `ys` (top to bottom, so decreasing)
    and, for each atomic cell (row, column), the merged cell it belongs to."""

    xs: list[float]
    ys: list[float]
    region: dict[tuple[int, int], int] = field(default_factory=dict)

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[-1] <= y <= self.ys[0]

    def cell_at(self, x: float, y: float) -> int:
        column = min(max(bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        # ys decrease: count the row edges above y
        row = min(max(sum(1 for edge in self.ys if edge > y) - 1, 0), len(self.ys) - 2)
        return self.region[(row, column)]


def _clusters(values: Sequence[float], tolerance: float) -> list[list[float]]:
    out: list[list[float]] = []
    for value in sorted(values):
        if out and value - out[-1][-1] <= tolerance:
            out[-1].append(value)
        else:
            out.append([value])
    return out


def merge_segments(segments: Iterable[Segment]) -> list[Segment]:
    """Snap lines within SNAP of each other to one position and join the pieces along each line."""
    out: list[Segment] = []
    for horizontal in (True, False):
        group = [s for s in segments if s.horizontal is horizontal]
        positions = {}
        for cluster in _clusters([s.at for s in group], SNAP):
            mean = sum(cluster) / len(cluster)
            for value in cluster:
                positions[value] = mean
        by_line: dict[float, list[Segment]] = {}
        for s in group:
            by_line.setdefault(positions[s.at], []).append(s)
        for at, pieces in sorted(by_line.items()):
            pieces.sort(key=lambda s: s.start)
            start, end = pieces[0].start, pieces[0].end
            for piece in pieces[1:]:
                if piece.start <= end + JOIN:
                    end = max(end, piece.end)
                else:
                    out.append(Segment(horizontal, at, start, end))
                    start, end = piece.start, piece.end
            out.append(Segment(horizontal, at, start, end))
    return [s for s in out if s.end - s.start >= MIN_LENGTH]


def _meet(h: Segment, v: Segment) -> bool:
    return h.start - TOUCH <= v.at <= h.end + TOUCH and v.start - TOUCH <= h.at <= v.end + TOUCH


def find_tables(segments: Iterable[Segment]) -> list[Table]:
    """Ruled tables among a page's line segments: groups of meeting lines cut into merged cells."""
    lines = merge_segments(segments)
    hs = [s for s in lines if s.horizontal]
    vs = [s for s in lines if not s.horizontal]
    parent = list(range(len(hs) + len(vs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _meet(h, v):
                parent[root(i)] = root(len(hs) + j)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(root(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(root(len(hs) + j), ([], []))[1].append(v)
    tables = [_cut(h_group, v_group) for h_group, v_group in groups.values() if len(h_group) >= 2 and len(v_group) >= 2]
    return sorted(tables, key=lambda t: (-t.ys[0], t.xs[0]))


def _covers(lines: list[Segment], at: float, point: float) -> bool:
    return any(abs(s.at - at) <= SNAP and s.start - TOUCH <= point <= s.end + TOUCH for s in lines)


def _cut(hs: list[Segment], vs: list[Segment]) -> Table:
    xs = sorted({v.at for v in vs})
    ys = sorted({h.at for h in hs}, reverse=True)
    rows, columns = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(rows) for c in range(columns)}

    def root(cell: tuple[int, int]) -> tuple[int, int]:
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for r in range(rows):
        middle_y = (ys[r] + ys[r + 1]) / 2
        for c in range(columns):
            middle_x = (xs[c] + xs[c + 1]) / 2
            if c + 1 < columns and not _covers(vs, xs[c + 1], middle_y):
                parent[root((r, c + 1))] = root((r, c))
            if r + 1 < rows and not _covers(hs, ys[r + 1], middle_x):
                parent[root((r + 1, c))] = root((r, c))
    numbers: dict[tuple[int, int], int] = {}
    region = {}
    for cell in sorted(parent):
        region[cell] = numbers.setdefault(root(cell), len(numbers))
    return Table(xs, ys, region)


def cell_text(glyphs: Sequence[Glyph]) -> str:
    """A cell's glyphs as text: lines top to bottom, left to right within a line. A wrapped line joins
    the next without a space next to a Chinese character (as Word held it), with one between Latin
    words and after a sentence's end; spaces PDFium generated next to Chinese characters are dropped."""
    if not glyphs:
        return ""
    lines: list[list[Glyph]] = []
    for glyph in sorted((g for g in glyphs if not g.generated or g.text == " "), key=lambda g: -g.cy):
        height = max(glyph.top - glyph.bottom, 1.0)
        if lines and lines[-1][0].cy - glyph.cy < height / 2:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    texts: list[str] = []
    for line in lines:
        ordered = sorted(line, key=lambda g: g.cx)
        chars: list[str] = []
        for i, glyph in enumerate(ordered):
            if glyph.generated and (
                (chars and wide(chars[-1][-1:])) or (i + 1 < len(ordered) and wide(ordered[i + 1].text))
            ):
                continue
            chars.append(glyph.text)
        texts.append("".join(chars).strip())
    return join_lines(texts)


def join_lines(texts: Sequence[str]) -> str:
    """A cell's lines as one text: no space next to a Chinese character (a wrapped line, as Word held
    it), nor inside a number a narrow column wrapped ("7289" / "0" is 72890); one between Latin words
    and after a sentence's end; whitespace collapsed."""
    out = ""
    for text in texts:
        if not text:
            continue
        wrapped_number = out[-1:].isdigit() and text[0].isdigit()
        if out and not wrapped_number and (out[-1] in _BREAK_AFTER or not (wide(out[-1]) or wide(text[0]))):
            out += " "
        out += text
    return " ".join(out.split())


def join_words(words: Sequence[str]) -> str:
    """Words of one line (as OCR splits them): a space only between two Latin/number words."""
    out = ""
    for word in words:
        if out and not (wide(out[-1]) or wide(word[0])):
            out += " "
        out += word
    return out


_FOLD = str.maketrans("＞＜＝％／－，", "><=%/-,")


def is_figure(text: str) -> bool:
    """A cell that is one figure ("≥420公里", "95%", "1,237.50", "—"), not text with one in it."""
    from jixiao.audit.patterns import FIGURE_CELL

    return bool(FIGURE_CELL.fullmatch(text.translate(_FOLD).replace(" ", "").replace(",", "")))


def wide(char: str) -> bool:
    """A CJK character or full-width punctuation: no space is written next to it."""
    return bool(char) and ord(char[0]) >= 0x2E80


def table_rows(table: Table, texts: dict[int, str]) -> list[str]:
    """Rows as pipe lines. A band whose cells all continue from the band above (no cell starts in it)
    adds nothing; a row with no text at all is left out, as the Word reader does."""
    rows: list[str] = []
    previous: list[int] = []
    for r in range(len(table.ys) - 1):
        ids: list[int] = []
        for c in range(len(table.xs) - 1):
            number = table.region[(r, c)]
            if number not in ids:
                ids.append(number)
        if ids == previous:
            continue
        previous = ids
        cells = [texts.get(number, "") for number in ids]
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def lay_out(glyphs: Sequence[Glyph], tables: Sequence[Table], streams: Sequence[StreamTable] = ()) -> list[str]:
    """A page's lines: glyphs outside tables in PDFium's order (its generated line breaks kept), each
    table's rows in its place (where its first glyph was). Tables without text are not tables;
    `streams` are unruled tables (`audit.stream_tables`) found among the glyphs outside `tables`."""
    where: list[int | None] = []
    members: dict[int, dict[int, list[Glyph]]] = {}
    for glyph in glyphs:
        found = None
        for number, table in enumerate(tables):
            if table.contains(glyph.cx, glyph.cy):
                found = number
                if not glyph.generated or glyph.text == " ":
                    members.setdefault(number, {}).setdefault(table.cell_at(glyph.cx, glyph.cy), []).append(glyph)
                break
        else:
            for number, stream in enumerate(streams, start=len(tables)):
                if stream.contains(glyph.cx, glyph.cy):
                    found = number
                    break
        where.append(found)
    rows_of: dict[int, list[str]] = {}
    for number, cells in members.items():
        texts = {cell: cell_text(items) for cell, items in cells.items()}
        if sum(1 for text in texts.values() if text) >= 2:
            rows_of[number] = table_rows(tables[number], texts)
    for number, stream in enumerate(streams, start=len(tables)):
        rows_of[number] = stream.rows
    lines: list[str] = []
    buffer: list[str] = []
    done: set[int] = set()
    for glyph, inside in zip(glyphs, where, strict=True):
        if inside is None or inside not in rows_of:
            buffer.append(glyph.text)
            continue
        if inside in done:
            continue
        done.add(inside)
        _flush(buffer, lines)
        buffer = []
        lines.extend(rows_of[inside])
        buffer.append("\0")  # marks "a table just ended" for the flush of what follows
    _flush(buffer, lines)
    return lines


def _flush(buffer: list[str], lines: list[str]) -> None:
    """Text between tables as lines; the line breaks PDFium put at a table's edges make no empty lines."""
    text = "".join(buffer)
    if not text:
        return
    follows_table = text.startswith("\0")
    text = text.lstrip("\0").replace("\r\n", "\n").replace("\r", "\n")
    pieces = text.split("\n")
    if follows_table and pieces and not pieces[0].strip():
        pieces = pieces[1:]
    if pieces and not pieces[-1] and len(pieces) > 1:
        pieces = pieces[:-1]
    lines.extend(pieces)


# --- PDFium -----------------------------------------------------------------------------------


def page_lines(page: Any, textpage: Any, carry: Carry | None = None) -> list[str]:
    """One page's lines, ruled tables (first) and unruled ones as pipe rows; a page with neither reads
    as PDFium's text. `carry` passes an unruled table's columns on to the next page."""
    from jixiao.audit.stream_tables import stream_tables

    segments = ruling_segments(page)
    tables = find_tables(segments) if segments else []
    text: str = textpage.get_text_range()
    if not tables and not _may_hold_columns(text):
        if carry is not None:
            carry.edges, carry.starts, carry.spans = None, [], []
        return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    glyphs = read_glyphs(textpage)
    outside = [g for g in glyphs if not any(t.contains(g.cx, g.cy) for t in tables)]
    streams = stream_tables(outside, carry)
    if not tables and not streams:
        return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lay_out(glyphs, tables, streams)


def _may_hold_columns(text: str) -> bool:
    """PDFium writes a space where a line has a gap: without three lines of three or more pieces,
    two in three of them short (cells, not prose with a spaced figure in it), a page has no unruled
    table, and its characters need not be read one by one."""
    count = 0
    for line in text.replace("\r", "\n").split("\n"):
        pieces = line.split()
        if len(pieces) >= 3 and 3 * sum(1 for piece in pieces if len(piece) <= 8) >= 2 * len(pieces):
            count += 1
            if count >= 3:
                return True
    return False


def read_glyphs(textpage: Any) -> list[Glyph]:
    import pypdfium2.raw as raw

    handle = textpage.raw
    box = raw.FS_RECTF()
    ref = ctypes.byref(box)
    x, y = ctypes.c_double(), ctypes.c_double()
    out: list[Glyph] = []
    for index in range(raw.FPDFText_CountChars(handle)):
        code = raw.FPDFText_GetUnicode(handle, index)
        # The loose box spans the font's height, so "." and "，" sit on their line like "数" does.
        raw.FPDFText_GetLooseCharBox(handle, index, ref)
        raw.FPDFText_GetCharOrigin(handle, index, ctypes.byref(x), ctypes.byref(y))
        out.append(
            Glyph(chr(code) if code else "", box.left, box.bottom, box.right, box.top,
                  bool(raw.FPDFText_IsGenerated(handle, index)), y.value)
        )
    return out


def ruling_segments(page: Any) -> list[Segment]:
    """Axis-parallel straight pieces of every path on the page (and in its form XObjects), in page
    coordinates. Curves are skipped; a page with too many pieces gives none (charts, maps)."""
    import pypdfium2.raw as raw

    out: list[Segment] = []
    stack: list[tuple[Any, tuple[float, ...]]] = []
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    count = raw.FPDFPage_CountObjects(page.raw)
    if count > MAX_OBJECTS:
        return []
    for i in range(count):
        stack.append((raw.FPDFPage_GetObject(page.raw, i), identity))
    matrix = raw.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    seen = 0
    while stack:
        obj, outer = stack.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
            inner = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            for k in range(raw.FPDFFormObj_CountObjects(obj)):
                seen += 1
                if seen > MAX_OBJECTS:
                    return []
                stack.append((raw.FPDFFormObj_GetObject(obj, k), inner))
            continue
        if kind != raw.FPDF_PAGEOBJ_PATH:
            continue
        raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
        m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
        first: tuple[float, float] | None = None
        last: tuple[float, float] | None = None
        for k in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, k)
            raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
            point = (m[0] * x.value + m[2] * y.value + m[4], m[1] * x.value + m[3] * y.value + m[5])
            kind_of = raw.FPDFPathSegment_GetType(segment)
            if kind_of == raw.FPDF_SEGMENT_MOVETO:
                first = point
            elif kind_of == raw.FPDF_SEGMENT_LINETO and last is not None:
                _add(out, last, point)
            last = point
            if raw.FPDFPathSegment_GetClose(segment) and first is not None:
                _add(out, point, first)
            if len(out) > MAX_SEGMENTS:
                return []
    return out


def _compose(m: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """m then outer (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _add(out: list[Segment], p: tuple[float, float], q: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) <= 0.5 and abs(x1 - x0) > 0.5:
        out.append(Segment(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x0 - x1) <= 0.5 and abs(y1 - y0) > 0.5:
        out.append(Segment(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def join_pages(pages: Sequence[Sequence[str]]) -> list[str]:
    """The pages' lines in order, with a table row that a page break split put back together.

    Word and LibreOffice let a row break across pages: the next page's first row then holds only the
    rest of the cells that wrapped ("违法行为责停" on one page, " |  | 率 |  | …" on the next). Such a row
    has the same cells, no cell that is a figure of its own (text with a figure in it — a 偏差原因's
    "7月强降雨造成…", a target's "95%以上" — may run on), and text only where the row before it has
    text, and leaves some of those empty (a header repeated on the new page fills them all); a page
    number or a short running line between the two is passed over."""
    out: list[str] = []
    for page in pages:
        lines = list(page)
        first = next((k for k, line in enumerate(lines[:3]) if line.strip()), None)
        last = next((k for k in range(len(out) - 1, max(len(out) - 4, -1), -1) if " | " in out[k]), None)
        if first is not None and last is not None and all(len(x.strip()) <= 12 for x in out[last + 1 :]):
            joined = _continued_row(out[last], lines[first])
            if joined is not None:
                out[last] = joined
                del lines[first]
        out.extend(lines)
    return out


def _continued_row(above: str, row: str) -> str | None:
    upper, lower = above.split(" | "), row.split(" | ")
    if len(upper) != len(lower) or any(is_figure(cell.strip()) for cell in lower):
        return None  # a figure of its own ("10", "≥95%") starts a row; a figure inside text does not
    filled = [bool(c.strip()) for c in lower]
    if not any(filled) or any(f and not u.strip() for f, u in zip(filled, upper, strict=True)):
        return None
    if all(f or not u.strip() for f, u in zip(filled, upper, strict=True)):
        return None  # every cell above continued: a header written again, not the rest of a row
    return " | ".join(join_lines([u, c]) if c.strip() else u for u, c in zip(upper, lower, strict=True))
