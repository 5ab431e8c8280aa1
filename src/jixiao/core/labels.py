"""Chinese labels for field paths: one mapping, shared by the CLI, the web app and the report.

A finding, an input problem or a diff row names its field by path (`budget.stated.adjustment_rate`,
`indicators[2].actual`); people read `所述预算调整率`, `指标3（引进企业数量）·完成值`. The labels come from the
model's own field descriptions (already Chinese), trimmed to a heading, with a few overrides where a
description explains more than it names.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel

from jixiao.core.model import (
    FUND_SOURCE_LABELS,
    KIND_LABELS,
    Comparator,
    Direction,
    Evaluation,
    FundSource,
    IndicatorKind,
)

# Where a description is an explanation rather than a name (or the trimmed text is ambiguous).
OVERRIDES: dict[str, str] = {
    "kind": "自评类别",
    "unit": "部门（单位）",
    "unit.name": "部门（单位）名称",  # trimmed at its bracket it would say only 部门
    "unit.funding_type": "单位性质",
    "unit.organisation": "机构设置及人员构成",
    "attachment_no": "附件编号",
    "filled_date": "填报日期",
    "budget": "预算",
    "budget.adjustment": "预算调整数",
    "budget.adjusted": "全年预算数",
    "budget.executed": "全年执行数",
    "budget.sources": "资金来源",
    "budget.fiscal": "财政资金",
    "budget.stated": "所述预算数据",
    "expenditure": "支出情况",
    "expenditure.basic.stated": "所述基本支出数据",
    "expenditure.project_total": "项目支出合计（所述）",
    "indicators": "绩效指标",
    "narrative": "文字部分",
    "stated": "所述评价结果",
    "project": "项目信息",
    "locations": "原文位置",
}
# Row fields of an indicator or a project, named the way the 自评表 columns are.
ROW_OVERRIDES: dict[str, dict[str, str]] = {
    "indicators[]": {
        "name": "三级指标", "kind": "定量/定性", "comparator": "比较符", "target": "目标值", "target_text": "目标（定性）",
        "actual": "完成值", "actual_text": "完成情况（定性）", "mid_year": "年中值", "weight": "分值", "band": "定性档次",
        "manual_score": "定性得分", "direction": "指标方向", "stated": "所述数据", "level1": "一级指标", "level2": "二级指标",
    },
    "expenditure.projects[]": {"count": "个数", "initial": "年初预算", "budget": "全年预算", "executed": "执行数"},
}
ROWS = {"indicators[]": "指标", "expenditure.projects[]": "项目", "narrative.tasks[]": "任务"}
_CUT = re.compile(r"[，（(：:；/]")


def _short(description: str) -> str:
    """"年初预算数（万元）" → "年初预算数"; "单位性质，如 …" → "单位性质"."""
    head = _CUT.split(description, maxsplit=1)[0].strip()
    return head or description


def _inner(annotation: Any) -> tuple[Any, str]:
    """The model class behind an annotation, and how paths step into it ("", "[]" or "{}")."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return _inner(arg)
    if origin is list:
        return typing.get_args(annotation)[0], "[]"
    if origin is dict:
        return typing.get_args(annotation)[1], "{}"
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    return annotation, ""


def _walk(model: type[BaseModel], prefix: str, labels: dict[str, str], keyed: set[str]) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        rows = ROW_OVERRIDES.get(prefix, {})
        labels[path] = OVERRIDES.get(path) or rows.get(name) or _short(info.description or name)
        inner, step = _inner(info.annotation)
        if step == "{}":
            keyed.add(path)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            _walk(inner, path + step, labels, keyed)


@cache
def _tables() -> tuple[dict[str, str], frozenset[str]]:
    labels: dict[str, str] = {}
    keyed: set[str] = set()
    _walk(Evaluation, "", labels, keyed)
    return labels, frozenset(keyed)


def field_labels() -> Mapping[str, str]:
    """Every field path of the evaluation model in generic form (`indicators[].actual`,
    `budget.sources{}.initial`), with its Chinese label."""
    return _tables()[0]


# Parents whose name a child's label needs to be told apart from a field of the same name elsewhere.
QUALIFIERS = {"budget.fiscal": "财政资金", "project": "项目", "expenditure.project_total": "项目支出合计"}
_INDEX = re.compile(r"\[\d+\]")
_SEGMENT = re.compile(r"([^\[\]]+)(?:\[(\d+)\])?")


def _key_label(key: str) -> str:
    try:
        return FUND_SOURCE_LABELS[FundSource(key)]
    except ValueError:
        return key


def field_label(path: str, names: Mapping[str, str] | None = None) -> str:
    """The Chinese label of a field path: `indicators[2].actual` → `指标3·完成值` (`指标3（引进企业数量）·完成值`
    when `names` maps `indicators[2]` to the indicator's name), `budget.sources.fiscal.initial` →
    `本级资金·年初预算数`, `budget.stated.adjustment_rate` → `所述预算调整率`. An unknown tail (a misspelt
    key) is kept as written after its parent's label; a path the model does not have at all is returned as given."""
    labels, keyed = _tables()
    heads: list[str] = []
    last = ""
    generic = concrete = ""
    segments = path.split(".")
    unknown = ""
    for position, segment in enumerate(segments):
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            unknown = ".".join(segments[position:])
            break
        name, index = match.group(1), match.group(2)
        concrete = f"{concrete}.{segment}" if concrete else segment
        if generic in keyed:
            heads.append(_key_label(name))
            generic += "{}"
            continue
        candidate = f"{generic}.{name}" if generic else name
        if candidate not in labels:
            unknown = ".".join(segments[position:])  # a misspelt key: shown as written, after its parent
            break
        if generic in QUALIFIERS:
            heads.append(QUALIFIERS[generic])
        generic, last = candidate, labels[candidate]
        if index is not None:
            generic += "[]"
            row = f"{ROWS.get(generic, last)}{int(index) + 1}"
            if names and (title := names.get(concrete)):
                row += f"（{title}）"
            heads.append(row)
            last = ""
    if not heads and not last:
        return path
    return "·".join(part for part in (*heads, last, unknown) if part)


COMPARATOR_SYMBOLS = {Comparator.GE: "≥", Comparator.GT: ">", Comparator.EQ: "=", Comparator.LE: "≤", Comparator.LT: "<"}
INDICATOR_KIND_LABELS = {IndicatorKind.QUANTITATIVE: "定量", IndicatorKind.QUALITATIVE: "定性"}
DIRECTION_LABELS = {Direction.POSITIVE: "正向", Direction.REVERSE: "反向"}
# The fields whose stored value is a code: shown by its Chinese name.
_VALUE_LABELS: dict[str, Mapping[Any, str]] = {
    "kind": KIND_LABELS,
    "indicators[].kind": INDICATOR_KIND_LABELS,
    "indicators[].comparator": COMPARATOR_SYMBOLS,
    "indicators[].direction": DIRECTION_LABELS,
    "expenditure.projects[].source": FUND_SOURCE_LABELS,
}


def value_label(path: str, value: str) -> str:
    """A stored value as people read it: `quantitative` → 定量, `>=` → ≥ (other values unchanged)."""
    table = _VALUE_LABELS.get(_INDEX.sub("[]", path))
    return table.get(value, value) if table else value
