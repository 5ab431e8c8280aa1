"""Claims that divide or multiply: RATE (执行率 over two amounts), SHARE (A占B的X%), DELTA (较上年增长)
and UNIT COST × COUNT (每村0.44万元 × 832个村).

Each reader keeps to one sentence and to figures of one dimension. Where a sentence can be read
more than one way (two budgets, two counts), every reading goes into the claim's options and the
check raises only when none of them reproduces the stated figure.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import permutations

from jixiao.core.claims.base import (
    NUM,
    PERCENT,
    Claim,
    Quantity,
    money,
    percent_quantity,
    places_of,
    quantities,
    sentence_span,
)

RATE = re.compile(
    rf"(?P<name>(?:预算|资金)?(?:执行|支出|支付|使用|拨付|到位|完成|完工|兑现|发放|开工|验收)(?:进度|率))"
    rf"(?:为|是|达|达到|约为?|仅为?)?(?P<num>{NUM})\s*(?P<unit>%|‰)(?!\s*(?:以上|以下|左右|以内|及以上))"
)
GOAL = re.compile(r"目标|要求|确保|力争|计划|预计|考核|标准|不低于|不少于|应达|争取|指标值")
NUM_WORD = "执行|支出|支付|使用|拨付|兑现|发放|实际|决算|完成|完工|开工|验收|实现|建成|到账"
DEN_WORD = "预算|年初|全年|调整后|计划|任务|目标|安排|批复|核定|下达|应到位|应|总额|合计|共计|总计|规模"
ROLE = re.compile(rf"(?P<den>{DEN_WORD})|(?P<num>{NUM_WORD})|(?P<arrive>到位)|(?P<past>上年|去年|同期)")
LABEL_REACH = 16


def _label(text: str, q: Quantity, floor: int) -> str:
    return text[max(floor, q.start - LABEL_REACH) : q.start]


def _role(label: str, rate_name: str) -> str | None:
    """"numerator", "denominator" or None, by the last role word before the figure."""
    last = None
    for m in ROLE.finditer(label):
        last = m
    if last is None:
        return None
    if last.group("past"):
        return "past"
    if last.group("arrive"):
        return "numerator" if rate_name.startswith(("到位", "资金到位")) else "denominator"
    return "numerator" if last.group("num") else "denominator"


def _figures(text: str, start: int, end: int) -> list[tuple[Quantity, int]]:
    """Quantities in [start, end) with the end of the figure before each (the start of its label)."""
    found = quantities(text, start, end, inherit=True) + [percent_quantity(m) for m in PERCENT.finditer(text, start, end)]
    found.sort(key=lambda q: q.start)
    out, floor = [], start
    for q in found:
        if q.dimension not in ("percent", "permille"):
            out.append((q, floor))
        floor = q.end
    return out


def rate_claims(text: str) -> list[Claim]:
    """"预算19.3万元，实际支出3.12万元，执行率16.17%": the rate against the two amounts before it, in its
    sentence or, where the sentence lacks them, the paragraph's ("全年预算数500万元。……实际支出450万元，执行率90%")."""
    claims: list[Claim] = []
    floor_at = 0
    for m in RATE.finditer(text):
        left, _ = sentence_span(text, m.start())
        seg_start = max(left, floor_at)
        floor_at = m.end()
        segment = text[seg_start : m.start()]
        if "|" in segment or GOAL.search(text[max(seg_start, m.start() - 12) : m.start()]):
            continue
        name = m.group("name")
        roles = _roles(text, seg_start, m.start(), name)
        if len(roles) > 6:
            continue
        if SUB_PART.search(text[left : m.start()]) is None:
            roles = _from_paragraph(text, left, seg_start, roles, name)
        nums = [q for q, r in roles if r == "numerator"]
        if not nums:
            continue
        num = nums[-1]
        dens = [q for q, r in roles if r == "denominator" and q.dimension == num.dimension and q is not num]
        if not dens and seg_start > left and SUB_PART.search(text[left : m.start()]) is None:
            # The sentence's second rate ("预算500万元,到位400万元,到位率80%,支出150万元,执行进度30%"): its base
            # stands before the first rate. Of two bases there (the budget and the funds arrived), either may be
            # meant: the first is shown, and the rate is wrong only if it agrees with neither (the options).
            earlier = _roles(text, left, seg_start, name)
            bases = [q for q, r in earlier if r == "denominator" and q.dimension == num.dimension]
            if 1 <= len({q.value for q in bases}) <= 2:
                dens, roles = [bases[0]], earlier + roles
        if not dens and SUB_PART.search(text[left : m.start()]) is None:
            dens = _task_stated_before(text, left, num, roles, seg_start, name)
        if not dens:
            continue
        same = [q for q, r in roles if q.dimension == num.dimension and r != "past"]
        options = tuple({"numerator": a, "denominator": b} for a, b in permutations(same, 2)
                        if not (a is num and b is dens[-1]))
        stated = Decimal(m.group("num"))
        claims.append(Claim("rate", stated, m.start("name"), m.end("unit"),
                            inputs={"numerator": num, "denominator": dens[-1]}, options=options,
                            name=name + ("‰" if m.group("unit") == "‰" else "")))
    return claims


