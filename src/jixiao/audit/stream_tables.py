"""Tables drawn without ruling lines ("stream" tables), read from where the characters stand.

A 自评表 exported without borders, or laid out by whitespace alone, has no lines to cut it into
cells: only its characters' positions say where a column ends. Here, as in the "stream" reading of
camelot and pdfplumber, the page's characters are put on lines by their baseline, each line is cut
into fragments where a gap wider than about a character opens, and a run of lines where several
fragments stand side by side is a table region. Its columns are the x-ranges that (nearly) no
fragment crosses — the whitespace rivers running down the region; a fragment that crosses one is a
cell merged across those columns, and is written once, as the Word reader writes such a cell.

Rows are the hard part: a cell wrapped over two lines and two one-line rows stand alike. A row is
a band of lines standing closer than a line's pitch to each other (a vertically centred table puts
a two-line cell's lines half a pitch above and below its row's one-line cells) that holds cells in
two or more columns; a line with one cell only, or with no figure whose every cell goes on a cell
of a neighbouring row line by line, continues that row: the cell above in a top-aligned table, the
one it centres on in a centred table. Each row becomes one pipe line with an empty slot per empty
column, the lines the grid readers get from Word and from ruled PDF tables.

Everything here is pure geometry on `Glyph`s (plain numbers); `pdf_tables` calls it for a page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

from jixiao.audit.pdf_tables import Glyph, join_lines, wide

GAP = 0.75  # of a line's height: a wider gap between two characters of one line separates two cells
LINE = 0.3  # of a line's height: baselines closer than this are one line (fonts' boxes differ)
HALF = 0.75  # of the pitch: lines closer than this are one row (a centred cell's half-line offset)
NEAR = 1.4  # of the pitch: a continuation stands at most this far from the cell it continues
MIN_ROWS = 3  # lines with several cells a region needs to be a table
MIN_COLUMNS = 3
_FIGURE = re.compile(r"^[≥≤>＞<＜=＝]?[-−]?\d[\d,，.]*\s*(%|％|分|万元|元|亿元)?$|^[—–\-/／]$")


@dataclass(slots=True)
class Fragment:
    """Characters of one line with no cell-wide gap between them."""

    glyphs: list[Glyph]
    left: float
    right: float
    y: float
    text: str = ""
    first: int = 0  # the first and last column it covers
    last: int = 0


@dataclass(slots=True)
class Line:
    y: float
    height: float
    fragments: list[Fragment] = field(default_factory=list)


@dataclass(slots=True)
class StreamTable:
    """A region of a page read as a table: its lines' extent and the rows as pipe lines."""

    left: float
    right: float
    top: float
    bottom: float
    rows: list[str]

    def contains(self, x: float, y: float) -> bool:
        return self.left - 1 <= x <= self.right + 1 and self.bottom <= y <= self.top


def text_lines(glyphs: Sequence[Glyph]) -> list[Line]:
    """Characters on lines by baseline, top to bottom; spaces and generated characters dropped."""
    visible = sorted((g for g in glyphs if not g.generated and g.text.strip()), key=lambda g: -g.base)
    lines: list[Line] = []
    members: list[list[Glyph]] = []
    for glyph in visible:
        height = max(glyph.top - glyph.bottom, 1.0)
        if lines and lines[-1].y - glyph.base <= LINE * max(height, lines[-1].height):
            members[-1].append(glyph)
            continue
        lines.append(Line(glyph.base, height))
        members.append([glyph])
    for line, items in zip(lines, members, strict=True):
        items.sort(key=lambda g: g.left)
        line.height = median(g.top - g.bottom for g in items)
        current = [items[0]]
        for glyph in items[1:]:
            if glyph.left - current[-1].right >= GAP * line.height:
                line.fragments.append(_fragment(current, line.y))
                current = []
            current.append(glyph)
        line.fragments.append(_fragment(current, line.y))
    return lines


def _fragment(glyphs: list[Glyph], y: float) -> Fragment:
    text = ""
    for glyph in glyphs:
        if text and glyph.left - _last_right(glyphs, glyph) > 0.2 * (glyph.top - glyph.bottom) and not (
            wide(text[-1]) or wide(glyph.text)
        ):
            text += " "  # a Latin word space the layout wrote (its space glyph was dropped)
        text += glyph.text
    return Fragment(glyphs, glyphs[0].left, max(g.right for g in glyphs), y, text)


def _last_right(glyphs: list[Glyph], glyph: Glyph) -> float:
    index = glyphs.index(glyph)
    return glyphs[index - 1].right if index else glyph.left


def find_regions(lines: Sequence[Line]) -> list[list[Line]]:
    """Runs of lines where fragments stand side by side: at least MIN_ROWS lines of several
    fragments, no wider vertical gap than 4 lines (a row padded in a web page); a one-fragment line as wide as 60% of the
    page's text (a line of prose) ends a run, shorter ones (a wrapped cell's line) stay in it."""
    if not lines:
        return []
    left = min(f.left for line in lines for f in line.fragments)
    right = max(f.right for line in lines for f in line.fragments)
    regions: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        prose = len(line.fragments) == 1 and line.fragments[0].right - line.fragments[0].left >= 0.6 * (right - left)
        if prose or (current and current[-1].y - line.y > 4 * max(line.height, current[-1].height)):
            regions.extend(_trim(current))
            current = []
        if not prose:
            current.append(line)
    regions.extend(_trim(current))
    return regions


