"""Monitoring checks (M…) and chain checks (C…)."""

from datetime import date

from jixiao.core.chain import monitoring_from_targets
from jixiao.core.checks.chain import run_chain_checks
from jixiao.core.checks.monitoring import run_monitoring_checks
from jixiao.io.rules_file import load_rules
from stage_builders import declaration, monitoring, with_monitored

RULES = load_rules("national")


def codes(report: object) -> list[str]:
    return [f.code for f in run_monitoring_checks(report, RULES)]  # type: ignore[arg-type]


def test_the_template_is_clean() -> None:
    assert codes(monitoring()) == []


def test_lights_need_reasons_and_measures() -> None:
    found = run_monitoring_checks(with_monitored(monitoring(), "XM-005", corrective_action=None), RULES)
    assert [(f.code, f.field) for f in found] == [("M004", "indicators[4].corrective_action")]
    assert "红灯" in found[0].message and "纠偏措施" in found[0].message
    budget = run_monitoring_checks(monitoring(deviation_reason=None, corrective_action=""), RULES)
    assert [f.code for f in budget] == ["M003"] and "黄灯" in budget[0].message


def test_figures_that_cannot_be_judged() -> None:
    assert "M001" in codes(monitoring(cut_off=date(2024, 6, 30)))
    assert "M002" in codes(monitoring(budget={"annual": 100, "executed_to_date": 120}))
    assert codes(with_monitored(monitoring(), "XM-001", value_to_date=None)) == ["M005"]
    assert codes(with_monitored(monitoring(), "XM-006", on_track=None)) == ["M005"]
    assert codes(with_monitored(monitoring(), "XM-001", target=None)) == ["M006"]


def test_monitoring_keeps_to_the_targets() -> None:
    decl = declaration()
    assert run_chain_checks(decl, monitoring=monitoring()) == []
    changed = with_monitored(monitoring(), "XM-001", target=80)
    assert [f.code for f in run_chain_checks(decl, monitoring=changed)] == ["C002"]
    unknown = with_monitored(monitoring(), "XM-001", code="XM-099")
    assert [f.code for f in run_chain_checks(decl, monitoring=unknown)] == ["C001"]
    adjusted = declaration(adjustments=[{"code": "XM-001", "target": 80, "reason": "调减", "decision": "approved"}])
    assert [f.code for f in run_chain_checks(adjusted, monitoring=changed)] == []


def test_a_monitoring_round_starts_from_the_targets_in_force() -> None:
    adjusted = declaration(adjustments=[{"code": "XM-001", "target": 80, "reason": "调减", "decision": "approved"}])
    blank = monitoring_from_targets(adjusted, date(2025, 6, 30), executed_to_date=30)
    assert [i.code for i in blank.indicators] == [i.code for i in adjusted.indicators]
    assert blank.indicators[0].target == 80 and blank.budget.annual == adjusted.budget.total
    assert run_chain_checks(adjusted, monitoring=blank) == []