Roles = list[tuple[Quantity, str | None]]
# A part's rate ("其中…", "分别…"): its base is its own, not the whole stated earlier in the paragraph.
SUB_PART = re.compile(r"其中|分别|子项|各")


def _roles(text: str, start: int, end: int, name: str) -> Roles:
    return [(q, _role(_label(text, q, floor), name)) for q, floor in _figures(text, start, end)]


def _from_paragraph(text: str, left: int, seg_start: int, roles: Roles, name: str) -> Roles:
    """A rate's figures completed from the sentences before it in its paragraph: a rate standing alone
    ("1-6月完成率为15.69%") takes both from the sentence just before, if that sentence states no rate of
    its own; a numerator without its base takes the one base the paragraph states (none taken when it
    states two: which one is meant cannot be told)."""
    para = text.rfind("\n", 0, left) + 1
    if left <= para or seg_start > left:
        return roles
    if not roles:
        before, _ = sentence_span(text, left - 1)
        if before < para or RATE.search(text, before, left):
            return roles
        return _roles(text, before, left, name)
    has_num = any(r == "numerator" for _, r in roles)
    has_den = any(r == "denominator" for _, r in roles)
    if not has_num or has_den:
        return roles
    dimension = next(q.dimension for q, r in reversed(roles) if r == "numerator")
    bases = [q for q, r in _roles(text, para, left, name) if r == "denominator" and q.dimension == dimension]
    if len({q.value for q in bases}) != 1:
        return roles
    return [(bases[-1], "denominator"), *roles]


# A count's task named again ("完成农村危房改造129户": the stem 危房改造 in "危房改造计划任务53户").
STEM_NOISE = re.compile(r"[\d.,:()]|全区|全县|全市|全镇|全省|本单位|我区|我县|我市|我局|共计|累计|共|已|总|实际|年度|年")
STEM_LEN = 4


def _task_stated_before(text: str, left: int, num: Quantity, roles: Roles, seg_start: int, name: str) -> list[Quantity]:
    """A count's rate whose base stands anywhere earlier in the document ("完成2023年度53户计划任务" …
    "共完成农村危房改造129户,完工率243%"): only a count (never money: a document states many budgets), the
    only figure of its kind in the rate's sentence, and one base value under the same subject — the last
    characters of what the numerator names ("农村危房改造" → 危房改造) in the base's label, with the same
    measure word. Any other case (no such base, two values) is no claim."""
    if num.dimension in ("money", "percent", "permille") or sum(q.dimension == num.dimension for q, _ in roles) != 1:
        return []
    label = _label(text, num, seg_start)
    ends = [r.end() for r in ROLE.finditer(label)]
    stem = STEM_NOISE.sub("", label[ends[-1] :] if ends else "")[-STEM_LEN:]
    if len(stem) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in stem):
        return []
    bases = [q for q, r in _roles(text, 0, left, name)
             if r == "denominator" and q.dimension == num.dimension and stem in text[max(0, q.start - LABEL_REACH) : q.start]]
    return bases[-1:] if len({q.value for q in bases}) == 1 else []


