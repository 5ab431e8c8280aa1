"""The desk's analytics as pure functions: no Django, no database — plain values in, plain values out.

The database module (`analytics_db`) fetches candidate rows with indexed SQL and hands them here; what
counts as an anomaly, how it is explained in Chinese, how totals are binned and how two years of one
unit compare is decided in this one place, so a test can state each rule next to its input.

Figures arrive as integer hundredths (scores, rates) exactly as the desk's rows store them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

# ---- thresholds -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Thresholds:
    """What the desk flags (hundredths: 9000 = 90 分 or 90%). Defaults follow the MOF practice."""

    high_total: int = 9000  # 优 starts at 90
    many_errors: int = 3
    overachieve: int = 13000  # completion ≥ 130%: target set too low (财预〔2020〕10号 practice)
    low_execution: int = 8000  # execution below 80% ...
    high_total_low_execution: int = 8000  # ... with a total of 80 or more
    mid_year_low: int = 3000  # under 30% of the target at mid-year ...
    year_end_met: int = 10000  # ... yet the full target at year end
    duplicate_similarity: float = 0.7  # MinHash Jaccard estimate for "the same sentence"
    min_sentence_chars: int = 16  # shorter sentences ("无。", "详见附件") are not evidence of copying


THRESHOLDS = Thresholds()


# ---- anomaly kinds ----------------------------------------------------------------------------

class AnomalyCode(StrEnum):
    HIGH_TOTAL_MANY_ERRORS = "D001"
    ALL_EXACTLY_100 = "D002"
    TARGET_TOO_LOW = "D003"
    DOCKED_THOUGH_MET = "D004"
    FULL_THOUGH_MISSED = "D005"
    LOW_EXECUTION_HIGH_TOTAL = "D006"
    REVERSE_MISSED = "D007"
    SAME_NARRATIVE = "D008"
    COPIED_FROM_LAST_YEAR = "D009"
    MID_YEAR_JUMP = "D010"
    GRADE_TOTAL_MISMATCH = "D011"


@dataclass(frozen=True, slots=True)
class AnomalyKind:
    code: AnomalyCode
    title: str
    why: str  # the explanation shown above the units concerned


def anomaly_kinds(t: Thresholds = THRESHOLDS) -> dict[AnomalyCode, AnomalyKind]:
    """Every anomaly the desk looks for, with its Chinese title and explanation at thresholds `t`."""
    p = _points
    kinds = [
        AnomalyKind(AnomalyCode.HIGH_TOTAL_MANY_ERRORS, "高分却错误多",
                    f"总分不低于 {p(t.high_total)} 分，但校验发现 {t.many_errors} 个及以上错误：分数可能虚高，数据本身不可靠。"),
        AnomalyKind(AnomalyCode.ALL_EXACTLY_100, "全部指标恰好完成 100%",
                    "每一个定量指标的完成率都恰好是 100%：实际执行很少如此整齐，可能是按目标值照抄完成值。"),
        AnomalyKind(AnomalyCode.TARGET_TOO_LOW, "目标设定偏低（超额 30% 以上）",
                    f"完成值达到目标值的 {p(t.overachieve)}% 及以上：按财政部要求，大幅超额完成说明目标设定偏低，下一年度应调高。"),
        AnomalyKind(AnomalyCode.DOCKED_THOUGH_MET, "达到目标却被扣分",
                    "指标已达到目标值，得分却低于分值：扣分理由应写明，或得分有误。"),
        AnomalyKind(AnomalyCode.FULL_THOUGH_MISSED, "未达目标却得满分",
                    "指标未达到目标值，却得了满分：自评打分与计分规则不符，分数虚高。"),
        AnomalyKind(AnomalyCode.LOW_EXECUTION_HIGH_TOTAL, "执行率低但总分高",
                    f"预算执行率低于 {p(t.low_execution)}%，总分却不低于 {p(t.high_total_low_execution)} 分："
                    "钱没花出去，产出和效益却近乎满分，值得核实（规则集的执行率上限见“受上限限制”）。"),
        AnomalyKind(AnomalyCode.REVERSE_MISSED, "反向指标未达标",
                    "越低越好的指标（成本、投诉率等）实际值高于目标上限：成本超支或问题增多。"),
        AnomalyKind(AnomalyCode.SAME_NARRATIVE, "不同单位的叙述雷同",
                    "多个单位的自评报告中出现几乎相同的句子（MinHash 近似查重）：可能互相抄写或套用模板。"),
        AnomalyKind(AnomalyCode.COPIED_FROM_LAST_YEAR, "叙述照抄上年",
                    "本年报告中的句子与同一单位上年报告几乎相同：问题、原因和措施可能没有更新。"),
        AnomalyKind(AnomalyCode.MID_YEAR_JUMP, "年中到年末的异常跳变",
                    f"年中监控时完成不足目标的 {p(t.mid_year_low)}%，年末却完成目标；或累计完成值年末反比年中少：数据可能不实。"),
        AnomalyKind(AnomalyCode.GRADE_TOTAL_MISMATCH, "等级与总分不符",
                    "报告所述等级与总分按规则集应得的等级不一致（校验 T004），或存储的等级与总分不符。"),
    ]
    return {k.code: k for k in kinds}


def _points(hundredths: int) -> str:
    whole, cents = divmod(hundredths, 100)
    return str(whole) if cents == 0 else f"{whole}.{cents:02d}".rstrip("0")


# ---- facts handed in by the database module ---------------------------------------------------

@dataclass(frozen=True, slots=True)
class IndicatorFact:
    """One indicator row as the desk stores it (hundredths; rates may be missing)."""

    evaluation_id: int
    position: int
    name: str
    kind: str  # "quantitative" / "qualitative"
    direction: str  # "positive" / "reverse" / ...
    target: Decimal | None
    mid_year: Decimal | None
    actual: Decimal | None
    weight: int
    score: int
    completion_rate: int | None
    met: bool | None


@dataclass(frozen=True, slots=True)
class Hit:
    """One unit concerned by an anomaly: which evaluation, and what exactly was seen, in Chinese."""

    code: AnomalyCode
    evaluation_id: int
    detail: str
    other_evaluation_id: int | None = None  # the evaluation it resembles (narrative anomalies)


def _rate(hundredths: int | None) -> str:
    return "—" if hundredths is None else _points(hundredths) + "%"


def _num(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format(value.normalize(), "f")


def indicator_hits(fact: IndicatorFact, t: Thresholds = THRESHOLDS) -> list[Hit]:
    """The indicator-level anomalies of one indicator (target too low, docked, full, reverse missed, jump)."""
    hits: list[Hit] = []
    where = f"第 {fact.position + 1} 项指标“{fact.name}”"
    quantitative = fact.kind == "quantitative"
    reverse = fact.direction == "reverse"
    if quantitative and not reverse and fact.completion_rate is not None and fact.completion_rate >= t.overachieve:
        hits.append(Hit(AnomalyCode.TARGET_TOO_LOW, fact.evaluation_id,
                        f"{where}目标 {_num(fact.target)}，完成 {_num(fact.actual)}，完成率 {_rate(fact.completion_rate)}"))
    if fact.met is True and fact.score < fact.weight:
        hits.append(Hit(AnomalyCode.DOCKED_THOUGH_MET, fact.evaluation_id,
                        f"{where}已达目标，得分 {_points(fact.score)} / 分值 {_points(fact.weight)}"))
    if fact.met is False and fact.score >= fact.weight and fact.weight > 0:
        hits.append(Hit(AnomalyCode.FULL_THOUGH_MISSED, fact.evaluation_id,
                        f"{where}未达目标（完成率 {_rate(fact.completion_rate)}），却得满分 {_points(fact.score)}"))
    if quantitative and reverse and fact.met is False:
        hits.append(Hit(AnomalyCode.REVERSE_MISSED, fact.evaluation_id,
                        f"{where}（越低越好）目标 {_num(fact.target)}，实际 {_num(fact.actual)}"))
    jump = mid_year_jump(fact, t)
    if jump:
        hits.append(Hit(AnomalyCode.MID_YEAR_JUMP, fact.evaluation_id, f"{where}{jump}"))
    return hits


def mid_year_jump(fact: IndicatorFact, t: Thresholds = THRESHOLDS) -> str:
    """Why the mid-year → year-end path of a positive quantitative indicator is implausible ("" if it is not)."""
    if fact.kind != "quantitative" or fact.direction == "reverse" or None in (fact.target, fact.mid_year, fact.actual):
        return ""
    target, mid, actual = fact.target, fact.mid_year, fact.actual
    assert target is not None and mid is not None and actual is not None
    if target <= 0:
        return ""
    if mid * 10000 < target * t.mid_year_low and actual * 10000 >= target * t.year_end_met:
        return f"年中仅完成 {_num(mid)}（目标 {_num(target)}），年末完成 {_num(actual)}"
    if mid > 0 and actual < mid and fact.completion_rate is not None and fact.completion_rate >= t.year_end_met:
        return f"年末完成值 {_num(actual)} 小于年中 {_num(mid)}，却仍算作完成目标"
    return ""


def all_exactly_100(rates: Sequence[int | None]) -> bool:
    """Every quantitative indicator at exactly 100% (at least two of them, none missing)."""
    return len(rates) >= 2 and all(rate == 10000 for rate in rates)


def high_total_many_errors(total: int, errors: int, t: Thresholds = THRESHOLDS) -> bool:
    return total >= t.high_total and errors >= t.many_errors


def low_execution_high_total(execution_rate: int | None, total: int, t: Thresholds = THRESHOLDS) -> bool:
    return execution_rate is not None and execution_rate < t.low_execution and total >= t.high_total_low_execution


def grade_for(total: int, bands: Sequence[tuple[str, int]]) -> str:
    """The grade of `total` (hundredths) under bands (grade, minimum in hundredths), highest first."""
    for grade, minimum in bands:
        if total >= minimum:
            return grade
    return bands[-1][0] if bands else ""


# ---- near-duplicate narrative -----------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n+")
_NOISE = re.compile(r"[\s，,、：:“”\"'（）()《》\[\]【】\d.%％]+")


def narrative_text(value: Any) -> str:
    """Every string inside a version's `narrative` (fields, tasks, problems, causes, measures), one per line."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(narrative_text(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(narrative_text(v) for v in value)
    return ""


