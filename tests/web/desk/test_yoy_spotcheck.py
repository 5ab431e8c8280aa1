"""Year over year and spot-checks through the pages, inside the scope."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.core.workflow import State
from jixiao.web.desk.models import SpotCheck, SpotCheckItem, SpotCheckScore
from jixiao.web.desk.spotcheck import Frame, draw
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def test_year_over_year_shows_kept_dropped_and_lowered_targets(world: Any) -> None:
    this = world.evaluation(world.unit_a1)
    last = dict(world.seed_data, year=2023)
    indicators = [dict(i) for i in last["indicators"]]
    first = indicators[0]
    first["target"] = str(int(float(first["target"])) * 2)  # last year asked for twice as much
    indicators.append(dict(indicators[1], name="上年独有的指标", code=None))
    last["indicators"] = indicators
    services.create_evaluation(world.users["prep_a1"], world.unit_a1, services.load_model(last))
    page = world.client("finance").get("/desk/yoy/", {"unit": str(world.unit_a1.pk)})
    assert page.status_code == 200
    text = page.content.decode()
    assert "2023 年" in text and "2024 年" in text and f"/e/{this.pk}/" in text
    columns = page.context["subjects"][0]["columns"]
    change = columns[1]["change"]
    assert [i.name for i in change.dropped] == ["上年独有的指标"]
    assert [a.name for a, _ in change.lowered] == [first["name"]]
    book = load_workbook(io.BytesIO(world.client("finance").get("/desk/yoy.xlsx", {"unit": str(world.unit_a1.pk)}).content))
    rows = list(book["历年对比"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [2023, 2024] and rows[1][10] == 1


def test_year_over_year_outside_the_scope_is_404(world: Any) -> None:
    world.evaluation(world.unit_b1, preparer="prep_b1")
    client = world.client("dept_a")
    assert client.get("/desk/yoy/", {"unit": str(world.unit_b1.pk)}).status_code == 404
    assert client.get("/desk/yoy.xlsx", {"unit": str(world.unit_b1.pk)}).status_code == 404
    assert "第一中学" not in client.get("/desk/yoy/", {"q": "中学"}).content.decode()


def _submitted(world: Any) -> list[Evaluation]:
    found = [world.evaluation(world.unit_a1), world.evaluation(world.unit_a2, preparer="prep_a2"),
             world.evaluation(world.unit_b1, preparer="prep_b1")]
    Evaluation.objects.update(state=State.APPROVED.value)
    return found


def test_a_spot_check_is_recorded_so_anyone_redraws_it(world: Any) -> None:
    _submitted(world)
    client = world.client("finance")
    response = client.post("/desk/spotchecks/new/", {"year": "2024", "size": "2", "seed": "12345", "name": "试抽"})
    spot_check = SpotCheck.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/desk/spotchecks/{spot_check.pk}/")
    assert spot_check.seed == 12345 and len(spot_check.frame) == 3
    sampled = sorted(spot_check.items.values_list("evaluation_id", flat=True))
    assert draw(Frame.from_json(spot_check.frame), 2, 12345) == sampled
    assert Frame.from_json(spot_check.frame).digest() == spot_check.frame_digest
    assert "样本相同" in client.get(f"/desk/spotchecks/{spot_check.pk}/").content.decode()


def test_re_scores_are_stored_beside_the_self_scores_and_the_gaps_listed(world: Any) -> None:
    _submitted(world)
    client = world.client("finance")
    client.post("/desk/spotchecks/new/", {"year": "2024", "size": "1", "seed": "1"})
    item = SpotCheckItem.objects.get()
    page = client.get(f"/desk/spotchecks/item/{item.pk}/")
    rows = page.context["rows"]
    post = {f"score-{r['position']}": r["self"] for r in rows}
    first = rows[1]  # the first indicator (row 0 is 预算执行)
    post[f"score-{first['position']}"] = "0"
    post[f"note-{first['position']}"] = "佐证不足"
    assert client.post(f"/desk/spotchecks/item/{item.pk}/", {**post, f"score-{rows[2]['position']}": "999"}).status_code == 400
    assert client.post(f"/desk/spotchecks/item/{item.pk}/", post).status_code == 302
    score = SpotCheckScore.objects.get(item=item, position=first["position"])
    assert score.review_score_hundredths == 0 and score.self_score_hundredths == services.hundredths(
        __import__("decimal").Decimal(first["self"])) and score.note == "佐证不足"
    detail = client.get(f"/desk/spotchecks/{item.spot_check_id}/")
    largest = detail.context["largest"]
    assert [g["gap"].name for g in largest] == [first["name"]]
    book = load_workbook(io.BytesIO(client.get(f"/desk/spotchecks/{item.spot_check_id}/export.xlsx").content))
    assert {"差距", "样本", "抽样框", "说明"} <= set(book.sheetnames)
    gap_rows = list(book["差距"].iter_rows(min_row=2, values_only=True))
    assert any(r[3] == first["name"] and r[5] == 0 for r in gap_rows)


def test_a_department_reviewer_draws_and_sees_only_its_own(world: Any) -> None:
    _submitted(world)
    world.client("finance").post("/desk/spotchecks/new/", {"year": "2024", "size": "3", "seed": "9"})
    bureau_wide = SpotCheck.objects.get()
    client = world.client("dept_a")
    client.post("/desk/spotchecks/new/", {"year": "2024", "size": "5", "seed": "9",
                                         "department": str(world.dept_b.pk)})  # another department: ignored
    own = SpotCheck.objects.exclude(pk=bureau_wide.pk).get()
    assert own.department_id == world.dept_a.pk
    assert {row[1] for row in own.frame} == {"商务局"}
    assert client.get(f"/desk/spotchecks/{bureau_wide.pk}/").status_code == 404
    assert client.get(f"/desk/spotchecks/{bureau_wide.pk}/export.xlsx").status_code == 404
    item = bureau_wide.items.get(evaluation__unit=world.unit_b1)
    assert client.get(f"/desk/spotchecks/item/{item.pk}/").status_code == 404
    assert "试抽" not in client.get("/desk/spotchecks/", {"year": "2024"}).content.decode()


@pytest.mark.parametrize("odd", ["٣", "²", "３", "1e3", "-1", "9" * 40])
def test_odd_numbers_in_desk_parameters_are_refused_kindly(world: Any, odd: str) -> None:
    """One number parser for the desk too: Arabic-Indic, superscript and full-width digits are not ids."""
    client = world.client("finance")
    assert client.get("/desk/yoy/", {"unit": odd}).status_code in (200, 404)
    response = client.post("/desk/spotchecks/new/", {"year": "2024", "size": odd, "seed": odd, "name": "试抽"})
    assert response.status_code == 302
    assert not SpotCheck.objects.filter(name="试抽").exists()