SHARE = re.compile(r"占(?P<mid>[^。;\d%]{0,24}?)(?=\d)")
SHARE_TAIL = re.compile(rf"\s*的?(?:比例|比重|比率|比)?(?:为|是|达|约)?(?P<num>{NUM})\s*(?P<unit>%|‰)")


def share_claims(text: str) -> list[Claim]:
    """"实际在职136人，占编制数143人的比率为95.10%": A ÷ B against the stated share."""
    claims: list[Claim] = []
    for m in SHARE.finditer(text):
        before = quantities(text, max(0, m.start() - 14), m.start())
        if not before or text[before[-1].end : m.start()].strip(" ,") != "":
            continue
        after = quantities(text, m.end(), min(len(text), m.end() + 24))
        if not after or after[0].start != m.end():
            whole = _named_whole(text, m.group("mid"), before[-1]) if m.group("mid") else _whole_of(text, before[-1])
            tail = SHARE_TAIL.match(text, m.end())
            if whole is not None and tail is not None:
                claims.append(Claim("share", Decimal(tail.group("num")), before[-1].start, tail.end(),
                                    inputs={"numerator": before[-1], "denominator": whole},
                                    name="占比" + ("‰" if tail.group("unit") == "‰" else "")))
            continue
        a, b = before[-1], after[0]
        tail = SHARE_TAIL.match(text, b.end)
        if tail is None or a.dimension != b.dimension:
            continue
        claims.append(Claim("share", Decimal(tail.group("num")), a.start, tail.end(),
                            inputs={"numerator": a, "denominator": b},
                            name="占比" + ("‰" if tail.group("unit") == "‰" else "")))
    return claims


# "工资福利支出905709.06元,占基本支出预算79.89%" with "一般公共预算基本支出1133753.33元" stated elsewhere: the whole
# named after 占, found by its name in the document. The name must be specific (four characters or more once
# stage words are off: 支出 alone could be any of a report's), stated with one value only, and not of another
# stage (决算 against 预算).
WHOLE_NAME_NOISE = re.compile(r"\s|的|比重|比例|比率|总额|总数|合计|(?:为|是|达|约)$")
STAGES = re.compile(r"决算|执行|实际|调整后|年初|预算")
WHOLE_LABEL_NOISE = re.compile(r"\s|\d{4}年度?|一般公共预算|公共预算|[()（）]")


APPROXIMATE = re.compile(r"(?:约|近|超过|逾|大约|将近)$")
APPROXIMATE_AFTER = re.compile(r"\s*(?:左右|以上|多)")


def _stages(label: str) -> set[str]:
    return set(STAGES.findall(label.replace("一般公共预算", "").replace("公共预算", "")))


def _named_whole(text: str, mid: str, part: Quantity) -> Quantity | None:
    name = WHOLE_NAME_NOISE.sub("", mid)
    stem = re.sub(r"(?:预算|决算)(?:数)?$", "", name)
    if len(stem) < 4 or not all("\u4e00" <= ch <= "\u9fff" for ch in stem):
        return None
    found = []
    for q in quantities(text, 0, len(text), inherit=True):
        if q.dimension != part.dimension or q.start == part.start:
            continue
        clause = max(text.rfind(ch, max(0, q.start - 60), q.start) for ch in ",。;:\n、") + 1
        label = WHOLE_LABEL_NOISE.sub("", text[clause : q.start])
        if APPROXIMATE.search(label) or APPROXIMATE_AFTER.match(text, q.end):
            label = label.removesuffix("约")  # "总投资约22.66亿元": no whole to divide by at its written precision
            if label.endswith((stem, stem + "预算", stem + "决算")):
                return None
            continue
        if label.endswith((stem, stem + "预算", stem + "决算")):
            found.append((q, label))
    if len({q.value for q, _ in found}) != 1:
        return None
    whole, label = found[-1]
    mine, theirs = _stages(name), _stages(label.removesuffix(stem))
    if mine and theirs and mine != theirs:
        return None
    return whole if whole.value >= part.value > 0 else None


# "收入合计4125.49万元，其中：财政拨款3859.16万元，占93.54%；…": each part's share of the total before 其中.
WHOLE = re.compile(rf"(?:合计|总计|共计|总额|总收入|总支出|收入为|支出为)(?:为|是|达)?(?P<num>{NUM})\s*(?P<unit>万元|亿元|元)(?:[,:]?其中[,:]?|[。;]其中:)")


