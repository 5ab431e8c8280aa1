"""Clean extracted text for reading figures, remembering where every character came from.

PDF and Word text arrives with full- and half-width forms mixed, spaces inside
Chinese words and numbers ("人 民币", "3142.55 万 元"), sentences broken across
lines, thousands separators and Chinese numerals. Each pass below rewrites the
text and carries a map from every output character to its offset in the original,
so a figure found in the clean text can be quoted exactly as the document wrote it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from jixiao.core.chars import one_for_one, simplified, traditional_pairs
from jixiao.core.model import Location
from jixiao.core.numbers import CN_DIGITS, cn_to_int

# Full-width ASCII forms to ASCII; Chinese punctuation that carries the same meaning to its ASCII twin.
_WIDTH: dict[int, int | str] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update(
    {
        ord("\u3000"): " ", ord("\u00a0"): " ", ord("\t"): " ", ord("\u2002"): " ", ord("\u2003"): " ",
        ord("\u2009"): " ", ord("\u200b"): " ", ord("\ufeff"): " ", ord("\u2212"): "-", ord("\u2013"): "-",
        ord("\ufe6a"): "%", ord("“"): '"', ord("”"): '"', ord("‘"): "'", ord("’"): "'",
        ord("〔"): "[", ord("〕"): "]", ord("【"): "[", ord("】"): "]", ord("\x0c"): " ",
        ord("≧"): "≥", ord("≦"): "≤",  # the Japanese-style signs some Word fonts put in tables
        ord("﹦"): "=", ord("﹤"): "<", ord("﹥"): ">",  # small forms (云南's 自评表 writes "﹦ | 100")
    }
)
WIDTH_TABLE: dict[int, int | str] = {k: (chr(v) if isinstance(v, int) else v) for k, v in _WIDTH.items()}

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_PUNCT = "。、，；：？！《》「」『』…"
# Boundaries a clause cannot cross: used to cut quotes to the words around a figure.
CLAUSE_BREAKS = frozenset(",;:。!?\n，；：；|")
_CLAUSE_BREAK = re.compile("[" + re.escape("".join(sorted(CLAUSE_BREAKS))) + "]")

HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:[-•·●▪]\s*)?(?:第[一二三四五六七八九十百]+[章节部分条]|[一二三四五六七八九十]+[、.]"
    r"|\([一二三四五六七八九十\d]+\)|\d+(?:\.\d+)*[、.](?!\d)|附件\s*\d*|附表)"
)
TERMINAL = frozenset("。!?;:.…")
PAGE_NUMBER = re.compile(r"^\s*(?:-\s*\d{1,3}\s*-|\d{1,3}|第\s*\d+\s*页(?:\s*[,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")

_SPACES = re.compile(r" +")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")
# Numerals before a measure word; the character before them is checked in Python (a leading
# character class lets the regex engine scan fast; a look-behind at every position does not).
_CN_NUMBER = re.compile(r"([零〇一二两三四五六七八九十百千]+)(?=[个项家名人次所户条座场期件])")
_CN_NOT_AFTER = frozenset("第统唯同单之某")
# "十分重要" is not ten points: a numeral before 分 counts only after 得/为/计/扣/值.
_CN_POINTS = re.compile(r"([零〇一二两三四五六七八九十百]+)(?=分(?!之))")
_CN_POINTS_AFTER = frozenset("得为计扣值")
_WIDE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_WIDTH)) + "]")
# Whether a text can hold a thousands separator: led by its literal comma, the engine skips to each comma
# (3–6 × faster than leading with a digit); _THOUSANDS itself then decides.
_THOUSANDS_QUICK = re.compile(r",\d\d\d")
# OCR's letter O for a zero inside a figure ("1O1.9%", "1OO.OO%", "2O23年"): a run of digits and O's that
# starts with a digit and touches no other letter (CO2, A1O2 and ISO9001 stay as they are).
_LETTER_ZERO = re.compile(r"(?<![A-Za-z\d.])\d[\dOo]*(?:\.[\dOo]+)?(?![A-Za-z])")
_LETTER_ZERO_QUICK = re.compile(r"\d[Oo]")
_CN_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百]+)(?:点([零〇一二三四五六七八九]+))?")


@lru_cache(maxsize=2)  # one document at a time; each is folded by several readers
def fold(text: str) -> str:
    """Full-width and traditional characters to their plain forms, one character for one (offsets hold)."""
    # Most texts hold none of the characters folding changes (the normaliser made full-width forms plain;
    # few reports are in traditional script): finding that out is a scan in C, 7 × cheaper than translating.
    return letter_zeros(text.translate(_fold_table()) if _folded_away().search(text) else text)


@cache
def _fold_table() -> list[int | str]:
    return one_for_one(WIDTH_TABLE, traditional_pairs())


@cache
def _folds() -> dict[str, str]:
    """Each character folding changes, and what it becomes."""
    table = _fold_table()
    return {chr(code): to for code in sorted({*WIDTH_TABLE, *traditional_pairs()}) for to in (table[code],)
            if isinstance(to, str) and to != chr(code)}


@cache
def _folded_away() -> re.Pattern[str]:
    return re.compile("[" + "".join(map(re.escape, _folds())) + "]")


def folds_into(chars: str) -> frozenset[str]:
    """The characters `fold` turns into one of `chars`, with those themselves: what a line must hold
    for its folded form to hold them."""
    return frozenset(chars) | {away for away, to in _folds().items() if to in chars}


Edit = tuple[int, int, str]


def rewrite(text: str, src: list[int], edits: Iterable[Edit]) -> tuple[str, list[int]]:
    """Apply non-overlapping, ordered (start, end, replacement) edits, carrying the source map along."""
    parts: list[str] = []
    out_src: list[int] = []
    pos = 0
    for start, end, repl in edits:
        parts.append(text[pos:start])
        out_src.extend(src[pos:start])
        parts.append(repl)
        if repl:
            anchor = src[start] if start < len(src) else (src[-1] + 1 if src else 0)
            # A same-length replacement keeps a 1:1 map; otherwise every new char points at the start.
            if end - start == len(repl):
                out_src.extend(src[start:end])
            else:
                out_src.extend([anchor] * len(repl))
        pos = end
    parts.append(text[pos:])
    out_src.extend(src[pos:])
    return "".join(parts), out_src


@dataclass(slots=True)
class Text:
    """A document's original lines and its normalised text, with the map between them."""

    raw: str  # original lines joined by "\n"
    line_starts: list[int]
    norm: str
    src: list[int]  # norm offset -> raw offset
    # Each span located once: the readers, the core's findings and the document checks ask for the same
    # figures' places (a Location is read, never changed).
    _located: dict[tuple[int, int, bool], Location] = field(default_factory=dict, compare=False, repr=False)

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def raw_offset(self, pos: int) -> int:
        if not self.src:
            return 0
        return self.src[min(max(pos, 0), len(self.src) - 1)]

    def line_of(self, pos: int) -> int:
        """1-based line in the original document of a normalised offset."""
        return bisect_right(self.line_starts, self.raw_offset(pos))

    def original_line(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.raw)
        return self.raw[start:end]

    def clause(self, start: int, end: int, reach: int = 60) -> tuple[int, int]:
        """Widen [start, end) in the normalised text to the clause around it (at most `reach` chars each way)."""
        norm = self.norm
        lo = max(0, start - reach)
        left = lo
        for m in _CLAUSE_BREAK.finditer(norm, lo, start):
            left = m.end()
        if left == lo and lo > 0 and norm[lo - 1] not in CLAUSE_BREAKS:
            left = lo
        right_match = _CLAUSE_BREAK.search(norm, max(end, start), max(end, start) + reach)
        right = right_match.start() if right_match else min(len(norm), max(end, start) + reach)
        return left, right

    def quote(self, start: int, end: int) -> str:
        """The exact original text of a normalised span; a span across line breaks is quoted without them."""
        if not self.src or start >= len(self.src):
            return ""
        raw_start = self.raw_offset(start)
        raw_end = self.raw_offset(max(end - 1, start)) + 1
        return self.raw[raw_start:raw_end].replace("\n", "").strip()

    def locate(self, start: int, end: int, widen: bool = True) -> Location:
        """Line and quote of a figure at [start, end): the line holding the figure, the clause around it."""
        key = (start, end, widen)
        found = self._located.get(key)
        if found is None:
            found = self._located[key] = self._locate(start, end, widen)
        return found

    def _locate(self, start: int, end: int, widen: bool) -> Location:
        anchor = start
        if widen:
            start, end = self.clause(start, end)
        line = self.line_of(anchor)
        # Built, not validated: a line of this text and its own words (a report states ~100 figures; the
        # model's validators would cost as much as reading them).
        return Location.model_construct(line=line, quote=self.quote(start, end) or self.original_line(line).strip())