def sentences_of(text: str, min_chars: int = THRESHOLDS.min_sentence_chars) -> list[str]:
    """The sentences of a narrative long enough to be evidence, with spaces and punctuation kept out."""
    found = []
    for piece in _SENTENCE_END.split(text):
        core = _NOISE.sub("", piece)
        if len(core) >= min_chars:
            found.append(piece.strip())
    return found


def shingles(sentence: str, k: int = 3) -> set[bytes]:
    core = _NOISE.sub("", sentence)
    return {core[i:i + k].encode("utf-8") for i in range(max(1, len(core) - k + 1))}


@dataclass(frozen=True, slots=True)
class Narrative:
    """The narrative sentences of one evaluation, with what it takes to compare units and years."""

    evaluation_id: int
    unit_id: int
    year: int
    sentences: tuple[str, ...]


def narrative_hits(current: Iterable[Narrative], last_year: Iterable[Narrative] = (),
                   t: Thresholds = THRESHOLDS, num_perm: int = 128) -> list[Hit]:
    """Sentences shared by different units this year (D008) or kept from the unit's last year (D009).

    MinHash over character 3-shingles with an LSH index (datasketch), so the work grows with the
    number of sentences, not with its square. One hit per evaluation and resembling evaluation.
    """
    from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

    lsh = MinHashLSH(threshold=t.duplicate_similarity, num_perm=num_perm)
    sentences: list[tuple[Narrative, str]] = []
    hashes: list[MinHash] = []
    this_year = list(current)
    earlier = list(last_year)
    for narrative in [*this_year, *earlier]:
        for sentence in narrative.sentences:
            minhash = MinHash(num_perm=num_perm, seed=1)
            minhash.update_batch(list(shingles(sentence)))
            key = str(len(sentences))
            sentences.append((narrative, sentence))
            hashes.append(minhash)
            lsh.insert(key, minhash)
    current_ids = {n.evaluation_id for n in this_year}
    seen: set[tuple[AnomalyCode, int, int]] = set()
    hits: list[Hit] = []
    for i, (narrative, sentence) in enumerate(sentences):
        if narrative.evaluation_id not in current_ids:
            continue
        for key in sorted(lsh.query(hashes[i]), key=int):
            other = sentences[int(key)][0]
            if other.evaluation_id == narrative.evaluation_id:
                continue
            if other.unit_id != narrative.unit_id and other.year == narrative.year:
                code = AnomalyCode.SAME_NARRATIVE
            elif other.unit_id == narrative.unit_id and other.year == narrative.year - 1:
                code = AnomalyCode.COPIED_FROM_LAST_YEAR
            else:
                continue
            pair = (code, narrative.evaluation_id, other.evaluation_id)
            if pair in seen:
                continue
            seen.add(pair)
            hits.append(Hit(code, narrative.evaluation_id, f"“{clip(sentence)}”", other.evaluation_id))
    return hits


