"""The anomaly page: each kind found by its SQL rule, explained, linked — and only inside the scope."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.web.desk import analytics as pure
from jixiao.web.desk import anomaly_rows
from jixiao.web.desk.analytics import AnomalyCode
from jixiao.web.desk.analytics_anomalies import INDICATOR_CODES, Finder
from jixiao.web.desk.analytics_db import desk_scope
from jixiao.web.desk.models import AnomalyRow, EvaluationFigures, FindingRow, IndicatorRow, NarrativeBand
from jixiao.web.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def _codes(world: Any, user: str = "finance", **kw: Any) -> dict[AnomalyCode, set[int]]:
    scope = desk_scope(world.users[user])
    assert scope is not None
    return {s.kind.code: {h.evaluation_id for h in s.hits} for s in Finder(scope, 2024, **kw).sections()}


def test_the_seed_trips_the_indicator_rules_the_pure_module_states(world: Any) -> None:
    evaluation = world.evaluation()
    found = _codes(world)
    # Every indicator row is judged the same by the SQL rule and by the pure function.
    for row in IndicatorRow.objects.filter(evaluation=evaluation):
        pure_codes = {h.code for h in pure.indicator_hits(anomaly_rows.fact_of(row))}
        for code in INDICATOR_CODES:
            assert (code in pure_codes) == (evaluation.pk in found[code] and code in pure_codes), (row.name, code)
    assert evaluation.pk in found[AnomalyCode.MID_YEAR_JUMP]  # two indicators lagged far behind at mid-year


def test_evaluation_level_anomalies(world: Any) -> None:
    high = world.evaluation(world.unit_a1)
    low_execution = world.evaluation(world.unit_a2, preparer="prep_a2")
    exact = world.evaluation(world.unit_b1, preparer="prep_b1")
    Evaluation.objects.filter(pk=high.pk).update(total_hundredths=9600, error_count=4, grade="良")
    Evaluation.objects.filter(pk=low_execution.pk).update(total_hundredths=9000)
    EvaluationFigures.objects.filter(evaluation=low_execution).update(execution_rate_hundredths=5500)
    IndicatorRow.objects.filter(evaluation=exact, kind="quantitative").update(completion_rate_hundredths=10000)
    anomaly_rows.rederive([exact], IndicatorRow, AnomalyRow)  # what a save of those rows would have found
    found = _codes(world)
    assert high.pk in found[AnomalyCode.HIGH_TOTAL_MANY_ERRORS]
    assert high.pk in found[AnomalyCode.GRADE_TOTAL_MISMATCH]  # 96 is 优, recorded 良
    assert found[AnomalyCode.LOW_EXECUTION_HIGH_TOTAL] == {low_execution.pk}
    assert found[AnomalyCode.ALL_EXACTLY_100] == {exact.pk}
    FindingRow.objects.create(evaluation=exact, year=2024, department=world.dept_b, code="T004", severity="error")
    assert exact.pk in _codes(world)[AnomalyCode.GRADE_TOTAL_MISMATCH]


def test_the_same_narrative_in_two_units(world: Any) -> None:
    a1 = world.evaluation(world.unit_a1)
    a2 = world.evaluation(world.unit_a2, preparer="prep_a2")
    found = _codes(world)
    assert found[AnomalyCode.SAME_NARRATIVE] == {a1.pk, a2.pk}  # the seed's words, twice


def test_the_page_explains_links_and_keeps_to_the_scope(world: Any) -> None:
    a1 = world.evaluation(world.unit_a1)
    b1 = world.evaluation(world.unit_b1, preparer="prep_b1")
    text = world.client("finance").get("/desk/anomalies/", {"year": "2024"}).content.decode()
    assert "年中到年末的异常跳变" in text and f"/e/{a1.pk}/" in text and f"/e/{b1.pk}/" in text
    client = world.client("dept_a")
    text = client.get("/desk/anomalies/", {"year": "2024"}).content.decode()
    assert f"/e/{a1.pk}/" in text and f"/e/{b1.pk}/" not in text and "第一中学" not in text
    text = client.get("/desk/anomalies/", {"year": "2024", "department": str(world.dept_b.pk)}).content.decode()
    assert "第一中学" not in text
    book = load_workbook(io.BytesIO(client.get("/desk/anomalies.xlsx", {"year": "2024"}).content))
    units = {row[2] for row in book["异常单位"].iter_rows(min_row=2, values_only=True)}
    assert units == {world.unit_a1.name}
    assert world.client("prep_a1").get("/desk/anomalies/").status_code == 403


def test_copied_from_last_year(world: Any) -> None:
    this = world.evaluation(world.unit_a1)
    data = dict(world.seed_data, year=2023)
    from jixiao.web.evaluations import services

    services.create_evaluation(world.users["prep_a1"], world.unit_a1, services.load_model(data))
    found = _codes(world)
    assert this.pk in found[AnomalyCode.COPIED_FROM_LAST_YEAR]
    assert Decimal(1)  # the seed's narrative is the same text both years


def test_what_the_saves_stored_is_what_the_rules_find_on_the_rows(world: Any) -> None:
    """The page reads the anomaly rows written at save time; the SQL rules over the indicator rows agree."""
    world.evaluation(world.unit_a1)
    world.evaluation(world.unit_b1, preparer="prep_b1")
    scope = desk_scope(world.users["finance"])
    assert scope is not None
    stored = {s.kind.code: [(h.evaluation_id, h.detail) for h in s.hits] for s in Finder(scope, 2024).sections()}
    live = {s.kind.code: [(h.evaluation_id, h.detail) for h in s.hits]
            for s in Finder(scope, 2024, stored=False).sections(INDICATOR_CODES)}
    for code, hits in live.items():
        assert stored[code] == hits, code
    assert any(live.values())  # the seed trips some of them


def test_narrative_fingerprints_follow_each_save(world: Any) -> None:
    """Another unit's copy flags both; rewriting one's narrative clears the flag of the other."""
    from jixiao.web.evaluations import services

    a1 = world.evaluation(world.unit_a1)
    a2 = world.evaluation(world.unit_a2, preparer="prep_a2")
    assert NarrativeBand.objects.filter(evaluation=a1, shared=True).exists()
    data = dict(world.seed_data, narrative={"key_work": "本年度另行撰写的完全不同的文字，和其他单位没有任何相同之处，仅作测试之用。"})
    services.save_version(world.users["prep_a2"], a2, services.load_model(data), a2.current_version)
    assert not NarrativeBand.objects.filter(evaluation=a1, shared=True).exists()
    assert _codes(world)[AnomalyCode.SAME_NARRATIVE] == set()


def test_a_department_never_sees_a_partner_outside_its_desk(world: Any) -> None:
    a1 = world.evaluation(world.unit_a1)
    b1 = world.evaluation(world.unit_b1, preparer="prep_b1")
    assert {a1.pk, b1.pk} <= _codes(world)[AnomalyCode.SAME_NARRATIVE]  # the bureau: the same seed words
    assert _codes(world, "dept_a")[AnomalyCode.SAME_NARRATIVE] == set()  # its only partner is 教育局's
