"""An indicator row whose cells a PDF or OCR copy ran together, cut by the header band's column types.

A glued copy keeps the cells' order but not their boundaries: `财政供养人员控制率%定量指标100%92%100%22否`
under 指标名称 | 计量单位 | 指标性质 | 年初指标值 | 调整指标值 | 全年完成值 | 得分系数 | 指标权重 | 指标得分 | 是否核心指标
is a name, a unit, a kind, three percentages, the digits "22" and a flag. Each column has a type (a
value, a percentage, a bare score ≤ 100, a unit word, a 定性/定量 word, 是/否), a digit run may be cut
into several numbers ("22" = 2 and 2, "0100%" = 0 and 100%), and an empty cell leaves no trace. So
the reader enumerates every assignment of the row's pieces to the columns in order — each column
takes one piece or is blank — that the types and the row's arithmetic allow (a weight > 0 in a
scored table, score ≤ weight, 得分系数 = score ÷ weight), and keeps only what EVERY such assignment
reads the same: "100%92%100%" for four percentage columns could be any three of them, so no target
is read there, while the weight and the score (2 and 2, the only cut of "22") are. A row whose
weight is not agreed is not read at all: nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from itertools import combinations, pairwise

from jixiao.audit.grid import Kind, type_cell
from jixiao.audit.tables import IndicatorRow, Token, score_figure

# Columns whose cell may be a figure or a short word (高, 好, 显著提升).
VALUES = frozenset({"target", "adjusted_target", "actual", "mid_year"})
_KINDS = frozenset({"定性", "定量", "定性指标", "定量指标"})
_UNIT_WORDS = (
    "%", "‰", "万元", "亿元", "元", "万人次", "人次", "万人", "人", "户", "个", "项", "家", "所", "名", "次", "条", "座",
    "场", "期", "件", "套", "台", "辆", "亩", "公里", "千米", "米", "平方米", "立方米", "吨", "册", "篇", "份", "天", "日",
    "月", "年", "批", "处", "栋", "间", "张", "块", "宗", "村", "镇", "类", "种", "只", "头", "株", "棵", "本", "分",
)
_PIECE = re.compile(r"^(?P<cmp>≥|>=|≤|<=|>|<|=)?[ ]*(?P<num>\d+(?:\.\d+)?)(?P<suffix>\D.*)?$")
_MAX_SOLUTIONS = 512
_ELLIPSIS = re.compile(r"^[….。·]{2,}$")


def glued_header(header: str, roles: tuple[str, ...]) -> bool:
    """The band's words run together: fewer separators between them than columns."""
    return len(re.findall(r"[ |\n\t]+", header.strip())) < max(1, len(roles) - 1) // 2


def peel_name(name: Token, roles: list[str]) -> tuple[Token, list[Token]]:
    """The cells a copy ran into the name, taken off its end: the unit and 定性/定量 columns that stand right after the
    name ("控制率%定量指标"), then a doubled value ("高高": target and actual written alike) where value columns follow."""
    text, start = name.text, name.start
    peeled: list[Token] = []
    end = start + len(text)
    lead: list[str] = []
    for role in roles:
        if role not in ("unit", "comparator"):
            break
        lead.append(role)
    after = roles[len(lead) : len(lead) + 2]
    if len(after) == 2 and all(r in VALUES for r in after):
        halves = [n for n in range(1, 7) if len(text) > 2 * n + 1 and text[-n:] == text[-2 * n : -n]]
        if len(halves) == 1:
            n = halves[0]
            end -= 2 * n
            peeled = [Token("text", text[-2 * n : -n], end, end + n, name.row),
                      Token("text", text[-n:], end + n, end + 2 * n, name.row)]
            text = text[: -2 * n]
    for role in reversed(lead):
        words = _KINDS if role == "comparator" else _UNIT_WORDS
        for word in sorted(words, key=len, reverse=True):
            if text.endswith(word) and len(text) > len(word) + 1:
                end -= len(word)
                peeled.insert(0, Token("text", word, end, end + len(word), name.row))
                text = text[: -len(word)]
                break
    lead_chars = len(text) - len(text.lstrip("“”\"'‘’、,，.。:：;； "))
    return Token("text", text[lead_chars:], start + lead_chars, end, name.row), peeled