def _whole_of(text: str, part: Quantity) -> Quantity | None:
    """The total a part's bare "占X%" is a share of: the last "合计T，其中" before it in its sentence."""
    stop = max(text.rfind("。", 0, part.start), text.rfind("\n", 0, part.start))
    while stop > 0 and text.startswith("其中:", stop + 1):  # "T万元。其中:" opens the parts' sentence
        stop = max(text.rfind("。", 0, stop), text.rfind("\n", 0, stop))
    found = list(WHOLE.finditer(text, stop + 1, part.start))
    if not found:
        return None
    whole = money(found[-1].group("num"), found[-1].group("unit"), found[-1].start("num"), found[-1].end("unit"))
    return whole if whole.dimension == part.dimension and whole.end <= part.start else None


UP = "增加|增长|提高|上升|增"
COUNTED = "户个项家名人所条座场件套台辆处批村间"
DOWN = "减少|下降|降低|回落|减"
DELTA = re.compile(
    rf"(?:(?:较|比|与)(?P<base>上年度?|去年|上一年度?|上年同期|\d{{4}}年度?(?:同期)?)(?:决算数?|预算数?|执行数|同期数?|数)?(?:相比)?"
    rf"(?:(?:的|(?:(?!{UP}|{DOWN}|持平)[\u4e00-\u9fff]){{0,6}}?)(?P<prev>{NUM}\s*(?:万元|亿元|元|[{COUNTED}]))(?:相比)?)?|同比)\s*,?\s*"
    rf"(?P<dir>{UP}|{DOWN})了?(?:为)?"
)
CHANGE_PCT = re.compile(rf"\s*[,、]?\s*(?:同比)?(?:{UP}|{DOWN}|增幅|降幅|幅度)了?(?:为|达)?(?P<num>{NUM})\s*%")


def _direction(word: str) -> int:
    return 1 if re.fullmatch(UP, word) else -1


def delta_claims(text: str) -> list[Claim]:
    """"支出500万元，较上年增加100万元，增长25%" / "上年400万元…同比增长25%": the change against both years."""
    claims: list[Claim] = []
    floor_at = 0
    for m in DELTA.finditer(text):
        left, right = sentence_span(text, m.start())
        seg_start = max(left, floor_at)
        floor_at = m.end()
        direction = _direction(m.group("dir"))
        change: Quantity | None = None
        pct: Quantity | None = None
        after = m.end()
        p = PERCENT.match(text, after)
        if p is not None:
            pct = percent_quantity(p)
            after = p.end()
        else:
            q = quantities(text, after, min(right, after + 16))
            if q and q[0].start == after:
                change = q[0]
                after = change.end
                t = CHANGE_PCT.match(text, after)
                if t is not None:
                    pct = Quantity(Decimal(t.group("num")), "%", "percent", t.start("num"), t.end(), places_of(t.group("num")))
                    after = t.end()
        if pct is None and change is None:
            continue
        base = m.group("base") or ""
        figures = _figures(text, seg_start, m.start())
        current: Quantity | None = None
        previous: Quantity | None = None
        current_label = ""
        for figure, floor in figures:
            label = _label(text, figure, floor)
            if PRIOR.search(label) or (base[:4].isdigit() and base[:4] in label):
                previous = figure
            else:
                current, current_label = figure, label
        # Only a sentence that opens with the comparison ("较上年减少…", "收支较上年…") compares the sentence before;
        # one that names its own subject ("公务接待费同口径比2018年减少38万元") compares a figure not stated.
        # (a share said first, "…占一般公共预算支出的" / "96.74%,同比减少…", is said of that subject too)
        opening = PERCENT.sub("", text[left : m.start()]).strip(" ,")
        if current is None and not figures and seg_start == left and len(opening) <= 4:
            current = _elided_subject(text, left)
        if m.group("prev"):
            previous = quantities(text, m.start("prev"), m.end("prev"))[0]
        elif previous is None and current is not None:
            previous = _previous_in_paragraph(text, left, current, current_label, base)
        if current is None or current.dimension in ("percent", "permille"):
            continue
        if change is not None and change.dimension != current.dimension:
            continue
        if previous is not None and previous.dimension != current.dimension:
            previous = None
        inputs = {"current": current}
        if previous is not None:
            inputs["previous"] = previous
        if change is not None:
            inputs["change"] = change
        if len(inputs) < 2 or (pct is None and change is None):
            continue
        claims.append(Claim("delta", pct.value if pct is not None else change.value,  # type: ignore[union-attr]
                            current.start, after, inputs=inputs, direction=direction,
                            name="" if pct is None else "%"))
    return claims


