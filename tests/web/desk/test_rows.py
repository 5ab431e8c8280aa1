"""The desk's relational rows follow the current version, in the same transaction as the save."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from jixiao.web.desk.models import EvaluationFigures, FindingRow, IndicatorRow
from jixiao.web.desk.rows import rebuild
from jixiao.web.evaluations import services

pytestmark = pytest.mark.django_db


def test_rows_written_at_create_with_the_engines_scores(world: Any) -> None:
    evaluation = world.evaluation()
    result = services.score(services.load_model(evaluation.versions.get(number=1).data), evaluation.rules)
    rows = list(IndicatorRow.objects.filter(evaluation=evaluation).order_by("position"))
    assert [r.name for r in rows] == [i.name for i in result.evaluation.indicators]
    assert [r.score_hundredths for r in rows] == [services.hundredths(s.score) for s in result.scorecard.indicators]
    # The seed's indicator scores 10/20/0/30/15 sum to the indicator total, in hundredths.
    assert sum(r.score_hundredths for r in rows) == services.hundredths(result.scorecard.indicator_total)
    figures = EvaluationFigures.objects.get(evaluation=evaluation)
    assert figures.budget_adjusted == result.scorecard.budget.adjusted
    assert figures.version_number == 1
    assert figures.indicator_count == len(rows)
    codes = set(FindingRow.objects.filter(evaluation=evaluation).values_list("code", flat=True))
    assert codes == {f.code for f in result.findings}


def test_a_new_version_replaces_the_rows(world: Any) -> None:
    evaluation = world.evaluation()
    model = services.load_model(evaluation.versions.get(number=1).data)
    fewer = model.model_copy(update={"indicators": model.indicators[:2]})
    services.save_version(world.users["prep_a1"], evaluation, fewer, base_version=1)
    assert IndicatorRow.objects.filter(evaluation=evaluation).count() == 2
    assert EvaluationFigures.objects.get(evaluation=evaluation).version_number == 2


def test_rows_roll_back_with_a_failed_save(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    evaluation = world.evaluation()
    before = list(IndicatorRow.objects.filter(evaluation=evaluation).values_list("name", flat=True))
    model = services.load_model(evaluation.versions.get(number=1).data)

    def broken_audit(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_audit", broken_audit)
    fewer = model.model_copy(update={"indicators": model.indicators[:1]})
    with pytest.raises(RuntimeError):
        services.save_version(world.users["prep_a1"], evaluation, fewer, base_version=1)
    after = list(IndicatorRow.objects.filter(evaluation=evaluation).values_list("name", flat=True))
    assert after == before


def test_rebuild_backfills_from_the_current_version(world: Any) -> None:
    evaluation = world.evaluation()
    expected = list(IndicatorRow.objects.filter(evaluation=evaluation).values_list("name", "score_hundredths"))
    IndicatorRow.objects.all().delete()
    EvaluationFigures.objects.all().delete()
    assert rebuild([evaluation]) == 1
    assert list(IndicatorRow.objects.filter(evaluation=evaluation).values_list("name", "score_hundredths")) == expected


def test_huge_figures_stay_in_the_json_only(world: Any) -> None:
    evaluation = world.evaluation()
    model = services.load_model(evaluation.versions.get(number=1).data)
    first = model.indicators[0].model_copy(update={"target": Decimal("1e30"), "actual": Decimal("1e30")})
    services.save_version(world.users["prep_a1"], evaluation, model.model_copy(update={"indicators": [first]}), 1)
    row = IndicatorRow.objects.get(evaluation=evaluation)
    assert row.target is None and row.actual is None
    assert connection.vendor in ("sqlite", "postgresql")
