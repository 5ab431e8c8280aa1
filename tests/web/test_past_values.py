"""The declaration form shows, beside each indicator, its targets and actuals of earlier years at the unit:
from the recorded uses (same code, or same library entry) and the unit's earlier self-evaluations (same name)."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.web.evaluations import services as evaluation_services
from jixiao.web.planning import services
from jixiao.web.planning.models import RecordKind, StageRecord
from web.conftest import World
from web.test_planning import YEAR, approve_all, declare


def past_cell(page: str, code: str) -> str:
    row = re.search(rf'name="ind-\d+-code" value="{code}".*?<td [^>]*class="past[^"]*">(.*?)</td>', page, re.S)
    assert row is not None, code
    return re.sub(r"<[^>]+>", " ", row.group(1))


def test_last_years_target_and_actual_show_beside_the_row(world: World) -> None:
    record = declare(world)
    approve_all(world, record)  # records the targets' use
    evaluation = services.start_evaluation(world.users["prep_a1"], record)
    model = evaluation_services.version_model(evaluation.versions.get(number=1))
    done = [ind.model_copy(update={"actual": Decimal(98) if ind.code == "XM-001" else ind.actual}) for ind in model.indicators]
    evaluation_services.save_version(world.users["prep_a1"], evaluation, model.model_copy(update={"indicators": done}), 1)
    prep = world.client("prep_a1")
    assert prep.post(f"/plan/r/{record.pk}/next-year/").status_code == 302
    following = StageRecord.objects.get(kind=RecordKind.TARGETS, unit=world.unit_a1, year=YEAR + 1)
    first = next(i for i in following.data["indicators"] if i["code"] == "XM-001")
    assert Decimal(first["last_year_actual"]) == 98  # the self-evaluation's final value, carried into 上年实际
    page = prep.get(f"/plan/r/{following.pk}/edit/").content.decode()
    assert "往年目标与实际" in page
    cell = past_cell(page, "XM-001")
    assert f"{YEAR} 目标 ≥100个" in cell and f"{YEAR} 实际完成值 98个" in cell
    assert f"{YEAR + 1} " not in cell  # nothing of the year being declared


def test_an_evaluation_without_targets_still_gives_its_actual_by_name(world: World) -> None:
    evaluation = world.evaluation()  # an evaluation of the unit typed in without a declaration
    model = evaluation_services.version_model(evaluation.versions.get(number=1))
    first = next(i for i in model.indicators if i.actual is not None and i.target is not None)
    declaration = services.model_of(declare(world))
    later = declaration.model_copy(update={"year": evaluation.year + 1, "indicators": [
        declaration.indicators[0].model_copy(update={"name": first.name}), *declaration.indicators[1:]]})
    past = services.past_values(world.unit_a1, evaluation.year + 1, later.indicators)  # type: ignore[union-attr]
    assert past[0] and past[0][0].startswith(f"{evaluation.year} ") and past[1:] == [[]] * (len(later.indicators) - 1)  # type: ignore[union-attr]
