"""NAME claims: the same named item written with two different figures in one document.

"特殊人群医疗保险基金项目资金500万元" in one paragraph and "…550万元" in another is a slip; the same
name in a clause that dates it (2022年12月, 第二批), states another stage of it (预算, 到位, 执行,
上年) or lists it as the part of a total is not the same figure and is never compared. A count is
named only with its scope ("全市832个行政村").
"""

from __future__ import annotations

import re

from jixiao.core.claims.base import Claim, Quantity, quantities, sentence_span

THING = re.compile(r"(?:资金|经费|基金|补助|奖励|补贴|费)$")
NAME = re.compile(r"[\u4e00-\u9fff()]{6,30}$")
LEAD = re.compile(r"^(?:[\u4e00-\u9fff]{0,2}(?:为|是|共|计|共计|合计|总计|约|达|安排|下达|拨付|用于|其中|包括)+)")
TRAIL = re.compile(r"(?:共计|合计|总计|共|计|为|是|约|达|达到)+$")
# A clause that dates, stages or qualifies a figure: the name then is not the figure's identity.
STAGED = re.compile(
    r"\d+月|\d+日|季度|批|次|期|上年|去年|同期|年初|全年|调整|追加|预算|执行|到位|支出|拨付|使用|结余|剩余|累计|截至|截止"
    r"|其中|计划|清算|本次|首|第|已|增加|减少|增长|下降|占|每|分别|合计|共计|总计|不超过|以上|以下|左右|约"
)
# Words every fund's name is made of: a name needs four characters besides them to identify one item.
GENERIC = re.compile(r"各级|财政|配套|专项|补助|资金|经费|基金|中央|省级|市级|县级|区级|本级|上级|项目|转移支付|工作|相关|有关|费")
SCOPED_COUNT = re.compile(r"全(?:市|县|区|镇|乡|省|州|盟|旗)$")


def _clause_start(text: str, pos: int) -> int:
    return max(text.rfind(ch, 0, pos) for ch in "。;\n,:、") + 1


def name_claims(text: str, sums: list[Claim]) -> list[Claim]:
    """Each named figure that is stated again under the same name with a different value."""
    in_sums = {(p.start, p.end) for c in sums for p in c.parts}
    seen: dict[tuple[str, str], Quantity] = {}
    claims: list[Claim] = []
    for q in quantities(text, 0, len(text), inherit=True):  # "单位：万元" covers a bare amount after its name
        key = _name(text, q, in_sums)
        if key is None:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = q
        elif first.value != q.value and sentence_span(text, first.start) != sentence_span(text, q.start):
            claims.append(Claim("name", q, q.start, q.end, inputs={"first": first}, name=key[0]))
    return claims


def _name(text: str, q: Quantity, in_sums: set[tuple[int, int]]) -> tuple[str, str] | None:
    start = _clause_start(text, q.start)
    clause = text[start : q.start]
    if q.dimension == "money":
        head = text[sentence_span(text, q.start)[0] : q.start]
        if (q.start, q.end) in in_sums or STAGED.search(head) or text[q.end : q.end + 1] in "(（":
            return None
        name = TRAIL.sub("", LEAD.sub("", clause.strip()))
        if NAME.fullmatch(name) is None or THING.search(name) is None or len(GENERIC.sub("", name)) < 4:
            return None
        return name, "money"
    scope = SCOPED_COUNT.search(clause.strip())
    if scope is None or clause.strip() != scope.group():
        return None
    noun = re.match(r"[\u4e00-\u9fff]{2,8}", text[q.end : q.end + 8])
    if noun is None:
        return None
    return scope.group() + noun.group(), q.dimension