def split_flag(tok: Token) -> tuple[Token, Token | None]:
    """"否“三公经费变动率%": the 是否核心指标 flag of one row glued to the next row's name."""
    if tok.kind == "text" and len(tok.text) > 1 and tok.text[0] in "是否":
        rest = Token("text", tok.text[1:], tok.start + 1, tok.end, tok.row)
        return Token("text", tok.text[0], tok.start, tok.start + 1, tok.row), rest
    return tok, None


def _alternatives(tok: Token) -> list[list[Token]]:
    """The ways one value token may hold several cells: "22" = 2 | 2, "20100%" = 20 | 100%, "0100%" = 0 | 100%."""
    if tok.kind != "value":
        return [[tok]]
    body = tok.text.replace(" ", "")
    m = _PIECE.match(body)
    if m is None or m.group("cmp") or len(m.group("num")) > 12 or len(body) != len(tok.text):
        return [[tok]]
    run, suffix = m.group("num"), m.group("suffix") or ""
    out = [[tok]] if _plain(run) else []
    for k in (2, 3):
        for at in combinations(range(1, len(run)), k - 1):
            bounds = (0, *at, len(run))
            parts = [run[a:b] for a, b in pairwise(bounds)]
            if not all(_plain(p) for p in parts):
                continue
            if suffix and any(Decimal(p) > 100 for p in parts[:-1]):
                continue  # what is glued before a figure with its unit is a weight, a score or a bare value
            pieces = []
            for (a, b), part in zip(pairwise(bounds), parts, strict=True):
                text = part + (suffix if b == len(run) else "")
                end = tok.start + b + (len(suffix) if b == len(run) else 0)
                pieces.append(Token("value", text, tok.start + a, end, tok.row, typed=type_cell(text)))
            out.append(pieces)
    return out


def _plain(text: str) -> bool:
    return bool(re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d+)?", text))


def _fits(role: str, tok: Token) -> bool:
    typed = tok.typed
    if role in ("weight", "score"):
        return score_figure(tok) is not None
    if role == "coefficient":
        return typed is not None and typed.kind is Kind.PERCENT
    if role in VALUES:
        if tok.kind == "value":
            return True
        return tok.kind == "text" and len(tok.text) <= 8 and tok.text not in ("是", "否", *_KINDS, *_UNIT_WORDS)
    if role == "unit":
        return tok.kind == "text" and tok.text in _UNIT_WORDS
    if role == "comparator":
        return tok.kind == "cmp" or (tok.kind == "text" and tok.text in _KINDS)
    if role == "core":
        return tok.kind == "text" and tok.text in ("是", "否")
    if role == "reason":
        return tok.kind == "text"
    return False


def _holds(chosen: dict[str, Token], scored: bool) -> bool:
    weight = score_figure(chosen["weight"]) if "weight" in chosen else None
    score = score_figure(chosen["score"]) if "score" in chosen else None
    if scored and (weight is None or score is None):
        return False  # a lone figure is not forced into the weight: a glued row is read when it is filled
    if weight is not None and weight.value <= 0:
        return False
    if weight is not None and score is not None and score.value > weight.value:
        return False
    coefficient = chosen.get("coefficient")
    if coefficient is not None:
        typed = coefficient.typed
        if typed is None or typed.number is None or weight is None or score is None:
            return False
        places = -typed.number.as_tuple().exponent  # type: ignore[operator]
        share = score.value / weight.value * 100
        if abs(share - typed.number) > Decimal(5) / Decimal(10) ** (places + 1) + Decimal("1e-9"):
            return False
    return True