# "收、支总计各是a,b万元。与上年相比,收、支总计各减少c,d万元,各下降x%、y%": two deltas written side by side.
_PAIR = rf"(?P<{{0}}1>{NUM})\s*(?:万元)?\s*[,、和]\s*(?P<{{0}}2>{NUM})\s*(?P<{{0}}u>万元|亿元|元)"
EACH_IS = re.compile(rf"各(?:是|为)?{_PAIR.format('cur')}")
EACH_CHANGE = re.compile(rf"各(?P<dir>{UP}|{DOWN})了?{_PAIR.format('chg')}")
EACH_PCT = re.compile(rf",?\s*各(?:{UP}|{DOWN})了?(?P<p1>{NUM})\s*%\s*[,、和]\s*(?P<p2>{NUM})\s*%")


def distributive_delta_claims(text: str) -> list[Claim]:
    """Each of two figures with its own change and %, the pairs written "各…a、b": a delta for each."""
    claims: list[Claim] = []
    for cur in EACH_IS.finditer(text):
        _, right = sentence_span(text, cur.end())
        _, next_right = sentence_span(text, right + 1) if right < len(text) else (right, right)
        change = EACH_CHANGE.search(text, cur.end(), next_right)
        if change is None:
            continue
        pct = EACH_PCT.match(text, change.end())
        if pct is None:
            continue
        direction = _direction(change.group("dir"))
        for k in ("1", "2"):
            current = money(cur.group("cur" + k), cur.group("curu"), cur.start("cur" + k), cur.end("cur" + k))
            delta = money(change.group("chg" + k), change.group("chgu"), change.start("chg" + k), change.end("chg" + k))
            claims.append(Claim("delta", Decimal(pct.group("p" + k)), current.start, pct.end("p" + k),
                                inputs={"current": current, "change": delta}, direction=direction, name="%"))
    return claims


# The prior year's figure; 上年结转/结余 is this year's money carried over, not last year's.
PRIOR = re.compile(r"上年(?!结转|结余)|去年|同期|上一年")
YEAR = re.compile(r"(?<!\d)(\d{4})年")
LABEL_NOISE = re.compile(r"\d{4}年度?|上年度?|上一年度?|去年|同期|本年度?|今年|全年|年度|[\d.,，、:：()（）]|为|是|达|共|约|实现")


def _elided_subject(text: str, left: int) -> Quantity | None:
    """"收入382.17万元，为当年拨付的资金。较上年减少157.86万元": a sentence that opens with the comparison
    compares the figure the sentence before it states, if that sentence (in the same paragraph) states
    one amount only — or several of one value ("收入总计a万元,支出总计a万元。收支较上年…": either is meant)."""
    para = text.rfind("\n", 0, left) + 1
    if left <= para:
        # the line opens with the comparison: its subject is the line before's, when a PDF copy broke the sentence
        before = _broken_sentence_start(text, para)
        if before == para:
            return None
    else:
        before, _ = sentence_span(text, left - 1)
        if before < para:
            return None
        if before == para:
            before = _broken_sentence_start(text, para)
    found = [q for q, _ in _figures(text, before, left)]
    if not found or len({(q.value, q.dimension) for q in found}) != 1:
        return None
    if DELTA.search(text, before, left):  # "同口径比2018年减少830万元。": its figure is a change, not a year's amount
        return None
    return found[0] if not RATE.search(text, before, left) else None


