"""Documents that hold several 自评表 (a county's or a department's projects published together).

Each table is its own evaluation: its budget, indicators and total say nothing about the next
table's, and read as one they would contradict each other. A table starts at its title
("XX项目支出绩效自评表") or, untitled, at its head row (项目名称 …); a title and the head row below it
are one start, because no header band stands between them. The document is cut only when two or
more starts each own a header band (a budget block or an indicator table): a report with one
自评表 and an "附件" line naming it is read whole, as before.

The text before the first table stays with it when it is a cover or a source line, and is a part of
its own when it is a narrative (its budget figures are the department's, not the first project's).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from jixiao.audit.normalise import fold, folds_into
from jixiao.audit.tables import find_bands

# A title line: short, no sentence, "绩效" then within a few characters a kind of table.
_TITLE = re.compile(r"^[^。；;]{0,40}绩效[^。；;，,]{0,8}表(?:[(（][^()（）]{0,12}[)）])?[^。；;，,]{0,16}$")
_HEAD = re.compile(r"^(?:项目名称|部门名称|单位名称|部门\(单位\)名称|部门（单位）名称)")
_STRIP = re.compile(r"[\s|｜]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A preamble with this much prose is a narrative report, audited as a part of its own.
NARRATIVE_CHARS = 300


# A title inside a line: a whole document flattened into one line, or several tables into one line each.
_TITLE_IN = re.compile(r"(?:项目支出|部门整体支出|整体支出|部门整体|项目)?绩效(?:自评|目标申报|目标)表")
_LONG = 100  # a line this long is a flattened table (or more), not a title line
_HEAD_NEAR = re.compile(r"项目名称|部门名称|单位名称|部门\(单位\)名称|主管部门|实施单位")


@dataclass(frozen=True, slots=True)
class Part:
    start: int  # index of the part's first line in the document's lines (as cut at titles inside lines)
    end: int  # one past its last line
    table: bool  # False for a narrative preamble
    source: tuple[int, ...] = ()  # each of its lines' index in the document, where lines were cut; () = start + k
    pieces: tuple[str, ...] = ()  # its lines, where lines were cut (the document's own lines otherwise)


def _cut_lines(lines: list[str]) -> tuple[list[str], list[int], set[int]]:
    """Long lines cut before each title inside them (a title followed by its head cells, "项目支出绩效自评表
    (2022年度) 项目名称 …", not a mention in prose); each piece's source line; the pieces a title opens."""
    out: list[str] = []
    source: list[int] = []
    titled: set[int] = set()
    for i, line in enumerate(lines):
        at: list[int] = []
        if len(line) >= _LONG and "表" in line:  # folding leaves 表 as it is: a line without one has no title
            folded = fold(line)
            at = [m.start() for m in _TITLE_IN.finditer(folded) if _HEAD_NEAR.search(folded, m.end(), m.end() + 40)]
        if not at:  # the common line: kept whole
            out.append(line)
            source.append(i)
            continue
        for a, b in pairwise([*sorted({0, *at}), len(line)]):
            if a in at:
                titled.add(len(out))
            out.append(line[a:b])
            source.append(i)
    return out, source, titled


def _any_of(chars: str) -> re.Pattern[str]:
    return re.compile("[" + "".join(map(re.escape, sorted(folds_into(chars)))) + "]")


@cache
def _opening_chars() -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    """A title holds 绩 and 表, a head row 名 and 称 (after folding); made on first use (the folding
    table is)."""
    return (_any_of("绩"), _any_of("表")), (_any_of("名"), _any_of("称"))


@cache
def _either_first() -> re.Pattern[str]:
    """A 绩 or a 名 (after folding): nine lines in ten hold neither, and are told so in one scan."""
    return _any_of("绩名")


def _may_open(line: str) -> bool:
    """Whether a line could be a title or a head row: one holding neither pair of characters is neither."""
    return _either_first().search(line) is not None and any(
        first.search(line) is not None and second.search(line) is not None for first, second in _opening_chars())


def _starts(lines: list[str]) -> list[int]:
    """Lines that open a table: a title, or a head row with no title just above it."""
    out: list[int] = []
    for i, line in enumerate(lines):
        bare = _STRIP.sub("", fold(line)) if len(line) < 200 and _may_open(line) else ""
        if not bare:
            continue
        if _TITLE.match(bare) or (_HEAD.match(bare) and not (out and i - out[-1] <= 3)):
            out.append(i)
    return out


def parts(lines: list[str]) -> list[Part]:
    """The document's tables as line ranges, when it holds two or more; [] when it is one evaluation."""
    cut, source, titled = _cut_lines(lines)
    starts = sorted({*_starts(cut), *titled})
    return _parts(cut, starts, source if titled else None)


def _parts(lines: list[str], starts: list[int], source: list[int] | None) -> list[Part]:
    if len(starts) < 2:
        return []  # the common case, decided without reading any table
    text = "\n".join(lines)
    line_starts = [0]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    band_lines = [bisect_right(line_starts, band.start) - 1 for band in find_bands(fold(text))]
    # A start owning no band opens the table of the next one that does (a title, then its head row).
    owned: list[int] = []
    pending: int | None = None
    for k, start in enumerate(starts):
        upto = starts[k + 1] if k + 1 < len(starts) else len(lines)
        if any(start <= line < upto for line in band_lines):
            owned.append(start if pending is None else pending)
            pending = None
        elif pending is None:
            pending = start
    if len(owned) < 2:
        return []
    out: list[Part] = []
    first = owned[0]
    preamble = lines[:first]
    if any(line < first for line in band_lines) or len(_CJK.findall("".join(preamble))) >= NARRATIVE_CHARS:
        out.append(Part(0, first, table=any(line < first for line in band_lines)))
        first_start = first
    else:
        first_start = 0
    bounds = [first_start, *owned[1:], len(lines)]
    out.extend(Part(a, b, table=True) for a, b in pairwise(bounds))
    if source is not None:
        out = [Part(p.start, p.end, p.table, tuple(source[p.start : p.end]), tuple(lines[p.start : p.end])) for p in out]
    return out


def part_lines(lines: list[str], part: Part) -> list[str]:
    """A part's own lines: the document's, or the pieces of the lines it was cut from."""
    return list(part.pieces) if part.source else lines[part.start : part.end]