def _space_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    size = len(text)
    for m in _SPACES.finditer(text):  # a report has hundreds of spaces: the tests are written out, not called
        start, end = m.span()
        before = text[start - 1] if start else "\n"
        after = text[end] if end < size else "\n"
        # Leading / trailing spaces of a line go; beside a table cell separator they stay (readable); beside
        # CJK (compared, not matched by a regex call per space) or punctuation they go.
        if before == "\n" or after == "\n" or (before != "|" and after != "|" and (
                "\u4e00" <= before <= "\u9fff" or "\u4e00" <= after <= "\u9fff" or "\u3400" <= before <= "\u4dbf"
                or "\u3400" <= after <= "\u4dbf" or before in CJK_PUNCT or after in CJK_PUNCT or after in "%‰.,;:)]"
                or before in "(.[-+,;:" or (before.isdigit() and after in ".,"))):
            edits.append((start, end, ""))
    return edits


def _join_edits(text: str, pdf: bool) -> Iterable[Edit]:
    """Decide, for every run of line breaks, whether it ends a paragraph or breaks a sentence."""
    lines = text.split("\n")
    offsets: list[int] = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    drop = [bool(pdf and PAGE_NUMBER.match(line)) for line in lines]
    double = _double_spaced(lines)
    previous: int | None = None  # index of the last kept non-empty line
    for i, line in enumerate(lines):
        if not line.strip() or drop[i]:
            continue
        if previous is not None:
            gap_start = offsets[previous] + len(lines[previous])
            gap_end = offsets[i]
            between = i - previous - 1  # lines between: blank, or page numbers
            # Double-spaced, one blank line parts nothing — but a short line (a cell, a title) still ends there.
            blank_between = between >= 2 or (between == 1 and not (double and len(lines[previous].strip()) >= 20))
            if should_join(lines[previous], line, blank_between):
                yield gap_start, gap_end, ""
            elif gap_end - gap_start > 1:
                yield gap_start, gap_end, "\n"
        previous = i
    if previous is not None and offsets[previous] + len(lines[previous]) < len(text):
        yield offsets[previous] + len(lines[previous]), len(text), ""