def _broken_sentence_start(text: str, line_start: int) -> int:
    """Where the sentence that opens the line at line_start begins: on the line before, when a PDF copy broke it there
    ("1.上级补助收入8.38万元,为事业单位开展业务活动取得" / "的收入。较2020年度决算数减少17.40万元…") — that line ends
    with no sentence mark and holds no sentence end of its own after its last figure."""
    if line_start < 2 or text[line_start - 2] in "。;!?:\n" or not text[line_start - 2].strip():
        return line_start
    prev_start = text.rfind("\n", 0, line_start - 1) + 1
    head, _ = sentence_span(text, line_start - 2)
    return max(head, prev_start)


def _previous_in_paragraph(text: str, left: int, current: Quantity, label: str, base: str) -> Quantity | None:
    """"2023年支出400万元。2024年支出500万元，较上年增长25%": the prior year's figure stated earlier in the
    paragraph (or its sentence) under the same label (支出 for 支出), the one such figure with that label and unit."""
    stem = LABEL_NOISE.sub("", label)
    if len(stem) < 2:
        return None
    years = YEAR.findall(label)
    prior_year = base[:4] if base[:4].isdigit() else (str(int(years[-1]) - 1) if years else None)
    para = text.rfind("\n", 0, left) + 1
    found = []
    # the sentences before, and the figures before it in its own ("2023年支出400万元,2024年支出500万元,同比增长25%")
    for figure, floor in _figures(text, para, current.start):
        before = _label(text, figure, floor)
        dated = PRIOR.search(before) is not None or (prior_year is not None and prior_year in YEAR.findall(before))
        if dated and figure.dimension == current.dimension and LABEL_NOISE.sub("", before).endswith(stem):
            found.append(figure)
    return found[-1] if len({f.value for f in found}) == 1 else None


UNIT_COST = re.compile(
    rf"每(?P<per1>[\u4e00-\u9fff])(?:每年|每月|每次|每期|每季度)?(?:补助|补贴|奖励|资助|发放)?(?:标准)?(?:为|按)?"
    rf"(?P<num1>{NUM})\s*(?P<unit1>万元|元)|(?P<num2>{NUM})\s*(?P<unit2>万元|元)\s*/\s*(?P<per2>[\u4e00-\u9fff])"
)
NOT_FIXED = re.compile(r"最高|不超过|最多|上限|不低于|至少|平均|人均|户均|最低")
RANGE_AFTER = re.compile(r"\s*(?:以内|以下|以上|左右|起|至|-|~|—|到)")
OTHER_MEASURE = re.compile(r"其中|已|到位|拨付|支付|执行|使用|结余|剩余|截至|截止|累计|计划|预算")
PEOPLE = {"人", "名", "位", "生"}


def unit_cost_claims(text: str) -> list[Claim]:
    """"每村每年2400元，全市832个行政村，配套资金共199.68万元": the total against cost × count."""
    claims: list[Claim] = []
    for m in UNIT_COST.finditer(text):
        per = m.group("per1") or m.group("per2")
        num, unit = (m.group("num1"), m.group("unit1")) if m.group("per1") else (m.group("num2"), m.group("unit2"))
        if NOT_FIXED.search(text[max(0, m.start() - 6) : m.start()]) or RANGE_AFTER.match(text, m.end()):
            continue
        digits = m.start("num1") if m.group("per1") else m.start("num2")
        if digits > 0 and text[digits - 1] in "-~—至到":
            continue
        cost = money(num, unit, digits, m.end())
        left, right = sentence_span(text, m.start())
        counts = []
        for q in quantities(text, left, right):
            if q.dimension == "money" or q.start < left:
                continue
            noun = text[q.end : q.end + 6]
            word = re.match(r"[\u4e00-\u9fff]*", noun)
            noun = word.group() if word else ""
            if per == q.dimension or per in noun[:4] or (per in PEOPLE and q.dimension in PEOPLE | {"人"}):
                counts.append(q)
        if len({c.value for c in counts}) != 1:
            continue
        count = counts[0]
        totals = [q for q in quantities(text, max(cost.end, count.end), right, inherit=True) if q.dimension == "money"]
        if not totals:
            continue
        total = totals[0]
        between = text[max(cost.end, count.end) : total.start]
        if OTHER_MEASURE.search(between) or len(between) > 40:
            continue
        claims.append(Claim("unit_cost", total, min(cost.start, count.start), total.end,
                            inputs={"unit_cost": cost, "count": count}, name=per))
    return claims
