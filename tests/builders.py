"""Small valid evaluations for tests: start from `minimal()` and change what the test is about."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from jixiao.core.model import Evaluation

BASE: dict[str, Any] = {
    "kind": "department",
    "year": 2024,
    "unit": {"name": "测试单位"},
    "budget": {"initial": Decimal("100"), "adjusted": Decimal("100"), "executed": Decimal("100")},
    "indicators": [
        {"level1": "产出", "level2": "数量指标", "name": "数量", "comparator": ">=", "target": Decimal(10),
         "unit": "个", "actual": Decimal(10), "weight": Decimal(50)},
        {"level1": "效益", "level2": "社会效益指标", "name": "效益率", "comparator": ">=", "target": Decimal(90),
         "unit": "%", "actual": Decimal(90), "weight": Decimal(30)},
        {"level1": "满意度", "level2": "服务对象满意度指标", "name": "满意度", "comparator": ">=",
         "target": Decimal(90), "unit": "%", "actual": Decimal(95), "weight": Decimal(10)},
    ],
    "narrative": {"problems": ["问题"], "measures": ["措施"]},
}


def data(**changes: Any) -> dict[str, Any]:
    """A deep copy of BASE with dotted-path changes, e.g. data(**{"budget.executed": Decimal(90)})."""
    out = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        target: Any = out
        parts = dotted.split(".")
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
        last = parts[-1]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return out


def minimal(**changes: Any) -> Evaluation:
    return Evaluation.model_validate(data(**changes))


def indicator(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"name": "指标", "comparator": ">=", "target": Decimal(100), "unit": "个",
                            "actual": Decimal(100), "weight": Decimal(90)}
    base.update(fields)
    return base


def with_indicators(*indicators: dict[str, Any], **changes: Any) -> Evaluation:
    return minimal(indicators=list(indicators), **changes)
