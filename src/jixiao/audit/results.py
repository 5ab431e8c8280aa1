"""A finance bureau's results notice: many evaluated projects or units in one document, each with its
score and grade — "a、b、c评价得分分别为93.4分、91分、81.5分，a、b评价结果为优秀", or a table
"序号 | 项目名称 | 主管部门 | 评价得分 | 评价等级".

Each named result is read on its own; the check is that the grade each is given is the grade its
score earns. Grade bands differ by province, so a mismatch is a warning that names the rule set.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from jixiao.audit.patterns import GRADES
from jixiao.core.model import Grade
from jixiao.core.money import fmt
from jixiao.core.rules import RuleSet

if TYPE_CHECKING:
    from jixiao.audit.doc_checks import Collector
    from jixiao.audit.facts import Stmt

NUM = r"\d+(?:\.\d+)?"
GRADE_WORDS = r"优秀|良好|中等|较差|合格|不合格|优|良|中|差"
# "a、b、c(的)(绩效)评价得分(分)别为 93.4分、91分、81.5分" ("得分别为" is a common slip for 得分分别为).
_SCORES = re.compile(
    rf"(?P<names>[^。;,，:：()（）]{{2,240}}?)(?:的)?(?:绩效)?(?:评价|复核|自评)?(?:得分|评分)(?:分)?别为"
    rf"(?P<scores>{NUM}分(?:[、,，和及]{NUM}分)+)"
)
# "a、b(项目)(绩效)评价结果为优秀" / "评价等级为良" / "评价结果良好".
_GRADES = re.compile(
    rf"(?P<names>[^。;,，:：()（）]{{2,240}}?)(?:的)?(?:绩效)?(?:评价|复核)?(?:结果|等级)(?:均)?(?:为|是|评定为)?[\"“]?"
    rf"(?P<grade>{GRADE_WORDS})(?![良中差等级])"
)
_NAME_SPLIT = re.compile(r"[、]|(?<=[项目经费资金专项])和")
# Words that do not tell two projects apart.
_GENERIC = re.compile(r"项目|经费|资金|专项|建设|工作|绩效|部门整体|\d{4}年(?:度)?")

WORD_GRADES: dict[str, Grade] = {**GRADES, "合格": Grade.FAIR, "不合格": Grade.POOR}


@dataclass(frozen=True, slots=True)
class NamedResult:
    name: str
    start: int
    end: int
    score: Decimal | None = None
    score_span: tuple[int, int] = (0, 0)
    grade: Grade | None = None
    grade_span: tuple[int, int] = (0, 0)


    def describe(self) -> dict[str, object]:
        return {"kind": "result", "name": self.name, "stated": f"{self.score.normalize():f}" if self.score is not None else "",
                "unit": "分", "grade": self.grade.value if self.grade else None, "start": self.start, "end": self.end}


def _names(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    out = []
    pos = start
    for part in [*_NAME_SPLIT.split(text[start:end])]:
        lo = text.index(part, pos, end) if part else pos
        stripped = part.strip(" 从对由将其中")
        if 2 <= len(stripped) <= 60:
            s = lo + part.index(stripped)
            out.append((stripped, s, s + len(stripped)))
        pos = lo + len(part)
    return out


def _key(name: str) -> str:
    return _GENERIC.sub("", name)


def _same(a: str, b: str) -> bool:
    """Two mentions of one project: one contains the other, or they share a distinctive head."""
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return False
    if ka in kb or kb in ka:
        return True
    common = 0
    for x, y in zip(ka, kb, strict=False):
        if x != y:
            break
        common += 1
    return common >= 4


def read_results(text: str) -> list[NamedResult]:
    """Every named score in the text, with the grade the text gives the same name, where it does."""
    return list(_read_results(text))


@lru_cache(maxsize=2)  # a results notice is read for its checks and again for --explain
def _read_results(text: str) -> tuple[NamedResult, ...]:
    scored: list[NamedResult] = []
    # Every score list says "…别为": a text without it has none (the pattern costs ~1 ms per 1,000 characters).
    for m in _SCORES.finditer(text) if "别为" in text else ():
        names = _names(text, m.start("names"), m.end("names"))
        scores = [(Decimal(s.group(1)), m.start("scores") + s.start(), m.start("scores") + s.end())
                  for s in re.finditer(rf"({NUM})分", m.group("scores"))]
        if len(names) != len(scores):
            continue  # a list the scores cannot be paired with: not read
        scored += [NamedResult(n, a, b, v, (s, e)) for (n, a, b), (v, s, e) in zip(names, scores, strict=True)]
    if not scored:
        return ()  # no score to give a grade to: the grades are not looked for
    out: list[NamedResult] = []
    graded = [(n, m) for m in _GRADES.finditer(text) for n in _names(text, m.start("names"), m.end("names"))]
    for item in scored:
        for (name, _, _), m in graded:
            if _same(name, item.name):
                grade = WORD_GRADES[m.group("grade")]
                item = NamedResult(item.name, item.start, item.end, item.score, item.score_span, grade, m.span("grade"))
                break
        out.append(item)
    return tuple(out)


def check_results(c: Collector, results: list[NamedResult], rules: RuleSet) -> None:
    """A025: a named result's grade is not the one its score earns under the rule set's bands."""
    for item in results:
        if item.score is None or item.grade is None:
            continue
        earned = rules.grade_for(item.score)
        if earned is not item.grade:
            c.add("A025", f"“{item.name}”得分{fmt(item.score)}分，按规则集“{rules.title}”的等级标准应为“{earned.value}”，"
                  f"但所述等级为“{item.grade.value}”（各地等级标准不同，按本地标准评定时不一定有误）",
                  item.grade_span, None, None, item.score, [item.score_span, (item.start, item.end)])


# The header's words on one line, or one cell per line ("项目名称 |\n主管部门 |\n评价得分 |\n…").
_HEADER = re.compile(
    r"(?P<name>项目名称|单位名称|部门名称|被评价单位|评价对象|项目\(单位\)名称)[^。]{0,48}?"
    r"(?P<score>评价得分|综合得分|复核得分|自评得分|得分|评分)[^。]{0,16}?(?P<grade>评价等级|评价结果|结果等级|等级)"
)
_GRADE_CELL = re.compile(rf"^(?:{GRADE_WORDS})$")


# "优的1个，良的4个" / "评价结果为优秀的2个" / "3个项目评价等级为良".
# A grade word standing alone, not inside another word: 其中/集中 are no 中, 优良 no 良, 偏差 no 差.
_COUNTED_GRADE = r"(?P<grade>优秀|良好|中等|较差|不合格|(?<!不)合格|(?<!优)良|(?<![其集高初期])中|(?<![偏较误落])差|优(?![良化先势质]))"
_COUNT_AFTER = re.compile(rf"{_COUNTED_GRADE}(?:等级|等次|档次)?(?:的)?(?:项目|单位)?(?:有|共)?(?P<n>\d{{1,3}})个")
_COUNT_BEFORE = re.compile(rf"(?P<n>\d{{1,3}})个(?:项目|单位|部门)?(?:的)?(?:评价结果|评价等级|等级|评价|结果)?(?:为|评定为|评为)[\"“]?{_COUNTED_GRADE}")
# "对7个项目开展了重点绩效评价": how many the notice says it covers.
_COVERED = re.compile(r"(?:对|共|完成了?|开展了?)(?P<n>\d{1,3})个(?:项目|单位|部门)")


def check_grade_counts(c: Collector, rows: list[NamedResult], text: str) -> None:
    """A032: the notice counts its grades ("良的3个") other than its table lists them. Held only where the table
    is whole: it lists as many rows as the notice says it covers, or as its grade counts add up to."""
    graded = [r.grade for r in rows if r.grade is not None]
    if len(graded) < 2 or len(graded) != len(rows):
        return
    stated: dict[Grade, tuple[int, tuple[int, int]]] = {}
    for m in [*_COUNT_AFTER.finditer(text), *_COUNT_BEFORE.finditer(text)]:
        grade = WORD_GRADES[m.group("grade")]
        if grade in stated and stated[grade][0] != int(m.group("n")):
            return  # counted twice, differently: which count is the summary's cannot be told
        stated[grade] = (int(m.group("n")), m.span())
    if len(stated) < 2:
        return
    covered = {int(m.group("n")) for m in _COVERED.finditer(text)}
    if len(rows) not in covered and sum(n for n, _ in stated.values()) != len(rows):
        return  # the table may be cut off: its rows are not all the notice's results
    listed = {g: graded.count(g) for g in set(graded)}
    for grade, (n, span) in stated.items():
        if listed.get(grade, 0) != n:
            names = "、".join(r.name for r in rows if r.grade is grade) or "无"
            cells: list[Stmt | tuple[int, int]] = []
            cells.extend(r.grade_span for r in rows if r.grade is grade)
            c.add("A032", f"通报称评价等级为“{grade.value}”的有{n}个，但表中列为“{grade.value}”的有{listed.get(grade, 0)}个"
                  f"（{names}），所述个数与表中等级不符，请核实", span, None, Decimal(listed.get(grade, 0)), Decimal(n),
                  cells[:3])


def table_results(raw: str) -> list[NamedResult]:
    """Rows of a results table (name … score grade), spans in `raw`; rows that do not fit are skipped."""
    from jixiao.audit.normalise import fold
    from jixiao.audit.tables import tokens  # the table tokenizer, not needed for prose notices

    folded = fold(raw)
    out: list[NamedResult] = []
    for header in _HEADER.finditer(folded):
        name: tuple[str, int, int] | None = None
        score: tuple[Decimal, int, int] | None = None
        for tok in tokens(folded, header.end(), min(len(folded), header.end() + 20000)):
            if tok.kind == "text" and _GRADE_CELL.match(tok.text) and name is not None and score is not None:
                out.append(NamedResult(name[0], name[1], name[2], score[0], score[1:],
                                       WORD_GRADES[tok.text], (tok.start, tok.end)))
                name, score = None, None
            elif tok.kind == "value" and tok.typed is not None and tok.typed.number is not None and name is not None:
                number = tok.typed.number
                if tok.typed.unit in (None, "分") and not tok.typed.comparator and 0 <= number <= 100:
                    score = (number, tok.start, tok.end)
            elif (tok.kind == "text" and len(tok.text) >= 2 and not _GRADE_CELL.match(tok.text)
                  and (name is None or score is not None)):
                # a row starts (the last had no grade); another text column of a row (主管部门) keeps its name
                name, score = (tok.text, tok.start, tok.end), None
    return out


def shifted(item: NamedResult, at: Callable[[int], int]) -> NamedResult:
    """The result with its spans mapped (a table's raw offsets to the normalised text's)."""
    return NamedResult(item.name, at(item.start), at(item.end), item.score,
                       (at(item.score_span[0]), at(item.score_span[1])), item.grade,
                       (at(item.grade_span[0]), at(item.grade_span[1])))