def _trim(part: list[Line]) -> list[list[Line]]:
    while part and len(part[0].fragments) < 2:
        part = part[1:]
    while part and len(part[-1].fragments) < 2:
        part = part[:-1]
    if sum(1 for line in part if len(line.fragments) >= 2) < MIN_ROWS:
        return []
    return [part]


def column_edges(region: Sequence[Line]) -> list[float]:
    """Column separators: x-ranges that fewer than one in twelve of the region's lines cross with a
    fragment of a common width, each at the middle of its whitespace. A fragment three times as wide
    as the region's median one (a title, a sentence in a merged cell) does not vote: it may cross."""
    fragments = [f for line in region for f in line.fragments]
    typical = 3 * median(f.right - f.left for f in fragments)
    voters = [f for f in fragments if f.right - f.left <= typical] or fragments
    left = min(f.left for f in fragments)
    right = max(f.right for f in fragments)
    width = int(right - left) + 1
    cover = [0] * (width + 1)
    for f in voters:
        for x in range(int(f.left - left), int(f.right - left) + 1):
            cover[x] += 1
    allowed = len(region) // 12
    edges: list[float] = []
    start: int | None = None
    for x in range(width + 2):
        if x <= width and cover[x] <= allowed:
            if start is None:
                start = x
        elif start is not None:
            edges.extend(left + middle for middle in _lowest(cover, start, x, width))
            start = None
    return edges


def _lowest(cover: list[int], start: int, end: int, width: int) -> list[float]:
    """The middles of the least-covered stretches of a thinly covered run (a column of few cells
    is thin too: only its gaps are edges), not at the region's sides."""
    least = min(cover[start:end])
    out: list[float] = []
    x = start
    while x < end:
        if cover[x] != least:
            x += 1
            continue
        run = x
        while x < end and cover[x] == least:
            x += 1
        if run > 0 and x <= width and x - run >= 2:
            out.append((run + x) / 2)
    return out


def assign_columns(region: Sequence[Line], edges: Sequence[float]) -> None:
    for line in region:
        for f in line.fragments:
            f.first = sum(1 for e in edges if e < f.left)
            f.last = sum(1 for e in edges if e < f.right)


def is_figure(text: str) -> bool:
    return bool(_FIGURE.match(text.replace(" ", "")))


@dataclass(slots=True)
class Row:
    lines: list[Line]
    fragments: list[Fragment] = field(default_factory=list)

    @property
    def centre(self) -> float:
        return (self.lines[0].y + self.lines[-1].y) / 2

    def columns(self) -> set[int]:
        return {c for f in self.fragments for c in range(f.first, f.last + 1)}


def build_rows(region: Sequence[Line]) -> list[Row]:
    """Lines into rows (see the module's doc)."""
    steps = [a.y - b.y for a, b in zip(region, region[1:], strict=False)]
    height = median(line.height for line in region)
    full = [s for s in steps if s >= HALF * height * 1.2]
    pitch = median(full) if full else height * 1.2
    # The lines holding most cells are the rows' centres; a line within half a pitch of a centre
    # (not of another such line: rows do not chain) is part of its row.
    def weight(line: Line) -> tuple[int, int]:
        near = [other for other in region if abs(other.y - line.y) < HALF * pitch]
        return (-len({f.first for f in line.fragments}), -len({(o.y, f.first) for o in near for f in o.fragments}))

    centres: list[Line] = []
    for line in sorted(region, key=weight):
        if not any(abs(c.y - line.y) < HALF * pitch for c in centres):
            centres.append(line)
    bands = [[c] for c in sorted(centres, key=lambda c: -c.y)]
    for line in region:
        if line in centres:
            continue
        nearest = min(bands, key=lambda band: abs(band[0].y - line.y))
        nearest.append(line)
    for band in bands:
        band.sort(key=lambda line: -line.y)
    centred = any(len(band) > 1 for band in bands)
    rows: list[Row] = []
    loose: list[tuple[int, Fragment]] = []  # (band index, fragment) to attach to a row
    band_row: list[int | None] = []
    for k, band in enumerate(bands):
        fragments = [f for line in band for f in line.fragments]
        columns = {f.first for f in fragments}
        if len(columns) >= 2 and not _continues(k, bands, fragments, pitch):
            rows.append(Row(band, fragments))
            band_row.append(len(rows) - 1)
        else:
            band_row.append(None)
            loose.extend((k, f) for f in fragments)
    if not rows:
        return []
    for k, fragment in loose:
        rows[_home(k, fragment, bands, band_row, rows, pitch, centred)].fragments.append(fragment)
    return rows


