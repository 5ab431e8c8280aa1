"""An approved self-evaluation writes each indicator's actual value on its use record (by its code and
its library entry), so next year's declaration shows last year's target and actual beside a library
indicator picked again under a new code — end to end through the pages."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from jixiao.web.evaluations import editing
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.planning.models import IndicatorUse, RecordKind, StageRecord, UseStage
from web.conftest import CONFIRM_POST, World, form_post
from web.test_past_values import past_cell
from web.test_planning import YEAR, approve_all, edit_post

TIMELY = "资金拨付及时率"  # picked from the library
SATISFACTION = "服务对象满意度"  # the template's own row, named as the library's entry


def library_entry(world: World, name: str) -> dict[str, Any]:
    found = world.client("prep_a1").get("/plan/library/search/", {"q": name}).json()["results"]
    return next(e for e in found if e["name"] == name)


def picked(n: int, entry: dict[str, Any], target: str, weight: str) -> dict[str, str]:
    """The edit form's row `n` filled by a library pick (the page's script sets these fields)."""
    return {f"ind-{n}-{k}": v for k, v in {
        "code": "", "level1": entry["level1"], "level2": entry["level2"], "name": entry["name"], "kind": "quantitative",
        "comparator": entry["comparator"], "target": target, "unit": entry["unit"], "weight": weight, "basis": "历史值",
        "library_code": entry["code"]}.items()}


def new_declaration(world: World, year: int) -> StageRecord:
    response = world.client("prep_a1").post("/plan/targets/new/", {"unit": world.unit_a1.pk, "year": year})
    assert response.status_code == 302
    return StageRecord.objects.get(kind=RecordKind.TARGETS, unit=world.unit_a1, year=year)


def evaluation_action(world: World, user: str, evaluation: Evaluation, action: str) -> None:
    data = {**CONFIRM_POST, "version": str(Evaluation.objects.get(pk=evaluation.pk).current_version)}
    response = world.client(user).post(reverse("evaluations:action", args=[evaluation.pk, action]), data, follow=True)
    errors = [line for line in response.content.decode().splitlines() if 'class="msg error"' in line]
    assert response.status_code == 200 and not errors, errors


def test_next_years_declaration_shows_last_years_target_and_actual_of_a_library_indicator(world: World) -> None:
    prep = world.client("prep_a1")
    timely = library_entry(world, TIMELY)
    # 1. declare: the template's 按期完成率 row replaced by a library pick (new code), then approved
    record = new_declaration(world, YEAR)
    post = edit_post(record, **picked(2, timely, "98", "10"))
    assert prep.post(f"/plan/r/{record.pk}/edit/", post).status_code == 302
    record.refresh_from_db()
    approve_all(world, record)
    row = next(i for i in record.data["indicators"] if i["name"] == TIMELY)
    assert row["library_code"] == timely["code"] and row["code"].startswith(f"{YEAR}-")
    # 2. self-evaluate from the targets: the final values typed in the editor
    assert prep.post(f"/plan/r/{record.pk}/evaluate/").status_code == 302
    evaluation = Evaluation.objects.get(planning_link__targets=record)
    data = evaluation.versions.get(number=1).data
    actuals = {TIMELY: "96", SATISFACTION: "93"}
    state = editing.state_from_data(data)
    changes = {}
    for ind, form_row in zip(data["indicators"], state.tables["ind"], strict=True):
        cells = {c.name.rsplit("-", 1)[1]: c.name for c in form_row.cells + form_row.details}
        if ind["kind"] == "qualitative":
            changes[cells["band"]] = "达成年度指标"
            continue
        changes[cells["actual"]] = actuals.get(ind["name"], str(ind.get("target") or ""))
        if ind["name"] == TIMELY:  # below the target: the reason is required
            changes[cells["deviation_reason"]] = "部分资金12月下旬到位"
    saved = prep.post(f"/e/{evaluation.pk}/edit/", form_post(data, 1, **changes))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    # nothing is recorded before the final approval
    evaluation_action(world, "prep_a1", evaluation, "submit")
    for reviewer in ("head_a1", "dept_a"):
        evaluation_action(world, reviewer, evaluation, "approve")
        assert not IndicatorUse.objects.filter(use=UseStage.ACTUAL).exists(), reviewer
    evaluation_action(world, "finance", evaluation, "approve")
    assert Evaluation.objects.get(pk=evaluation.pk).state == "approved"
    actual = IndicatorUse.objects.get(use=UseStage.ACTUAL, library_code=timely["code"])
    assert (actual.code, actual.year, actual.shown) == (row["code"], YEAR, "96%")
    assert IndicatorUse.objects.get(use=UseStage.ACTUAL, name=SATISFACTION).library_code == library_entry(world, SATISFACTION)["code"]
    # 3. next year's declaration, made afresh: both library indicators picked again, under new codes
    following = new_declaration(world, YEAR + 1)
    keep = {n: i for n, i in enumerate(following.data["indicators"]) if i["name"] not in (SATISFACTION, "按期完成率")}
    # renamed after the pick: no name match with last year's row, the library entry alone joins them
    renamed = dict(timely, name="专项资金拨付及时率")
    post = edit_post(following, **picked(2, renamed, "98", "10"), **picked(6, library_entry(world, SATISFACTION), "92", "10"))
    assert keep and prep.post(f"/plan/r/{following.pk}/edit/", post).status_code == 302
    page = prep.get(f"/plan/r/{following.pk}/edit/").content.decode()
    following.refresh_from_db()
    for name, target, done in (("专项资金拨付及时率", "≥98%", "96%"), (SATISFACTION, "≥90%", "93%")):
        code = next(i["code"] for i in following.data["indicators"] if i["name"] == name)
        assert code.startswith(f"{YEAR + 1}-"), code  # a new identity, joined only by the library entry
        cell = past_cell(page, code)
        assert f"{YEAR} 目标 {target}" in cell and f"{YEAR} 实际完成值 {done}" in cell, (name, cell)


def test_approving_again_does_not_record_the_value_twice(world: World) -> None:
    from jixiao.web.planning.chain import record_actuals

    evaluation = world.evaluation()
    for _ in range(2):
        record_actuals(evaluation)
    uses = IndicatorUse.objects.filter(use=UseStage.ACTUAL, unit=world.unit_a1)
    named = [u.name for u in uses]
    assert named and len(named) == len(set(named))
    assert all(re.match(r"^\S", u.shown) for u in uses)
