"""Target declarations: identity, adjustments in force, history."""

from datetime import date
from decimal import Decimal as D

import pytest
from pydantic import ValidationError

from jixiao.core.targets import (
    Decision,
    TargetAdjustment,
    TargetDeclaration,
    apply_adjustments,
    target_history,
)
from stage_builders import declaration


def adjustment(code: str = "XM-001", decision: Decision = Decision.APPROVED, **changes: object) -> dict[str, object]:
    return {"code": code, "reason": "上级调减任务量", "decision": decision, "requested_on": date(2025, 7, 1), **changes}


def test_codes_must_be_unique() -> None:
    decl = declaration()
    data = decl.model_dump()
    data["indicators"][1]["code"] = data["indicators"][0]["code"]
    with pytest.raises(ValidationError, match=r"XM-001.*重复"):
        TargetDeclaration.model_validate(data)


def test_code_is_a_plain_identifier() -> None:
    data = declaration().model_dump()
    data["indicators"][0]["code"] = "完成 数量"
    with pytest.raises(ValidationError):
        TargetDeclaration.model_validate(data)


def test_project_needs_project_info() -> None:
    with pytest.raises(ValidationError, match="project"):
        declaration(project=None)


def test_an_adjustment_must_change_something() -> None:
    with pytest.raises(ValidationError, match="至少改变"):
        TargetAdjustment.model_validate({"code": "XM-001", "reason": "理由"})


def test_an_adjustment_needs_a_reason() -> None:
    with pytest.raises(ValidationError):
        TargetAdjustment.model_validate({"code": "XM-001", "target": 90, "reason": "  "})


def test_only_approved_adjustments_are_in_force() -> None:
    decl = declaration(
        adjustments=[
            adjustment(target=90),
            adjustment(target=80, decision=Decision.REFUSED),
            adjustment(target=70, decision=Decision.PENDING),
        ]
    )
    in_force = apply_adjustments(decl)
    assert in_force.indicator("XM-001") is not None
    assert in_force.indicator("XM-001").target == D(90)  # type: ignore[union-attr]
    assert decl.indicator("XM-001").target == D(100)  # type: ignore[union-attr]  (the declaration is kept)
    assert [ind.code for ind in in_force.indicators] == [ind.code for ind in decl.indicators]


def test_history_lists_every_approved_value_in_order() -> None:
    decl = declaration(
        adjustments=[adjustment(target=90), adjustment(target=85, unit="套"), adjustment(target=1, decision=Decision.REFUSED)]
    )
    history = target_history(decl, "XM-001")
    assert [(ind.target, ind.unit) for ind, _ in history] == [(D(100), "个"), (D(90), "个"), (D(85), "套")]
    assert history[0][1] is None and history[2][1] is not None and history[2][1].reason == "上级调减任务量"
    assert target_history(decl, "nope") == []
