"""Tables drawn without ruling lines ("stream" tables), read from where the characters stand.

A 自评表 exported without borders, or laid out by whitespace alone, has no lines to cut it into
cells: only its characters' positions say where a column ends. As in the "stream" reading of camelot
and pdfplumber, characters go on lines by their baseline, each line is cut into fragments where a
gap wider than about a character opens, and a run of lines where several fragments stand side by
side is a table region (a line of prose ends it). A region whose parts stand on their own grids (a
budget block over an indicator table) is cut in two. Columns are the x-ranges that (nearly) no
fragment of a common width crosses — the whitespace rivers running down the region — plus the x
where several left-aligned fragments start (text-edge alignment), at which cells that touch are cut.
A fragment that crosses a column edge is a cell merged across, written once as Word writes it.

Rows are the hard part: a cell wrapped over two lines and two one-line rows stand alike. The lines
holding most cells are rows; a line overlapping one (a centred table puts a two-line cell's lines
half a line above and below its row's one-line cells) belongs to it. A line with one cell, or with
no figure whose cells each stand under one cell of the row above, is loose: in a top-aligned table
it continues the cell above it (never a figure's), in a centred one each column's lines are cut
into runs centred on their rows, a row of a tall cell's outer lines joins the row it mirrors across,
and a cell merged down over an even number of rows (centred between two) is repeated in each. Each
row is one pipe line, an empty slot per empty column (none between the words of a row without
figures: its cells were merged across), as the grid readers get Word and ruled PDF tables.

Everything here is pure geometry on `Glyph`s (plain numbers); `pdf_tables.page_lines` calls it for
a page's characters outside ruled tables (those are read first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from jixiao.audit.pdf_tables import Glyph, is_figure, join_lines, wide

GAP = 0.75  # of a line's height: a wider gap between two characters of one line separates two cells
LINE = 0.3  # of a line's height: baselines closer than this are one line (fonts' boxes differ)
HALF = 0.9  # of a line's height: lines closer than this overlap, so are one row (a centred cell's half-line offset)
NEAR = 1.4  # of the pitch: a continuation stands at most this far from the cell it continues
MIN_ROWS = 3  # lines with several cells a region needs to be a table
MIN_COLUMNS = 3


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
    full: bool = False  # its text reaches its column's right edge (a number a narrow column wraps)


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
    previous: Glyph | None = None
    for glyph in glyphs:
        if previous is not None and glyph.left - previous.right > 0.2 * (glyph.top - glyph.bottom) and not (
            wide(text[-1]) or wide(glyph.text)
        ):
            text += " "  # a Latin word space the layout wrote (its space glyph was dropped)
        text += glyph.text
        previous = glyph
    return Fragment(glyphs, glyphs[0].left, max(g.right for g in glyphs), y, text)


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
    """The run without one-fragment lines at its ends — but with those overlapping the line next to
    them (a header cell's first line, set half a line above its row in a centred table), and at its
    foot those going on with a cell of the line above (the last row's wrapped cell)."""
    while part and len(part[0].fragments) < 2 and not (len(part) > 1 and _overlap(part[0], part[1])):
        part = part[1:]
    while part and len(part[-1].fragments) < 2 and not (len(part) > 1 and (_overlap(part[-2], part[-1]) or _wraps(part[-2], part[-1]))):
        part = part[:-1]
    if sum(1 for line in part if len(line.fragments) >= 2) < MIN_ROWS:
        return []
    return [part]


def _wraps(upper: Line, lower: Line) -> bool:
    """`lower` goes on with a cell of `upper`: a line's step below it, under one of its fragments."""
    return upper.y - lower.y <= 1.5 * max(upper.height, lower.height) and all(
        any(u.left - 1 <= f.left and f.right <= u.right + upper.height for u in upper.fragments) for f in lower.fragments
    )


def _overlap(upper: Line, lower: Line) -> bool:
    return upper.y - lower.y < HALF * max(upper.height, lower.height)


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
    allowed = max(1, len(region) // 12)
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
        if run > 0 and x <= width and x - run >= (1 if least == 0 else 2):
            out.append((run + x) / 2)
    return out


def aligned_starts(region: Sequence[Line], edges: Sequence[float]) -> list[float]:
    """Columns the whitespace does not show: where three or more fragments of different lines start
    at one x (a left-aligned column, as in camelot's text-edge reading) with no edge just before it
    and (nearly) no fragment crossing it, a column starts — a cell whose text touches the next one
    ("得分偏差原因分析…" in a header set without padding) does not hide it."""
    height = median(line.height for line in region)
    starts = sorted((f.left, f.right, id(line)) for line in region for f in line.fragments)
    leftmost = starts[0][0] if starts else 0.0
    out: list[float] = []
    k = 0
    while k < len(starts):
        j = k
        while j + 1 < len(starts) and starts[j + 1][0] - starts[k][0] <= 1.5:
            j += 1
        x0 = starts[k][0]
        lines = {line for _, _, line in starts[k : j + 1]}
        ends = [end for _, end, _ in starts[k : j + 1]]
        k = j + 1
        if len(lines) < 3 or x0 - leftmost < height or any(x0 - 2 * height < e <= x0 + 1 for e in edges):
            continue
        if max(ends) - min(ends) < height:
            continue  # the same short text centred in each row ("—", "10"): not a left-aligned column
        crossing = sum(1 for line in region for f in line.fragments if f.left < x0 - 1.5 < f.right)
        if 1 <= crossing <= max(1, len(region) // 12):  # none crossing: the whitespace shows it already
            out.append(x0 - 0.75)
    return out


def cut_touching(region: Sequence[Line], starts: Sequence[float]) -> None:
    """A fragment running over an aligned column start (`aligned_starts`) with a character beginning
    right there is two cells that touch: cut it there."""
    for line in region:
        pieces: list[Fragment] = []
        for f in line.fragments:
            current: list[Glyph] = []
            for glyph in f.glyphs:
                if current and any(abs(glyph.left - (x + 0.75)) <= 1.0 for x in starts):
                    pieces.append(_fragment(current, f.y))
                    current = []
                current.append(glyph)
            pieces.append(_fragment(current, f.y))
        line.fragments = pieces


def assign_columns(region: Sequence[Line], edges: Sequence[float]) -> None:
    for line in region:
        for f in line.fragments:
            f.first = sum(1 for e in edges if e < f.left)
            f.last = sum(1 for e in edges if e < f.right)
            f.full = f.last >= len(edges) or edges[f.last] - f.right <= 1.8 * line.height  # padding + a character


@dataclass(slots=True)
class Row:
    lines: list[Line]
    fragments: list[Fragment] = field(default_factory=list)
    centre: float = 0.0  # the baseline of the line its one-line cells stand on

    def columns(self) -> set[int]:
        return {c for f in self.fragments for c in range(f.first, f.last + 1)}


def pitch(region: Sequence[Line]) -> float:
    """The distance between two lines of one cell: the lower quartile of the steps between lines at
    least a line high (a centred cell's half steps left out)."""
    height = median(line.height for line in region)
    steps = sorted(a.y - b.y for a, b in pairwise(region))
    full = [s for s in steps if s >= height]
    # the lower quartile: rows padded apart (a web page) step further than a cell's lines do
    return full[len(full) // 4] if full else height * 1.2


def build_rows(region: Sequence[Line]) -> tuple[list[Row], bool]:
    """Lines into rows (see the module's doc), and whether the table centres its cells vertically."""
    step = pitch(region)
    height = median(line.height for line in region)
    # The lines holding most cells are the rows' centres; a line overlapping a centre's line
    # (closer than HALF of a line's height; not another such line: rows do not chain) is in its row.
    def weight(line: Line) -> tuple[int, int]:
        near = [other for other in region if abs(other.y - line.y) < HALF * height]
        return (-len({f.first for f in line.fragments}), -len({(o.y, f.first) for o in near for f in o.fragments}))

    centres: list[Line] = []
    for line in sorted(region, key=weight):
        if not any(abs(c.y - line.y) < HALF * height for c in centres):
            centres.append(line)
    bands = [[c] for c in sorted(centres, key=lambda c: -c.y)]
    chosen = {id(c) for c in centres}
    for line in region:
        if id(line) in chosen:
            continue
        nearest = min(bands, key=lambda band: abs(band[0].y - line.y))
        nearest.append(line)
    for band in bands:
        band.sort(key=lambda line: -line.y)
    centred = any(len(band) > 1 for band in bands)
    rows: list[Row] = []
    loose: list[Fragment] = []  # fragments of lines that are no row, to attach to one
    latest: dict[int, Fragment] = {}  # column → the lowest fragment of the last row (and its continuations)
    for band in bands:
        fragments = [f for line in band for f in line.fragments]
        columns = {f.first for f in fragments}
        if len(columns) >= 2 and not (rows and _continues(fragments, latest, rows[-1], step)):
            rows.append(Row(band, fragments, next(line.y for line in band if id(line) in chosen)))
            latest = {}
        else:
            loose.extend(fragments)
        for f in fragments:
            for c in range(f.first, f.last + 1):
                latest[c] = f
    if not rows:
        return [], centred
    if centred:
        rows = _between_figures(rows, loose)
        _centre_cells(rows, loose, step)
        return spread_merged(mirror_rows(rows, step), step), True
    for fragment in loose:
        rows[_home(fragment, rows, step)].fragments.append(fragment)
    return rows, False


def _between_figures(rows: list[Row], loose: list[Fragment]) -> list[Row]:
    """In a centred table a row of two cells or fewer with no figure, between two rows with figures,
    is the outer lines of taller cells and merged cells centred there (a
    three-line target's first line beside a 一级指标 spanning rows): its fragments are loose."""
    def figured(row: Row) -> bool:
        return any(is_figure(f.text) for f in row.fragments)

    kept: list[Row] = []
    for k, row in enumerate(rows):
        if (0 < k < len(rows) - 1 and not figured(row) and len(row.columns()) <= 2
                and figured(rows[k - 1]) and figured(rows[k + 1])):
            loose.extend(row.fragments)
            continue
        kept.append(row)
    return kept


def _centre_cells(rows: list[Row], loose: list[Fragment], pitch: float) -> None:
    """A centred table's loose lines, column by column: each row's cell is a run of consecutive
    lines of the column centred on the row, so the column's lines (the rows' own and the loose ones,
    top to bottom) are cut into runs, in row order, whose middles stand nearest their rows' centres
    (a tall cell of six lines and its neighbour's two in one unbroken stack are told apart)."""
    centres = [row.centre for row in rows]
    by_column: dict[int, list[tuple[Fragment, int | None]]] = {}
    for index, row in enumerate(rows):
        for f in row.fragments:
            by_column.setdefault(f.first, []).append((f, index))
    for f in loose:
        by_column.setdefault(f.first, []).append((f, None))
    for items in by_column.values():
        if all(owner is not None for _, owner in items):
            continue
        items.sort(key=lambda item: -item[0].y)
        runs = _cut_runs([f.y for f, _ in items], [o for _, o in items], centres, NEAR * pitch)
        for (f, fixed), owner in zip(items, runs, strict=True):
            if fixed is None:
                rows[owner].fragments.append(f)


def _nearest(centres: list[float], y: float) -> int:
    return min(range(len(centres)), key=lambda q: abs(centres[q] - y))


def _cut_runs(ys: list[float], fixed: list[int | None], centres: list[float], gap: float) -> list[int]:
    """Rows for lines at `ys` (top to bottom): consecutive runs, rows increasing, a line's `fixed`
    row kept, a run's lines at most `gap` apart, minimising how far each run's middle stands from its
    row's centre (dynamic programming over where runs end; O(lines × run length × rows))."""
    n, count = len(ys), len(centres)
    inf = float("inf")
    best = [[inf] * count for _ in range(n + 1)]  # best[i][r]: lines before i placed, the last run on row r
    back = [[(-1, -1)] * count for _ in range(n + 1)]
    lowest = [[(inf, -1)] * (count + 1) for _ in range(n + 1)]  # lowest[j][r]: min of best[j][q], q < r
    lowest[0] = [(0.0, -1)] * (count + 1)
    for i in range(1, n + 1):
        owner: int | None = None
        for j in range(i - 1, -1, -1):  # the run is lines j .. i-1, growing upwards
            if j < i - 1 and ys[j] - ys[j + 1] > gap:
                break
            if fixed[j] is not None:
                if owner is not None and owner != fixed[j]:
                    break
                owner = fixed[j]
            middle = (ys[j] + ys[i - 1]) / 2
            for r in ([owner] if owner is not None else range(count)):
                value, q = lowest[j][r]
                if value == inf:
                    continue
                total = value + abs(middle - centres[r])
                if total < best[i][r]:
                    best[i][r] = total
                    back[i][r] = (j, q)
        running = (inf, -1)
        for r in range(count):
            lowest[i][r] = running
            if best[i][r] < running[0]:
                running = (best[i][r], r)
        lowest[i][count] = running
    r = min(range(count), key=lambda q: best[n][q])
    if best[n][r] == inf:  # no cut keeps every row's own lines together: nearest centres
        return [_nearest(centres, ys[k]) if owner is None else owner for k, owner in enumerate(fixed)]
    out = [0] * n
    i = n
    while i > 0 and r >= 0:
        j, q = back[i][r]
        for k in range(j, i):
            out[k] = r
        i, r = j, q
    return out

def _continues(fragments: list[Fragment], latest: dict[int, Fragment], row: Row, pitch: float) -> bool:
    """A band of several cells continues the last row (top-aligned wrapping: "一级" / "指标", "卫片" /
    "执法补助经费") when each of its cells stands under one cell of that row (or of a line already
    continuing it), at most one under each, within NEAR pitch — and either some cells of the row are
    not continued or every continued one reached its column's right edge (text wraps when it fills
    its column: "项目名称" over "主管部门" did not); and none is a figure of its own, but a number's
    last digits under a number that filled its column ("7289" / "0")."""
    above = min(f.y for f in latest.values()) if latest else row.centre
    if above - max(f.y for f in fragments) > NEAR * pitch:
        return False
    used: set[int] = set()
    filled = True
    for f in fragments:
        hosts = {id(latest[c]): latest[c] for c in range(f.first, f.last + 1) if c in latest}
        if len(hosts) != 1:
            return False
        [host] = hosts.values()
        if id(host) in used or not (host.first <= f.first and f.last <= host.last):
            return False
        if is_figure(f.text) and not (f.text.isdigit() and host.text[-1:].isdigit() and host.full):
            return False
        used.add(id(host))
        filled = filled and host.full
    return filled or len(used) < len(row.fragments)


def _home(fragment: Fragment, rows: list[Row], pitch: float) -> int:
    """The row a loose fragment of a top-aligned table belongs to: the nearest row holding text in its
    column within NEAR pitch, the row above first (a wrapped cell runs downwards) unless that text is
    a figure (text does not run on from a figure's cell); else the nearest row."""
    candidates: list[tuple[float, int]] = []
    for index, row in enumerate(rows):
        same = [f for f in row.fragments if f.first <= fragment.last and fragment.first <= f.last]
        if not same or (row.centre > fragment.y and all(is_figure(f.text) for f in same)):
            continue
        distance = min(abs(f.y - fragment.y) for f in same)
        if distance <= NEAR * pitch:
            candidates.append((distance + (0 if row.centre > fragment.y else pitch / 2), index))
    if not candidates:
        return min(range(len(rows)), key=lambda i: abs(rows[i].centre - fragment.y))
    return min(candidates)[1]

def mirror_rows(rows: list[Row], pitch: float) -> list[Row]:
    """In a centred table a cell of three or more lines puts its first and last lines a pitch or more
    above and below its row's one-line cells: rows of such lines (no figure) on either side of a
    fuller row, each of whose fragments is mirrored across that row's centre by a line of the same
    cell (overlapping it) or stands where the row has no text (a merged cell centred there), are
    part of that row."""
    changed = True
    while changed:
        changed = False
        for k, host in enumerate(rows):
            centre = host.centre
            sides = [j for j in (k - 1, k + 1) if 0 <= j < len(rows) and _orphan(rows[j], host, centre, pitch)]
            for chosen in ([sides] if len(sides) == 2 else []) + [[j] for j in sides]:
                pool = host.fragments + [f for j in chosen for f in rows[j].fragments]
                if _mirrored([f for j in chosen for f in rows[j].fragments], host, pool, centre, pitch):
                    for j in chosen:
                        host.fragments.extend(rows[j].fragments)
                    for j in sorted(chosen, reverse=True):
                        del rows[j]
                    changed = True
                    break
            if changed:
                break
    return rows


def _orphan(row: Row, host: Row, centre: float, pitch: float) -> bool:
    return (
        not any(is_figure(f.text) for f in row.fragments)
        and len(row.columns()) < len(host.columns())
        and min(abs(f.y - centre) for f in row.fragments) <= 2 * pitch  # a four-line cell's outer lines
    )


def _mirrored(loose: list[Fragment], host: Row, pool: list[Fragment], centre: float, pitch: float) -> bool:
    mirrored = 0
    for f in loose:
        if not any(g.left < f.right and f.left < g.right for g in host.fragments):
            continue  # where the row has no text: a merged cell centred on it
        if not any(g is not f and g.left < f.right and f.left < g.right and abs((f.y - centre) + (g.y - centre)) <= 0.3 * pitch
                   for g in pool):
            return False
        mirrored += 1
    return mirrored > 0


def spread_merged(rows: list[Row], pitch: float) -> list[Row]:
    """A centred cell merged down over an even number of rows (一级指标 over two or four indicators)
    stands at the middle of their span, between two rows' centres, on neither: it is repeated in each
    row of the span (which leaves its place empty otherwise), as python-docx repeats a merged cell —
    the readers carry a category down, not up."""
    centres = [row.centre for row in rows]
    tops = [max(f.y for f in row.fragments) + pitch / 2 for row in rows]
    bottoms = [min(f.y for f in row.fragments) - pitch / 2 for row in rows]
    for k in range(len(rows) - 1):
        for f in [f for row in rows[k : k + 2] for f in row.fragments if not _holds(row, f)]:  # one-line cells
            if not centres[k + 1] < f.y < centres[k] or any(abs(f.y - c) <= 0.3 * pitch for c in centres):
                continue
            for width in range(1, len(rows)):
                a, b = k + 1 - width, k + width
                if a < 0 or b >= len(rows) or any(_holds(rows[j], f) for j in (a, b) if f not in rows[j].fragments):
                    break
                if abs((tops[a] + bottoms[b]) / 2 - f.y) <= pitch / 2:
                    for j in range(a, b + 1):
                        if f not in rows[j].fragments:
                            rows[j].fragments.append(f)
                    break
    return rows


def _holds(row: Row, f: Fragment) -> bool:
    return any(g is not f and _overlaps(g, f) for g in row.fragments)


def _overlaps(g: Fragment, f: Fragment) -> bool:
    return g.left < f.right and f.left < g.right


def row_cells(row: Row, columns: int) -> list[tuple[int, int, str]]:
    """A row's cells left to right as (first column, last column, text): columns joined where one
    fragment spans them, each cell's text its fragments top to bottom (a wrapped cell as one text),
    an empty column an empty cell of its own."""
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
    cells: list[tuple[int, int, str]] = []
    for c in range(columns):
        if cells and root(cells[-1][0]) == root(c):
            cells[-1] = (cells[-1][0], c, cells[-1][2])
            continue
        parts = sorted(texts.get(root(c), []), key=lambda f: (-f.y, f.left))
        cells.append((c, c, join_lines([f.text for f in parts])))
    return cells


def pipe_rows(grid: list[list[tuple[int, int, str]]], centred: bool) -> list[str]:
    """The rows as pipe lines. In a top-aligned table a header's cell merged down (实际完成值 over both
    rows of 云南's two-row header) stands in its first row only: the row of words under it, empty
    where it stands, gets it again, as python-docx repeats a merged cell. A row of words leaves no
    slot between its words: its cells were merged across, as Word holds them ("实施单位 | 某县公路养护
    中心", not "实施单位 |  | 某县…"); rows with figures keep every slot."""
    out: list[str] = []
    previous: list[tuple[int, int, str]] | None = None
    for cells in grid:
        words = not any(is_figure(text) for _, _, text in cells)
        if words and previous is not None and not centred:
            empty = {first for first, last, text in cells if not text and first == last}
            for first, last, text in previous:
                if text and all(c in empty for c in range(first, last + 1)):
                    cells = [cell for cell in cells if not first <= cell[0] <= last]
                    cells.append((first, last, text))
            cells.sort()
        previous = cells if words else None
        texts = [text for _, _, text in cells]
        if words:
            filled = [k for k, text in enumerate(texts) if text]
            if filled:
                texts = texts[: filled[0]] + [texts[k] for k in filled] + texts[filled[-1] + 1 :]
        if any(texts):
            out.append(" | ".join(texts))
    return out


def split_blocks(region: list[Line], depth: int = 3) -> list[list[Line]]:
    """A region whose parts have their own columns (a budget block over an indicator table, each on
    its own grid) is cut where its parts, each on the columns it finds itself, hold their lines'
    fragments in more separate cells (a fragment over two columns counting against) than the whole
    does; the cut that gains most, between two lines a pitch apart, each part keeping more than
    MIN_ROWS lines of several fragments."""
    step = pitch(region)
    best: tuple[float, int] | None = None
    whole = _resolution(region)
    for k in range(1, len(region)):
        if region[k - 1].y - region[k].y < 0.9 * step:
            continue  # never between a centred cell's lines
        parts = (region[:k], region[k:])
        if min(sum(1 for line in part if len(line.fragments) >= 2) for part in parts) <= MIN_ROWS:
            continue
        gain = _resolution(parts[0]) + _resolution(parts[1]) - whole
        if gain >= 2 and (best is None or gain > best[0]):
            best = (gain, k)
    if best is None or depth == 0:
        return [region]
    k = best[1]
    return split_blocks(region[:k], depth - 1) + split_blocks(region[k:], depth - 1)


def _resolution(region: Sequence[Line]) -> int:
    edges = column_edges(region)
    score = 0
    for line in region:
        columns = {sum(1 for e in edges if e < f.left) for f in line.fragments}
        spanning = sum(1 for f in line.fragments if any(f.left < e < f.right for e in edges))
        score += len(columns) - 2 * spanning
    return score


def _glued(region: Sequence[Line]) -> bool:
    """Cells set too close to be told apart (a web page's table without padding: "全年预算数（A）全年执行数
    （B）分值" as one fragment over three columns): a fragment of a line of three or more that covers
    three columns and less than half the region's width is several cells glued, so the region is left
    to the text readers, which cut glued headers by their words."""
    left = min(f.left for line in region for f in line.fragments)
    right = max(f.right for line in region for f in line.fragments)
    return any(
        len(line.fragments) >= 3 and f.last - f.first >= 2 and f.right - f.left < 0.5 * (right - left)
        for line in region for f in line.fragments
    )


def stream_tables(glyphs: Sequence[Glyph], carry: Carry | None = None) -> list[StreamTable]:
    """The unruled tables among a page's glyphs (those outside ruled tables), each with its rows.
    `carry` holds the columns of a table that ran to the foot of the page before: a table opening
    this page on them (its cells inside them) goes on with them — a page of a few rows finds its
    columns less surely than the page before did, and the grid readers need its rows' slots."""
    out: list[StreamTable] = []
    lines = text_lines(glyphs)
    carried = carry.edges if carry is not None else None
    carried_starts = carry.starts if carry is not None else []
    regions = [block for found in find_regions(lines) for block in split_blocks(found)]
    if carry is not None:
        if carried is not None and carry.spans:
            rest = _rest_of_row(lines, regions, carried, carry.spans)
            if rest is not None:
                out.append(rest)
        carry.edges, carry.starts, carry.spans = None, [], []
    for region in regions:
        edges = column_edges(region)
        starts = aligned_starts(region, edges)
        if starts:
            cut_touching(region, starts)
            edges = sorted([*edges, *starts])
        if carried is not None and _opens(region, lines):
            if carried_starts:
                cut_touching(region, carried_starts)
            if _fits(region, carried):
                edges, starts = list(carried), list(carried_starts)
        carried = None
        if len(edges) + 1 < MIN_COLUMNS:
            continue
        assign_columns(region, edges)
        if _glued(region):
            continue
        rows, centred = build_rows(region)
        grid = [row_cells(row, len(edges) + 1) for row in rows]
        if sum(1 for cells in grid if sum(1 for _, _, text in cells if text) >= MIN_COLUMNS) < 2:
            continue
        fragments = [f for line in region for f in line.fragments]
        out.append(StreamTable(
            min(f.left for f in fragments), max(f.right for f in fragments),
            max(g.top for f in fragments for g in f.glyphs), min(g.bottom for f in fragments for g in f.glyphs),
            pipe_rows(grid, centred),
        ))
        if carry is not None and _closes(region, lines):
            carry.edges, carry.starts = edges, starts
            # the last row's cells, if it keeps a slot per column (it holds a figure), for its rest
            last = grid[-1]
            carry.spans = [(first, final) for first, final, _ in last] if any(is_figure(t) for _, _, t in last) else []
        elif carry is not None:
            carry.edges, carry.starts, carry.spans = None, [], []
    return out


def _rest_of_row(lines: Sequence[Line], regions: Sequence[Sequence[Line]], edges: list[float],
                 spans: list[tuple[int, int]]) -> StreamTable | None:
    """The lines opening a page that hold the rest of the last row of the page before (a row a page
    break split: "服务对象满意" there, "度指" / "标" here): each fragment inside one of that row's cells,
    no figure among them, above any table of this page — as one row with that row's slots, which
    `pdf_tables.join_pages` puts back on it."""
    top = regions[0][0].y if regions else float("-inf")
    taken: list[Line] = []
    for line in lines:
        if line.y <= top or (taken and taken[-1].y - line.y > 2 * line.height):
            break
        assign_columns([line], edges)
        if any(is_figure(f.text) for f in line.fragments):
            break
        if not all(any(first <= f.first and f.last <= last for first, last in spans) for f in line.fragments):
            break
        taken.append(line)
    if not taken:
        return None
    texts = []
    for first, last in spans:
        parts = [f for line in taken for f in line.fragments if first <= f.first and f.last <= last]
        texts.append(join_lines([f.text for f in parts]))
    fragments = [f for line in taken for f in line.fragments]
    return StreamTable(
        min(f.left for f in fragments), max(f.right for f in fragments),
        max(g.top for f in fragments for g in f.glyphs), min(g.bottom for f in fragments for g in f.glyphs),
        [" | ".join(texts)],
    )


@dataclass(slots=True)
class Carry:
    """What a page's last table leaves for the next page, if it ran to the foot: its column edges,
    the column starts touching cells were cut at, and its last row's cells."""

    edges: list[float] | None = None
    starts: list[float] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # the last row's cells (first, last column)


def _opens(region: Sequence[Line], lines: Sequence[Line]) -> bool:
    """The region opens the page: at most two short lines (a running head, a page number) above it."""
    above = [line for line in lines if line.y > region[0].y]
    return len(above) <= 2 and all(sum(len(f.text) for f in line.fragments) <= 12 for line in above)


def _closes(region: Sequence[Line], lines: Sequence[Line]) -> bool:
    below = [line for line in lines if line.y < region[-1].y]
    return len(below) <= 2 and all(sum(len(f.text) for f in line.fragments) <= 12 for line in below)


def _fits(region: Sequence[Line], edges: Sequence[float]) -> bool:
    """No fragment of a common width crosses one of `edges` (the region's cells lie inside them)."""
    fragments = [f for line in region for f in line.fragments]
    typical = 3 * median(f.right - f.left for f in fragments)
    return not any(f.left < e < f.right for f in fragments if f.right - f.left <= typical for e in edges)
