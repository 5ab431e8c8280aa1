"""A self-evaluation started from approved targets keeps their rows: the editor offers no delete, move or
add for them, and a save that drops a target row or adds one is refused (400, in Chinese)."""

from __future__ import annotations

import re

import pytest

from jixiao.io.errors import InputError
from jixiao.web.evaluations import services as evaluation_services
from jixiao.web.evaluations.models import Evaluation, EvaluationVersion
from jixiao.web.planning import services
from web.conftest import World, form_post
from web.test_planning import approve_all, declare, edit_post


def from_targets(world: World) -> Evaluation:
    record = declare(world)
    approve_all(world, record)
    return services.start_evaluation(world.users["prep_a1"], record)


def test_target_rows_have_no_delete_move_or_add_buttons(world: World) -> None:
    evaluation = from_targets(world)
    page = world.client("prep_a1").get(f"/e/{evaluation.pk}/edit/").content.decode()
    table = page[page.index('id="ind-table"'):page.index("</table>", page.index('id="ind-table"'))]
    rows = re.findall(r'<tbody class="row fixed" data-key="[^"]+">', table)
    assert len(rows) == len(evaluation_services.version_model(evaluation.versions.get(number=1)).indicators)
    assert "data-remove-row" not in table and "data-move-row" not in table
    assert 'id="add-indicator"' not in page and 'id="targets-fixed"' in page
    assert "不能在自评中删除" in table  # the reason, on each row's marker
    # the projects and tasks tables keep their buttons
    assert 'id="add-task"' in page


def test_an_evaluation_not_from_targets_keeps_its_buttons(world: World) -> None:
    evaluation = world.evaluation()
    page = world.client("prep_a1").get(f"/e/{evaluation.pk}/edit/").content.decode()
    assert 'id="add-indicator"' in page and "data-remove-row" in page and "row fixed" not in page


def _posted_without_first_row(evaluation: Evaluation) -> dict[str, object]:
    data = EvaluationVersion.objects.get(evaluation=evaluation, number=1).data
    post = form_post(data, 1)
    keys = post["ind-row"]
    assert isinstance(keys, list)
    post["ind-row"] = keys[1:]
    return post


def test_a_deleted_target_row_is_refused(world: World) -> None:
    evaluation = from_targets(world)
    response = world.client("prep_a1").post(f"/e/{evaluation.pk}/edit/", _posted_without_first_row(evaluation))
    page = response.content.decode()
    assert response.status_code == 400 and "来自批准的绩效目标，不能在自评中删除" in page and "XM-001" in page
    assert evaluation.versions.count() == 1


def test_an_added_row_is_refused(world: World) -> None:
    evaluation = from_targets(world)
    data = EvaluationVersion.objects.get(evaluation=evaluation, number=1).data
    post = form_post(data, 1)
    keys = post["ind-row"]
    assert isinstance(keys, list)
    post["ind-row"] = [*keys, "new1"]
    post.update({"ind-new1-name": "自行增加的指标", "ind-new1-weight": "5", "ind-new1-comparator": ">=",
                 "ind-new1-target": "1", "ind-new1-unit": "个", "ind-new1-actual": "1"})
    response = world.client("prep_a1").post(f"/e/{evaluation.pk}/edit/", post)
    assert response.status_code == 400 and "不在批准的绩效目标中，不能在自评中新增" in response.content.decode()
    assert evaluation.versions.count() == 1


def test_the_service_refuses_a_dropped_row_whatever_the_door(world: World) -> None:
    evaluation = from_targets(world)
    model = evaluation_services.version_model(evaluation.versions.get(number=1))
    fewer = model.model_copy(update={"indicators": model.indicators[1:]})
    with pytest.raises(InputError) as caught:
        evaluation_services.save_version(world.users["prep_a1"], evaluation, fewer, 1)
    assert "不能在自评中删除" in str(caught.value)
    no_codes = model.model_copy(update={"indicators": [i.model_copy(update={"code": None}) for i in model.indicators]})
    with pytest.raises(InputError):  # every code gone is still every target row gone
        evaluation_services.save_version(world.users["prep_a1"], evaluation, no_codes, 1)


def test_the_forms_blank_row_left_untouched_is_not_an_indicator(world: World) -> None:
    """The declaration form always ends with a blank row whose selects (一级指标, 类型) post a value:
    saving without touching it saves the indicators, not an error about a nameless ninth one."""
    record = declare(world)
    count = len(record.data["indicators"])
    post = edit_post(record, **{"ind-count": str(count + 1), f"ind-{count}-level1": "产出", f"ind-{count}-kind": "quantitative",
                                f"ind-{count}-comparator": "", f"ind-{count}-basis": ""})
    response = world.client("prep_a1").post(f"/plan/r/{record.pk}/edit/", post)
    assert response.status_code == 302, response.content.decode()[-1500:]
    record.refresh_from_db()
    assert len(record.data["indicators"]) == count and record.current_version == 2