def _double_spaced(lines: list[str]) -> bool:
    """A copy that puts a blank line after every line (each line of the page its own paragraph on a web
    page): there one blank line says nothing of where a paragraph ends."""
    gaps: list[int] = []
    blanks = 0
    seen = False
    for line in lines:
        if line.strip():
            if seen:
                gaps.append(blanks)
            seen, blanks = True, 0
        else:
            blanks += 1
    return len(gaps) >= 8 and sum(1 for g in gaps if g == 1) >= 0.9 * len(gaps)


def is_heading(line: str) -> bool:
    stripped = line.strip()
    if stripped.startswith("#"):
        return True  # a Markdown heading
    return bool(HEADING.match(stripped)) and len(stripped) <= 40 and "。" not in stripped


LABEL = re.compile(r"^[^,。:]{1,12}[:]")


def should_join(previous: str, following: str, blank_between: bool = False) -> bool:
    """Join a line to the next when the sentence visibly runs on (no end punctuation, not a heading)."""
    prev = previous.rstrip()
    if not prev or prev[-1] in TERMINAL or "|" in prev or "|" in following:
        return False
    if blank_between and len(prev) < 30:
        return False  # a short line then a blank line: a title or a label, not a broken sentence
    if LABEL.match(following.strip()) and (len(prev) < 30 or LABEL.match(prev.strip())):
        return False
    return not (is_heading(following) or is_heading(prev))