def _continues(k: int, bands: list[list[Line]], fragments: list[Fragment], pitch: float) -> bool:
    """A band of several cells with no figure continues the band above (top-aligned wrapping) when
    each of its cells stands under a cell of that band, at most one under each, within NEAR pitch."""
    if k == 0 or any(is_figure(f.text) for f in fragments):
        return False
    above = bands[k - 1]
    if above[-1].y - bands[k][0].y > NEAR * pitch:
        return False
    upper = [f for line in above for f in line.fragments]
    used: set[int] = set()
    for f in fragments:
        hosts = [i for i, u in enumerate(upper) if u.first <= f.first and f.last <= u.last]
        if len(hosts) != 1 or hosts[0] in used:
            return False
        used.add(hosts[0])
    return len(used) < len(upper)


def _home(k: int, fragment: Fragment, bands: list[list[Line]], band_row: list[int | None], rows: list[Row],
          pitch: float, centred: bool) -> int:
    """The row a loose fragment belongs to: the nearest row holding text in its column within NEAR
    pitch — above first in a top-aligned table, the one it balances in a centred one — else the
    nearest row."""
    candidates: list[tuple[float, int]] = []
    for index, row in enumerate(rows):
        same = [f for f in row.fragments if f.first <= fragment.last and fragment.first <= f.last]
        if not same:
            continue
        distance = min(abs(f.y - fragment.y) for f in same)
        if distance > NEAR * pitch:
            continue
        if centred:
            ys = [f.y for f in same] + [fragment.y]
            score = abs((max(ys) + min(ys)) / 2 - row.centre)
        else:
            score = distance + (0 if row.centre > fragment.y else pitch / 2)  # above first
        candidates.append((score, index))
    if candidates:
        return min(candidates)[1]
    return min(range(len(rows)), key=lambda i: abs(rows[i].centre - fragment.y))


def row_cells(row: Row, columns: int) -> list[str]:
    """A row's cells left to right: columns joined where one fragment spans them, each cell's text
    its fragments top to bottom (a wrapped cell as one text), an empty column an empty slot."""
    parent = list(range(columns))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for f in row.fragments:
        for c in range(f.first + 1, f.last + 1):
            parent[root(c)] = root(f.first)
    texts: dict[int, list[Fragment]] = {}
    for f in row.fragments:
        texts.setdefault(root(f.first), []).append(f)
    cells: list[str] = []
    seen: set[int] = set()
    for c in range(columns):
        r = root(c)
        if r in seen:
            continue
        seen.add(r)
        parts = sorted(texts.get(r, []), key=lambda f: (-f.y, f.left))
        cells.append(join_lines([f.text for f in parts]))
    return cells


def split_blocks(region: list[Line], depth: int = 1) -> list[list[Line]]:
    """A region whose parts have their own columns (a budget block over an indicator table, each
    on its own grid) cut where a part finds column edges the whole does not: the cut that finds most,
    each part keeping at least MIN_ROWS + 1 lines of several cells."""
    whole = column_edges(region)
    best: tuple[int, int] | None = None
    for k in range(1, len(region)):
        parts = (region[:k], region[k:])
        if min(sum(1 for line in part if len(line.fragments) >= 2) for part in parts) <= MIN_ROWS:
            continue
        found = [column_edges(part) for part in parts]
        gain = sum(1 for edges in found for e in edges if all(abs(e - w) > 6 for w in whole))
        lost = sum(1 for w in whole if all(abs(e - w) > 6 for e in found[0] + found[1]))
        if gain > lost and (best is None or gain - lost > best[0]):
            best = (gain - lost, k)
    if best is None or depth == 0:
        return [region]
    k = best[1]
    return split_blocks(region[:k], depth - 1) + split_blocks(region[k:], depth - 1)


def _glued(region: Sequence[Line]) -> bool:
    """Cells set too close to be told apart (a web page's table without padding: "全年预算数（A）全年执行数
    （B）分值" as one fragment over three columns): a fragment of a line of three or more that covers
    three columns and less than half the region's width is several cells glued, so the region is left
    to the text readers, which cut glued headers by their words."""
    left = min(f.left for line in region for f in line.fragments)
    right = max(f.right for line in region for f in line.fragments)
    return any(
        len(line.fragments) >= 3 and f.last > f.first and f.right - f.left < 0.5 * (right - left)
        for line in region for f in line.fragments
    )


def stream_tables(glyphs: Sequence[Glyph]) -> list[StreamTable]:
    """The unruled tables among a page's glyphs (those outside ruled tables), each with its rows."""
    out: list[StreamTable] = []
    for region in (block for found in find_regions(text_lines(glyphs)) for block in split_blocks(found)):
        edges = column_edges(region)
        if len(edges) + 1 < MIN_COLUMNS:
            continue
        assign_columns(region, edges)
        if _glued(region):
            continue
        rows = build_rows(region)
        cells = [row_cells(row, len(edges) + 1) for row in rows]
        if sum(1 for row in cells if sum(1 for c in row if c) >= MIN_COLUMNS) < 2:
            continue
        fragments = [f for line in region for f in line.fragments]
        out.append(StreamTable(
            min(f.left for f in fragments), max(f.right for f in fragments),
            max(g.top for f in fragments for g in f.glyphs), min(g.bottom for f in fragments for g in f.glyphs),
            [" | ".join(row) for row in cells if any(row)],
        ))
    return out
