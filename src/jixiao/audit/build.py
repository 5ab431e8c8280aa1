"""Facts to a core `Evaluation`: stated figures go where the model keeps them, with their locations.

Nothing is invented. A budget figure the report leaves out is derived only where the
report's own words fix it (全年预算数 = 年初 + 调整数); what stays missing is
returned as a gap, reported as a finding, and the checks that need it are not run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from pydantic import ValidationError

from jixiao.audit.facts import Facts, primary_actual
from jixiao.core.model import (
    BudgetLine,
    Evaluation,
    FundSource,
    IndicatorKind,
    Level1,
    Location,
    QualitativeBand,
)
from jixiao.core.rules import RuleSet

PLACEHOLDER_UNIT = "（未识别单位名称）"


@dataclass
class Built:
    evaluation: Evaluation | None
    gaps: list[tuple[str, str, str]] = field(default_factory=list)  # (code-suffix, field, message)
    budget_missing: bool = False
    initial_missing: bool = False  # 全年 and 执行 stated, 年初 not: the adjustment checks cannot run
    budget_only: bool = False  # no indicator read: only the budget's own checks may run
    year_missing: bool = False


def _dec(facts: Facts, path: str) -> Decimal | None:
    return facts.dec(path)


def _line(facts: Facts, prefix: str) -> BudgetLine | None:
    values = {col: _dec(facts, f"{prefix}.{col}") for col in ("initial", "adjusted", "executed")}
    if all(v is None for v in values.values()) or any(v is not None and v < 0 for v in values.values()):
        return None
    return BudgetLine(**values)


def build_evaluation(facts: Facts, rules: RuleSet) -> Built:
    """The Evaluation a report states, or None when too little was found to run the checks."""
    gaps: list[tuple[str, str, str]] = []
    year = facts.value("year")
    year_missing = not isinstance(year, int) or not 2000 <= year <= 2100
    if year_missing:
        gaps.append(("year", "year", "未能识别评价年度（如“2024年度”），无法按年度核对"))
    name = facts.value("unit.name")
    if not isinstance(name, str) or not name.strip():
        gaps.append(("unit", "unit.name", "未能识别部门（单位）名称（如“部门单位名称:…”）"))
        name = PLACEHOLDER_UNIT

    budget, budget_missing = _budget(facts, gaps)
    initial_missing = not budget_missing and facts.dec("budget.initial") is None and budget.get("adjustment") is None
    indicators = _indicators(facts, gaps, rules)
    budget_only = not indicators
    if budget_only and budget_missing:
        return Built(None, gaps, budget_missing, initial_missing)
    if budget_only:
        # The model holds at least one indicator; a stand-in lets the budget's checks run, then goes.
        indicators = [{"name": "（未识别指标）", "kind": IndicatorKind.QUALITATIVE, "weight": Decimal(0)}]

    project_name = facts.value("project.name")
    is_project = facts.value("kind") == "project" and isinstance(project_name, str) and project_name.strip()
    data: dict[str, Any] = {
        "kind": "project" if is_project else "department",
        "project": {"name": project_name} if is_project else None,
        "year": 2000 if year_missing else year,  # unused: year-bound checks are not run without it
        "unit": {"name": name, "staffing": _staffing(facts)},
        "filled_date": facts.value("filled_date"),
        "budget": budget,
        "expenditure": _expenditure(facts),
        "indicators": indicators,
        "narrative": _narrative(facts),
        "stated": {
            "execution_score": _dec(facts, "stated.execution_score"),
            "total_score": _dec(facts, "stated.total_score"),
            "grade": facts.value("stated.grade"),
        },
    }
    try:
        evaluation = Evaluation.model_validate(data)
    except ValidationError as exc:  # a figure the model refuses (e.g. negative money): name it, run nothing
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        gaps.append(("model", where, f"报告中的数字不能构成有效的自评数据（{where}：{first['msg']}）"))
        return Built(None, gaps, budget_missing, initial_missing)
    if budget_only:
        evaluation.indicators = []
    evaluation.locations = locations(facts)
    return Built(evaluation, gaps, budget_missing, initial_missing, budget_only, year_missing)


def _budget(facts: Facts, gaps: list[tuple[str, str, str]]) -> tuple[dict[str, Any], bool]:
    initial = _dec(facts, "budget.initial")
    adjusted = _dec(facts, "budget.adjusted")
    executed = _dec(facts, "budget.executed")
    adjustment = _dec(facts, "budget.adjustment")
    no_adjustment = re.search(r"(?:未|没有|无)(?:作|进行|发生)?(?:预算)?调整", facts.text.norm) is not None
    # Only the report's own identities fill a gap: 全年 = 年初 + 调整数, or "未调整".
    if adjusted is None and initial is not None and adjustment is not None:
        adjusted = initial + adjustment
    elif adjusted is None and initial is not None and no_adjustment:
        adjusted = initial
    if initial is None and adjusted is not None and adjustment is not None:
        initial = adjusted - adjustment
    if initial is None and adjusted is not None and executed is not None:
        # A table with only 全年预算数 and 全年执行数 (most 项目 自评表): the rate is still checked; the
        # adjustment checks are not run (the caller is told by `initial_missing`).
        initial = adjusted
    missing = [label for label, v in (("年初预算数", initial), ("全年预算数", adjusted), ("执行数", executed)) if v is None]
    if missing or any(v is not None and v < 0 for v in (initial, adjusted, executed)):
        gaps.append(("budget", "budget", f"未能识别部门整体预算的{'、'.join(missing) or '有效金额'}，预算执行率和预算相关核对未进行"))
        return {"initial": 0, "adjusted": 0, "executed": 0}, True
    sources = {}
    for source in FundSource:
        line = _line(facts, f"budget.sources.{source.value}")
        if line is not None:
            sources[source] = line
    return {
        "initial": initial,
        "adjusted": adjusted,
        "executed": executed,
        "adjustment": adjustment,
        "sources": sources,
        "fiscal": _line(facts, "budget.fiscal"),
        "adjustment_explanation": _explanation(facts, "adjust"),
        "execution_explanation": _explanation(facts, "execution"),
        "stated": {
            "adjustment_rate": _dec(facts, "budget.stated.adjustment_rate"),
            "execution_rate": _dec(facts, "budget.stated.execution_rate"),
        },
    }, False


def _explanation(facts: Facts, scope: str) -> str | None:
    sentences = [
        s for text in facts.texts.get(scope, []) for s in re.split(r"[。]", text)
        if re.search(r"原因|由于|因|主要是|系", s)
    ]
    return "。".join(sentences) or None


def _staffing(facts: Facts) -> dict[str, Any]:
    return {
        key: facts.value(f"unit.staffing.{key}")
        for key in ("authorized_administrative", "authorized_institutional", "authorized_total", "actual")
    }


def _expenditure(facts: Facts) -> dict[str, Any]:
    out: dict[str, Any] = {"total": _dec(facts, "expenditure.total")}
    basic_budget = _dec(facts, "expenditure.basic.budget")
    if basic_budget is not None:
        out["basic"] = {
            "budget": basic_budget,
            "personnel": _dec(facts, "expenditure.basic.personnel"),
            "public": _dec(facts, "expenditure.basic.public"),
            "executed": _dec(facts, "expenditure.basic.executed"),
            "stated": {"execution_rate": _dec(facts, "expenditure.basic.stated.execution_rate")},
        }
    projects = []
    for i, (title, source) in enumerate(facts.groups):
        budget = _dec(facts, f"expenditure.projects[{i}].budget")
        if budget is None:
            continue
        count = facts.value(f"expenditure.projects[{i}].count")
        projects.append({
            "name": title, "source": source, "count": count if isinstance(count, int) and count > 0 else 1,
            "budget": budget, "executed": _dec(facts, f"expenditure.projects[{i}].executed"),
        })
    out["projects"] = projects
    total = {
        "count": facts.value("expenditure.project_total.count"),
        "budget": _dec(facts, "expenditure.project_total.budget"),
        "executed": _dec(facts, "expenditure.project_total.executed"),
    }
    if any(v is not None for v in total.values()):
        out["project_total"] = total
    return out


def _indicators(facts: Facts, gaps: list[tuple[str, str, str]], rules: RuleSet) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if facts.first("table.scorecard") is not None or facts.first("table.values_unread") is not None:
        # a 评分表's items are scored by its standards, not against targets; a glued table whose targets and actuals
        # could not be cut apart has them unread, not missing: its weights and scores are audit.table_checks'
        return out
    if not facts.blocks:
        gaps.append(("indicators", "indicators", "未能识别绩效指标（如“指标名称:该指标预期指标值大于等于…”），指标核对未进行"))
        return out
    for block in facts.blocks:
        p = f"indicators[{block.index}]"
        weight = _dec(facts, f"{p}.weight")
        if weight is None:
            gaps.append(("weight", f"{p}.weight", f"指标“{block.name}”未写明权重分值"))
        target = _dec(facts, f"{p}.target")
        actual_stmt = primary_actual(facts, block.index)
        actual = actual_stmt.value if actual_stmt is not None and isinstance(actual_stmt.value, Decimal) else None
        unit = facts.value(f"{p}.unit")
        level1 = _level1(facts.value(f"{p}.level1"))
        item: dict[str, Any] = {
            "name": block.name,
            "level1": level1,
            "level2": facts.value(f"{p}.level2") if level1 is not None else None,
            "comparator": facts.value(f"{p}.comparator"),
            "target": target,
            "unit": unit,
            "mid_year": _dec(facts, f"{p}.mid_year"),
            "mid_year_note": facts.value(f"{p}.mid_year_note"),
            "actual": actual,
            "weight": weight if weight is not None and weight >= 0 else Decimal(0),
            "evidence": facts.value(f"{p}.evidence"),
            "deviation_reason": facts.value(f"{p}.deviation_reason"),
            "improvement": facts.value(f"{p}.improvement"),
            "stated": {
                "completion_rate": _dec(facts, f"{p}.stated.completion_rate"),
                "score": _dec(facts, f"{p}.stated.score"),
            },
        }
        if target is None and facts.value(f"{p}.target_text") is not None:
            item.update(_qualitative(facts, facts.text.norm[block.start : block.end], p, item, rules))
        out.append(item)
    return out


def _level1(text: object) -> Level1 | None:
    if not isinstance(text, str):
        return None
    for level in Level1:
        if level.value in text:
            return level
    return None


def _qualitative(facts: Facts, block: str, p: str, item: dict[str, Any], rules: RuleSet) -> dict[str, Any]:
    """A target stated in words: a qualitative indicator, scored as the report scored it."""
    block_text = " ".join(str(s.value) for s in facts.stmts.get(f"{p}.target_text", []))
    band: QualitativeBand | None = None
    for candidate in (QualitativeBand.NOT_ACHIEVED, QualitativeBand.PARTLY, QualitativeBand.ACHIEVED):
        if candidate.value in block:
            band = candidate
            break
    score = item["stated"]["score"]
    weight = item["weight"]
    if band is None and score is not None and weight:
        share = score / weight
        for rule in rules.qualitative:
            if rule.low <= share and (share < rule.high or (rule.high_inclusive and share <= rule.high)):
                band = rule.band
                break
    return {
        "kind": IndicatorKind.QUALITATIVE, "comparator": None, "target_text": block_text or None,
        "band": band, "manual_score": score,
    }


class LazyLocations(dict[str, Location]):
    """`Evaluation.locations` computed on first use: a report states ~100 figures, a finding needs a few.

    Which paths exist is known up front (membership and length are exact); the line and
    quote of a path are worked out when a finding asks for them. Serialisers that read a
    dict at C level (pydantic's `model_dump`, `json`) see only what was computed: call
    `materialised()` first when the whole map is wanted.
    """

    def __init__(self, makers: dict[str, Callable[[], Location]]) -> None:
        super().__init__()
        self._makers = makers

    def __contains__(self, key: object) -> bool:
        return key in self._makers

    def __len__(self) -> int:
        return len(self._makers)

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __getitem__(self, key: str) -> Location:
        if not dict.__contains__(self, key):
            dict.__setitem__(self, key, self._makers[key]())
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self._makers else default

    def items(self) -> Any:
        return [(k, self[k]) for k in self._makers]

    def values(self) -> Any:
        return [self[k] for k in self._makers]

    def keys(self) -> Any:
        return self._makers.keys()

    def materialised(self) -> dict[str, Location]:
        return {k: self[k] for k in self._makers}


def locations(facts: Facts) -> dict[str, Location]:
    """Where each field was first stated (the core's findings read line and quote from here)."""
    text = facts.text
    makers: dict[str, Callable[[], Location]] = {}
    for path, stmts in facts.stmts.items():
        makers[path] = partial(facts.location, stmts[0])
    for block in facts.blocks:
        makers[f"indicators[{block.index}]"] = partial(text.locate, block.name_start, block.name_start + len(block.name))
        actual = primary_actual(facts, block.index)
        if actual is not None:
            makers[f"indicators[{block.index}].actual"] = partial(facts.location, actual)
    if facts.blocks:
        first = facts.blocks[0]
        makers.setdefault("indicators", partial(text.locate, first.name_start, first.name_start + len(first.name)))
    para = next((p for p in facts.paragraphs if p.scope == "adjust" and not p.heading and not re.search(r"\d", p.text)), None)
    if para is not None:
        makers["narrative.adjustment_effect"] = partial(text.locate, para.start, para.end, False)
    for key in ("problems", "measures"):
        para = next((p for p in facts.paragraphs if p.scope == key), None)
        if para is not None:
            makers[f"narrative.{key}"] = partial(text.locate, para.start, para.end, False)
    return LazyLocations(makers)


def _narrative(facts: Facts) -> dict[str, Any]:
    def paras(scope: str) -> list[str]:
        return [t.lstrip("-•· ") for t in facts.texts.get(scope, [])]

    adjust_effect = [t for t in facts.texts.get("adjust", []) if not re.search(r"\d", t)]
    return {
        "key_work": "\n".join(paras("key_work")) or None,
        "adjustment_effect": "\n".join(adjust_effect) or None,
        "problems": paras("problems"),
        "causes": paras("causes"),
        "measures": paras("measures"),
        "suggestions": paras("suggestions"),
    }