def _assign(pieces: list[Token], roles: list[str], scored: bool) -> Iterator[dict[str, Token]]:
    """Every in-order assignment of all pieces to distinct columns that their types and the row's arithmetic allow."""

    def walk(p: int, r: int, chosen: dict[str, Token]) -> Iterator[dict[str, Token]]:
        if p == len(pieces):
            if _holds(chosen, scored):
                yield dict(chosen)
            return
        for k in range(r, len(roles)):
            if len(pieces) - p > len(roles) - k:
                return
            if _fits(roles[k], pieces[p]):
                chosen[roles[k]] = pieces[p]
                yield from walk(p + 1, k + 1, chosen)
                del chosen[roles[k]]

    yield from walk(0, 0, {})


def cut_row(name: Token, atoms: list[Token], roles: list[str]) -> IndicatorRow | None:
    """The row `name` + `atoms` under `roles` (the band's columns after the name), read where it is unambiguous."""
    scored = "weight" in roles
    readings: list[dict[str, Token]] = []
    choices: list[list[list[Token]]] = [_alternatives(a) for a in atoms]
    combos = 1
    for c in choices:
        combos *= len(c)
    if combos > 1000:
        return None
    for picks in _product(choices):
        pieces = [t for part in picks for t in part]
        if len(pieces) > len(roles):
            continue
        for reading in _assign(pieces, roles, scored):
            readings.append(reading)
            if len(readings) > _MAX_SOLUTIONS:
                return None  # too many ways to read it: none of them is the row
    if not readings:
        return None
    agreed: dict[str, Token] = {}
    for role in roles:
        seen = {(r[role].start, r[role].end, r[role].text) if role in r else None for r in readings}
        if len(seen) == 1 and None not in seen:
            agreed[role] = readings[0][role]
    if scored and "weight" not in agreed:
        return None
    row = IndicatorRow(name.text, name.start, max([name.end, *(t.end for t in atoms)]))
    for role, tok in agreed.items():
        if role in ("weight", "score"):
            setattr(row, role, score_figure(tok))
        elif role in (*VALUES, "unit", "comparator", "reason"):
            row.cells[role] = tok
    return row


def collect(toks: list[Token], j: int, roles: list[str]) -> tuple[list[Token], int, Token | None]:
    """The pieces of one glued row after its name: figures, dashes and the short words a cell may hold, up to the next
    name, category word or total. Returns them, where the row ends, and the next row's name if a flag was glued to it."""
    atoms: list[Token] = []
    while j < len(toks) and len(atoms) <= len(roles) + 2:
        tok = toks[j]
        if tok.kind in ("value", "cmp"):
            atoms.append(tok)
        elif tok.kind == "word":
            break
        elif tok.kind == "text":
            if "core" in roles and atoms and tok.text[0] in "是否":
                flag, rest = split_flag(tok)
                atoms.append(flag)
                return atoms, j + 1, rest
            half = len(tok.text) // 2
            if len(tok.text) > 2 and tok.text[:half] == tok.text[half:] and not len(tok.text) % 2:
                atoms += [Token("text", tok.text[:half], tok.start, tok.start + half, tok.row),
                          Token("text", tok.text[half:], tok.start + half, tok.end, tok.row)]
            elif (tok.text in _KINDS or tok.text in _UNIT_WORDS or len(tok.text) <= 2) and not _ELLIPSIS.match(tok.text) \
                    and not (j + 1 < len(toks) and toks[j + 1].kind == "note" and toks[j + 1].start == tok.end):
                atoms.append(tok)  # a short cell; not the head of a name with brackets ("及时(按期)完工率")
            else:
                break
        j += 1
    return atoms, j, None


def _product(choices: list[list[list[Token]]]) -> Iterator[list[list[Token]]]:
    if not choices:
        yield []
        return
    for first in choices[0]:
        for rest in _product(choices[1:]):
            yield [first, *rest]