# PDF extraction sets quotation marks drawn in a fallback font apart from their words ("权重分值为 “ ” 15"):
# a quote mark standing alone between spaces carries no meaning there and would split the figure from its label.
_STRAY_QUOTE = re.compile(r"(?:(?<=\s)|^)[\"'](?=\s|$)", re.MULTILINE)


def _stray_quote_edits(text: str) -> Iterable[Edit]:
    return ((m.start(), m.end(), "") for m in _STRAY_QUOTE.finditer(text))


def _cn_number_edits(text: str) -> Iterable[Edit]:
    edits: list[Edit] = []
    found = [m for m in _CN_NUMBER.finditer(text) if m.start() == 0 or text[m.start() - 1] not in _CN_NOT_AFTER]
    found += [m for m in _CN_POINTS.finditer(text) if m.start() > 0 and text[m.start() - 1] in _CN_POINTS_AFTER]
    for m in found:
        value = cn_to_int(m.group(1))
        if value is not None:
            edits.append((m.start(1), m.end(1), str(value)))
    for m in _CN_PERCENT.finditer(text):
        whole = cn_to_int(m.group(1))
        if whole is None:
            continue
        frac = "".join(str(CN_DIGITS[c]) for c in m.group(2)) if m.group(2) else ""
        edits.append((m.start(), m.end(), f"{whole}{'.' + frac if frac else ''}%"))
    edits.sort()
    kept: list[Edit] = []
    for edit in edits:
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    return kept


_ZEROED = str.maketrans("Oo", "00")


def _letter_zero_edits(text: str) -> Iterable[Edit]:
    if not _LETTER_ZERO_QUICK.search(text):
        return ()
    return ((m.start(), m.end(), zeroed) for m in _LETTER_ZERO.finditer(text)
            if (zeroed := m.group().translate(_ZEROED)) != m.group())


def letter_zeros(text: str) -> str:
    """The text with OCR's letter O inside figures read as 0, one character for one (offsets hold)."""
    if not _LETTER_ZERO_QUICK.search(text):
        return text
    return _LETTER_ZERO.sub(lambda m: m.group().translate(_ZEROED), text)


Pass = Callable[[str], Iterable[Edit]]


def normalise(lines: list[str], pdf: bool = False) -> Text:
    """Normalise a document's lines; see the module docstring for what changes."""
    raw = "\n".join(lines)
    line_starts: list[int] = []
    pos = 0
    for line in lines:
        line_starts.append(pos)
        pos += len(line) + 1
    text = _WIDE.sub(lambda m: str(WIDTH_TABLE[ord(m.group())]), raw) if _WIDE.search(raw) else raw
    # Traditional script (mirrors, 范文 sites, 繁体 renderings) read as the simplified forms the readers
    # key on; one character for one, so the quotes still come from the original text.
    text = simplified(text)
    if len(text) != len(raw):  # translate is 1:1 by construction; guard the invariant
        raise AssertionError("width table must map one character to one")
    src = list(range(len(raw)))
    passes: list[Pass] = [
        *([_stray_quote_edits] if pdf else []),
        _space_edits,
        lambda t: _join_edits(t, pdf),
        _letter_zero_edits,
        lambda t: ((m.start(), m.end(), m.group().replace(",", "")) for m in _THOUSANDS.finditer(t))
        if _THOUSANDS_QUICK.search(t) else (),
        _cn_number_edits,
    ]
    for make_edits in passes:
        edits = list(make_edits(text))
        if edits:  # a pass with nothing to change leaves text and map as they are
            text, src = rewrite(text, src, edits)
    return Text(raw=raw, line_starts=line_starts, norm=text, src=src)
