"""SUM claims ("共计T万元，其中a、b、c": the parts of a total) and OVER-TASK claims ("超任务X%").

Parts are parts, never restatements of the total: a clause that states another measure of it
(paid, used, a rate) ends the list.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.core.claims.base import NUM, Claim, Quantity, blank_brackets, inherited, quantity

COUNT_UNITS = "户个项家名人所条座场件套台辆处批村间"
# The SUM reader's figures: money, or a count by its measure word.
QUANTITY = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>万元|亿元|元(?!/)|[{COUNT_UNITS}])")
# A total: its word right before the figure, or 共 opening what the figure is of ("本项目共申请预算资金T元，其中",
# "共下达补助资金T万元，其中") — not the 共 of 公共 (一般公共预算).
TOTAL_WORD = re.compile(
    r"(?:(?:共计|合计|总计|共|总额为?|规模为?|(?:收入|支出)(?:为|:))(?:安排|投入|下达)?(?:为|约)?"
    r"|(?<!公)共(?:申请|安排|投入|下达|拨付|争取|筹集|落实|到位|完成|支出|使用|发放|兑现|整合|获得)[\u4e00-\u9fff]{0,6}?(?:为|约)?)$"
)
PART_BREAK = re.compile(r"[。;\n]|\.(?!\d)")  # a half-width copy ends its sentences with "."
# A clause that states another measure (paid, used, a rate) ends a list of parts.
NOT_A_PART = re.compile(r"已|支付|使用|到位|执行|结余|剩余|完成|拨付|累计|共计|合计|总计|占|率|较|同比|增长|下降|减少|计划")
N_ITEMS = re.compile(r"(?P<n>\d+|[两二三四五六七八九十])\s*(?:类|个|项|大类)")
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}
TASK = re.compile(rf"任务(?:数)?(?:为|是)?\s*(?P<num>{NUM})\s*(?P<unit>[{COUNT_UNITS}])")
DONE = re.compile(rf"(?:实际)?完成[^。;,\d]{{0,12}}?(?P<num>{NUM})\s*(?P<unit>[{COUNT_UNITS}])")
OVER_TASK = re.compile(rf"超(?:额完成)?(?:年度)?(?:目标)?任务(?:数)?(?P<num>{NUM})%")


def sum_claims(text: str) -> list[Claim]:
    """"共计T万元，其中a、b、c": the parts of a total (two or more), not restatements of it."""
    claims: list[Claim] = []
    for m in re.finditer("其中", text):
        listed = text.startswith(":", m.end())  # "T万元。其中:a万元;b万元": a list that opens a sentence
        window = max(0, m.start() - 80)
        before = _without_comparison(text[window : m.start()].rstrip(",:(（ " + ("。;." if listed else "")))
        totals = _found(text, window, before, window)
        # the total right before 其中, or followed by its noun ("共3000名学生，其中")
        if not totals or re.fullmatch(r"[\u4e00-\u9fff]{0,6}", before[totals[-1].end - window :]) is None:
            continue
        total = totals[-1]
        if TOTAL_WORD.search(before[: total.start - window].rstrip()) is None:
            continue
        stop = PART_BREAK.search(text, m.end())
        end = stop.start() if stop else len(text)
        if stop is not None and stop.group() == ";" and listed:
            # parts separated by ";" ("财政拨款收入a万元,占x%;其他收入b万元,占y%"): the list runs to the "。"
            close = re.compile(r"[。\n]|\.(?!\d)").search(text, m.end())
            end = close.start() if close else len(text)
            parts = _semicolon_parts(text, m.end(), end, total.dimension)
        else:
            parts = _parts(text, m.end(), end, total.dimension)
        if len(parts) < 2:
            continue
        head = text[max(0, total.start - 30) : end]
        n = N_ITEMS.search(head)
        claims.append(Claim("sum", total, total.start, end, tuple(parts), len(parts) if n is None else _count(n.group("n")),
                            counted=n is not None))
    claims.extend(_counted_totals(text, claims))
    claims.extend(_staff_by_post(text, claims))
    return claims


# A unit's staff split by post ("在职人员81人,专业技术人员57人、管理人员1人,工勤人员23人"), with or without 其中: the
# three kinds of post of a public institution are a partition of its staff, so named one after another right
# after the staff's number they are its parts. Only these words: other staff figures after a total (退休人员,
# 编外人员, 借调 …) are not its parts.
STAFF_TOTAL = re.compile(
    r"(?:在职人员|在职职工|在编人员|在职在编人员|实有人员|现有人员|在岗人员|在职干部职工|干部职工|工作人员)(?:总数|总人数)?"
    r"(?:为|有|共|共有|共计)?(?P<num>\d+)\s*(?P<unit>[人名])(?:,?其中:?|,|:)"
)
POST = re.compile(r"(?P<label>[\u4e00-\u9fff]{2,8}?)(?:为|有)?(?P<num>\d+)\s*(?P<unit>[人名])")
POST_WORD = re.compile(r"(?:管理|专业技术|专技|工勤技能|工勤)(?:岗位|岗)?(?:人员)?")


def _staff_by_post(text: str, sums: list[Claim]) -> list[Claim]:
    taken = {c.start for c in sums}
    claims = []
    for m in STAFF_TOTAL.finditer(text):
        total = quantity(m)
        if total.start in taken:
            continue
        parts: list[Quantity] = []
        pos = m.end()
        while (part := POST.match(text, pos)) is not None and POST_WORD.fullmatch(part.group("label")):
            parts.append(quantity(part))
            pos = part.end()
            if text[pos : pos + 1] not in ("、", ","):
                break
            pos += 1
        if len(parts) >= 2:
            claims.append(Claim("sum", total, total.start, parts[-1].end, tuple(parts), len(parts), name="posts"))
    return claims


# A comparison between a total and its parts ("T万元,较2024年的2190万元减少221万元,下降10.1%;其中:…"): said of T.
_CHANGE = r"(?:增加|减少|增长|下降|持平|上升|降低|增幅|降幅|增|减)"
COMPARISON = re.compile(rf"^(?:(?:同口径|同比)?(?:较|比|与)[^,;。]*?{_CHANGE}|同比{_CHANGE}?|{_CHANGE})[^,;。]*$")


def _without_comparison(before: str) -> str:
    """`before` with the comparison clauses that end it taken off (same start, so offsets hold)."""
    while True:
        cut = max(before.rfind(","), before.rfind("，"))
        if cut < 0 or COMPARISON.match(before[cut + 1 :].strip()) is None:
            return before
        before = before[:cut].rstrip()


def _parts(text: str, start: int, end: int, dimension: str) -> list[Quantity]:
    parts: list[Quantity] = []
    depth = 0
    clause_start = start
    for i in range(start, end + 1):
        ch = text[i] if i < end else ","
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ",、，":
            clause = text[clause_start:i]
            found = _found(text, clause_start, _flat(clause), clause_start)
            same = [q for q in found if q.dimension == dimension]
            if not found:
                continue  # a name listed with 、 ("监管、稽核经费20万元"): one clause with the next
            if len(same) == 1 and NOT_A_PART.search(_flat(clause)[: same[0].start - clause_start]) is None:
                parts.append(same[0])
            elif parts:
                break
            clause_start = i + 1
    return parts


def _found(text: str, start: int, fragment: str, offset: int) -> list[Quantity]:
    """The SUM reader's figures in `fragment` (text[start:…], maybe with brackets blanked), at their offsets
    in `text`: those written with a unit, and bare amounts under a stated unit ("单位：元")."""
    found = [quantity(q, offset) for q in QUANTITY.finditer(fragment)]
    more = [q for q in inherited(text, start, start + len(fragment)) if fragment[q.start - offset : q.end - offset].strip()]
    return sorted(found + more, key=lambda q: q.start) if more else found


def _count(written: str) -> int:
    return int(written) if written.isdigit() else _NUMERALS[written]


def _semicolon_parts(text: str, start: int, end: int, dimension: str) -> list[Quantity]:
    """One part per ";" clause: its first figure of the total's kind (what follows in the clause — its
    share, what it was used for — is about that part, not another one)."""
    parts: list[Quantity] = []
    clause_start = start + 1  # after the ":"
    for clause_end in [*(i for i in range(start, end) if text[i] == ";"), end]:
        clause = _flat(text[clause_start:clause_end])
        found = _found(text, clause_start, clause, clause_start)
        first = found[0] if found else None
        if first is None or first.dimension != dimension or NOT_A_PART.search(clause[: first.start - clause_start]):
            break
        parts.append(first)
        clause_start = clause_end + 1
    return parts


def _flat(clause: str) -> str:
    """A clause with its bracketed sub-parts blanked (same length, so offsets hold)."""
    return blank_brackets(clause)


COUNTED_TOTAL = re.compile(rf"(?:共计|合计|总计)(?P<num>{NUM})\s*(?P<unit>万元|亿元|元)[^。;]{{0,20}}?(?P<n>\d+)\s*(?:类|个|项)")


def _counted_totals(text: str, sums: list[Claim]) -> list[Claim]:
    """"共计T万元，计划用于6类专项": a total of n items stated without its parts."""
    inside = [(c.start, c.end) for c in sums]
    claims = []
    for m in COUNTED_TOTAL.finditer(text):
        if any(s <= m.start("num") < e for s, e in inside):
            continue
        claims.append(Claim("sum", quantity(m), m.start("num"), m.end(), (), int(m.group("n")), counted=True))
    return claims


def over_task_claims(text: str) -> list[Claim]:
    """"超任务X%": (done − task) / task, with the task and the done figure read before it."""
    claims = []
    for m in OVER_TASK.finditer(text):
        before = text[: m.start()]
        tasks = list(TASK.finditer(before))
        if not tasks:
            continue
        task = quantity(tasks[-1])
        dones = [quantity(d) for d in DONE.finditer(before) if d.group("unit") == task.unit and d.start() != tasks[-1].start()]
        if not dones:
            continue
        claims.append(Claim("over_task", Decimal(m.group("num")), m.start(), m.end(),
                            inputs={"task": task, "done": dones[-1]}))
    return claims

