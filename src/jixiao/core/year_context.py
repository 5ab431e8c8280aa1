"""Why a report names a year other than its own: the context that makes it expected, or none.

A 2024 report rightly names 2023 when it compares (较上年), pays last year's award (2023年度考核奖励),
cites a document (2017年《…规范》, 〔2020〕12号), dates an allocation made ahead (2023年12月下达),
names a founding (成立于2008年), carried-over funds (2023年结转) or a plan (到2035年). Only a year
with none of these is left as possibly stale text from an old report.
"""

from __future__ import annotations

import re

from jixiao.core.chars import traditional_table

# Each context: its name and the words around a year (in its sentence) that establish it.
_CONTEXTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("citation", re.compile(r"^[年度]*[《\"“]|^[年度]*(?:版|修订|印发|发布)|^[)\]〕]")),
    # A year's own figures named by it: a 申报表's "2021年实际实现值" column, "2022年决算数".
    ("past_value", re.compile(r"^[年度]*(?:实际(?:完成|实现)?(?:值|数)|完成值|决算数|执行数|指标值)")),
    ("founding", re.compile(r"成立|始建|组建|设立|建立|创建|建成|挂牌|批准设立|改制")),
    ("award", re.compile(r"考核奖励|奖励金|获评|荣获|被评为|表彰|授予|评为")),
    ("carried_over", re.compile(r"结转|结余|上年|往年|以前年度|历年|清欠|欠款")),
    ("allocation", re.compile(r"下达|拨付|提前下达|批复|印发|分配|预拨|安排")),
    ("comparison", re.compile(r"较|比|同比|相比|增长|下降|减少|增加|提高|变动率|上年度|基数|对比")),
    ("standard", re.compile(r"规范|标准|办法|规划|方案|纲要|意见|通知|条例|指南|第[一二三四五六七八九十]版")),
)
# Traditional forms of the context words (reports copied from traditional-script mirrors).
_PLANNING = re.compile(r"规划|远景|目标|力争|计划|预计|到|前|至|期间|五年")
_CITATION_BEFORE = re.compile(r"[\[〔(（]\s*$")


def year_context(sentence: str, before: str, after: str, year: int, evaluated: int) -> str | None:
    """The context that explains `year` in a report of `evaluated`, or None (possibly stale text).

    `sentence` is the sentence holding the year; `before` and `after` the few characters beside it.
    """
    sentence = sentence.translate(traditional_table())
    if _CITATION_BEFORE.search(before):
        return "citation"  # 〔2020〕12号, [2021]
    if year > evaluated:
        return "planning" if _PLANNING.search(sentence) else None
    for name, words in _CONTEXTS:
        if name in ("citation", "past_value"):
            if words.search(after):
                return name
            continue
        if words.search(sentence):
            return name
    return None