def similar_groups(texts: Iterable[tuple[int, str]], t: Thresholds = THRESHOLDS, num_perm: int = 128,
                   limit: int = 20_000) -> list[tuple[str, int]]:
    """Texts (owner id, text) grouped by near-duplicate wording: (a representative text, distinct owners), largest first.

    The same MinHash/LSH as the narrative rules; a group is what LSH links, closed transitively (union-find).
    Identical texts (after dropping punctuation and digits) share one MinHash; at most `limit` distinct
    texts are grouped (the first ones), which bounds the work at province scale.
    """
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=t.duplicate_similarity, num_perm=num_perm)
    index: dict[str, int] = {}  # normalised text → its number
    shown: list[str] = []
    owners: list[set[int]] = []
    parent: list[int] = []

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for owner, text in texts:
        core = _NOISE.sub("", text)
        if len(core) < 4:
            continue
        i = index.get(core, -1)
        if i < 0:
            if len(shown) >= limit:
                continue
            i = index[core] = len(shown)
            shown.append(text.strip())
            owners.append(set())
            parent.append(i)
            minhash = MinHash(num_perm=num_perm, seed=1)
            minhash.update_batch(sorted(shingles(text)))
            for other in lsh.query(minhash):
                parent[root(int(other))] = root(i)
            lsh.insert(str(i), minhash)
        owners[i].add(owner)
    groups: dict[int, tuple[int, set[int]]] = {}  # root → (its first text, owners)
    for i in range(len(shown)):
        groups.setdefault(root(i), (i, set()))[1].update(owners[i])
    return sorted(((shown[first], len(members)) for first, members in groups.values()), key=lambda g: (-g[1], g[0]))


