"""COUNT claims: a number of things and the things listed ("7个股室:办公室、…", "a、b、c三个方面"),
and a count split into states ("共35个标段，其中已完工22个、在建13个").

A list is closed unless it says it is not (等, 等等, 包括但不限于, 主要, 如): only a closed list
whose items cannot be made to number n is wrong. Items are split at 、 outside brackets and
quotes; "a、b和c" may be two items or three, so a list has a fewest and a most.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.core.claims.base import NUM, Claim, Quantity, blank_brackets, quantities
from jixiao.core.numbers import cn_to_int

CN = "一二三四五六七八九十两"
N = rf"(?P<n>\d{{1,2}}|[{CN}]{{1,3}})"
# "7个股室:" / "12类项目,包括" / "3个方面(a、b、c)"
N_FIRST = re.compile(
    rf"{N}\s*(?P<mw>个|类|项|大类|种|家|所|条|名|位|方面|部分)(?P<noun>[\u4e00-\u9fff]{{0,10}}?)"
    r"(?P<intro>:|\(|,?(?:分别是|分别为|分别有|包括|包含|即)[:]?)"
)
# "a、b、c三个方面" / "a、b、c等3类": only words that count kinds, never a count of events
# … or that count the parts of an organisation, with their measure word ("a、b…12个内设机构", "a、b两个科室")
N_LAST = re.compile(
    rf"(?P<deng>等等?)?(?:这|共|共计)?{N}\s*(?:(?P<mw>个|大|类)?(?P<noun>方面|部分|环节|领域|大类|类|板块|步骤)"
    r"|个(?P<org>(?:内设|直属|下属|所属)?(?:机构|科室|处室|股室|职能部门|职能科室|业务科室|事业单位|二级单位)))"
)
OPEN_BEFORE = re.compile(r"主要|如|例如|诸如|包括但不限于|不限于|部分|重点|其中|一些|若干")
OPEN_END = re.compile(r"(?:等等?|之类|……|…|\.\.\.)$")
JOINERS = re.compile(r"和|及|以及|与|或")
ENUMERATOR = re.compile(rf"^[{CN}\d]{{1,3}}$|^\(|^[(（]?[{CN}\d]+[)）]")
PROGRESS = re.compile(r"已|完成|完工|开工|启动|验收|实施|建成|投入使用|累计")
STATE_TOTAL = re.compile(rf"(?:共|共计|合计|总计|总数|现有)(?P<num>{NUM})\s*(?P<mw>个|项|家|所|条|座|户|名|人|处|间|村)"
                         r"(?P<noun>[\u4e00-\u9fff]{0,8}?),?其中")
OPENERS, CLOSERS = "(（\"《「'", ")）\"》」'"
# A count written with no measure word, right after the kind of unit it counts ("内设股室7:a、b…",
# "下设科室5\n科室:a、b…"): only nouns that name parts of an organisation, so a figure after any other
# word (a year, an amount, a code) is never taken for a count, and only after a word that sets them up
# (内设/下设/下辖 …), so "第二中队2:" (a team's number) is not one either.
ORG = "股室|科室|处室|科所|站所|所站|机构|部门|单位|中心|办公室|大队|中队|股|科|处|室|站|所|队|院|校|分局"
BARE = re.compile(rf"(?P<noun>(?:内设|下设|下辖|设有|设立|所属|直属|下属|现有|共有)[\u4e00-\u9fff]{{0,6}}?(?P<org>{ORG}))(?P<n>\d{{1,2}})(?![\d.%])(?P<sep> *: *| *\n)")
COUNTED_INSIDE = re.compile(r"\d\s*(?:个|家|类|项|名|人|所)")
NEXT_LABEL = re.compile(r"(?P<label>[\u4e00-\u9fff]{2,10}) *: *")


def _n(text: str) -> int | None:
    return int(text) if text.isdigit() else cn_to_int(text.replace("两", "二"))


def _split_items(text: str) -> list[str] | None:
    """text split at 、 outside brackets and quotes; None when brackets do not balance."""
    items, depth, start = [], 0, 0
    quote = False
    for i, ch in enumerate(text):
        if ch == '"':
            quote = not quote
        elif ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth -= 1
            if depth < 0:
                return None
        elif ch == "、" and depth == 0 and not quote:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return items if depth == 0 and not quote else None


def _list_end(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and (ch in "。;\n,:" or (ch == "." and not text[i + 1 : i + 2].isdigit())):
            return i
    return len(text)


def _labelled_items(text: str, start: int) -> tuple[int, str] | None:
    """A list whose items are "name:what it is", split at 、, up to the sentence's end: (its end, the names joined
    by 、). None unless every item has exactly one ":" outside brackets and the list runs to 。/;/a line's end
    (a "," first leaves where the list stops uncertain)."""
    flat = blank_brackets(text[start:], OPENERS, CLOSERS)
    stop = re.search(r"[。;\n,]", flat)
    if stop is not None and stop.group() == ",":
        return None
    end = start + (stop.start() if stop is not None else len(flat))
    items = _split_items(text[start:end])
    if items is None:
        return None
    names = []
    for item in items:
        colons = [i for i, ch in enumerate(blank_brackets(item, OPENERS, CLOSERS)) if ch == ":"]
        if len(colons) != 1 or not item[: colons[0]].strip() or not item[colons[0] + 1 :].strip():
            return None
        names.append(item[: colons[0]])
    return end, "、".join(names)


def _claim(text: str, n: int, start: int, end: int, body: str, body_start: int, opened: bool) -> Claim | None:
    items = _split_items(body.strip())
    if items is None or len(items) < 2:
        return None
    last = items[-1].strip()
    closed = not opened and OPEN_END.search(last) is None and not text[end : end + 2].startswith("等")
    items = [OPEN_END.sub("", it).strip() for it in items]
    if any(not it or ENUMERATOR.search(it) or len(it) > 30 or it.isdigit() or COUNTED_INSIDE.search(it) for it in items):
        return None  # "一、二、三标段", a numbered list, a run-on clause, another count ("人事科2个科室和"): not a list of names
    fewest = len(items)
    most = fewest + sum(len(JOINERS.findall(it)) for it in items)
    return Claim("count", _count_quantity(n, start), start, end, n_items=n, items=tuple(items),
                 closed=closed, listed=(fewest, most))


def _count_quantity(n: int, start: int) -> Quantity:
    return Quantity(Decimal(n), "个", "个", start, start + len(str(n)), 0)


def count_claims(text: str, sums: list[Claim] | None = None) -> list[Claim]:
    """Listed items against the number stated for them; counts split into states."""
    claims: list[Claim] = []
    for m in N_FIRST.finditer(text):
        n = _n(m.group("n"))
        if n is None or n < 2 or (m.start() > 0 and text[m.start() - 1].isdigit()):
            continue
        body_start = m.end()
        if m.group("intro") == "(":
            close = _list_end(text, body_start)
            if text[close : close + 1] not in ")）":
                continue
            body_end = close
        else:
            body_end = _list_end(text, body_start)
        body = text[body_start:body_end]
        if text.startswith(":", body_end) and "、" not in body:
            # "3个单位:a(本级):行政单位、b:事业单位、c:事业单位" — each item a name and what it is
            labelled = _labelled_items(text, body_start)
            if labelled is None:
                continue
            body_end, body = labelled
        opened = OPEN_BEFORE.search(text[max(0, m.start() - 8) : m.start()] + m.group("intro")) is not None
        claim = _claim(text, n, m.start(), body_end, body, body_start, opened)
        if claim is not None:
            claims.append(claim)
    for m in N_LAST.finditer(text):
        n = _n(m.group("n"))
        if n is None or n < 2:
            continue
        clause_start = max(text.rfind(ch, 0, m.start()) for ch in "。;\n,:") + 1
        body = text[clause_start : m.start()]
        intro = re.search(r"(?:包括|包含|涉及|围绕|从|在|有|是|即|抓好|做好|加强)", body)
        if intro is not None:
            body = body[intro.end() :]
        opened = m.group("deng") is not None or OPEN_BEFORE.search(text[clause_start : m.start()]) is not None
        claim = _claim(text, n, clause_start, m.end(), body, clause_start, opened)
        if claim is not None:
            claims.append(claim)
    claims.extend(_bare_counts(text))
    claims.extend(_state_sums(text, sums or []))
    return claims


def _bare_counts(text: str) -> list[Claim]:
    """"内设股室7:a、b、…" or "内设股室7" over a line "内设股室:a、b、…" (the same kind of unit named again)."""
    claims = []
    for m in BARE.finditer(text):
        n = int(m.group("n"))
        if n < 2:
            continue
        body_start = m.end()
        if m.group("sep").strip() != ":":
            label = NEXT_LABEL.match(text, body_start)
            if label is None or not label.group("label").endswith(m.group("org")):
                continue
            body_start = label.end()
        opened = OPEN_BEFORE.search(text[max(0, m.start() - 8) : m.start("n")]) is not None
        body_end = _list_end(text, body_start)
        claim = _claim(text, n, m.start("n"), body_end, text[body_start:body_end], body_start, opened)
        if claim is not None:
            claims.append(claim)
    return claims


def _state_sums(text: str, sums: list[Claim]) -> list[Claim]:
    """"共35个标段，其中已完工22个、在建13个": parts that are states of the whole (one progress state at most,
    so that 已开工 ⊃ 已完工 is never added up)."""
    taken = {c.start for c in sums}
    claims = []
    for m in STATE_TOTAL.finditer(text):
        total = quantities(text, m.start("num"), m.end("mw"))
        if not total or total[0].start in taken:
            continue
        whole = total[0]
        end = _list_end(text, m.end())
        stop = text.find("。", m.end())
        end = min(end if end > m.end() else len(text), stop if stop >= 0 else len(text))
        clauses = re.split(r"[、,]", text[m.end() : end])
        parts, labels, pos = [], [], m.end()
        for clause in clauses:
            found = [q for q in quantities(text, pos, pos + len(clause)) if q.dimension == whole.dimension]
            if len(found) != 1:
                break
            parts.append(found[0])
            labels.append(text[pos : found[0].start])
            pos += len(clause) + 1
        if len(parts) < 2 or sum(1 for lab in labels if PROGRESS.search(lab)) > 1:
            continue
        claims.append(Claim("sum", whole, whole.start, parts[-1].end, tuple(parts), None, name="states"))
    return claims