def clip(sentence: str, width: int = 60) -> str:
    return sentence if len(sentence) <= width else sentence[:width] + "…"


# ---- year over year ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class YearIndicator:
    key: str  # the stable code, else the name
    name: str
    direction: str
    target: Decimal | None
    actual: Decimal | None
    score: int

    @property
    def target_text(self) -> str:
        return _num(self.target)


@dataclass(frozen=True, slots=True)
class YearChange:
    kept: list[tuple[YearIndicator, YearIndicator]]
    dropped: list[YearIndicator]
    added: list[YearIndicator]
    lowered: list[tuple[YearIndicator, YearIndicator]]  # kept, with an easier target than last year


def compare_years(before: Sequence[YearIndicator], after: Sequence[YearIndicator]) -> YearChange:
    """Indicators kept, dropped and added from one year to the next, and kept ones whose target got easier.

    Easier: lower for a positive indicator, higher for a reverse one (越低越好).
    """
    old = {i.key: i for i in before}
    new = {i.key: i for i in after}
    kept = [(old[k], new[k]) for k in old if k in new]
    lowered = [
        (a, b) for a, b in kept if a.target is not None and b.target is not None
        and ((b.target > a.target) if b.direction == "reverse" else (b.target < a.target))
    ]
    return YearChange(kept, [old[k] for k in old if k not in new], [new[k] for k in new if k not in old], lowered)
