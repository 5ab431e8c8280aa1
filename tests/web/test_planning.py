"""The year's chain in the web app through the Django test client (SQLite and PostgreSQL):
declare → review → locked → monitoring round with lights → adjustment → self-evaluation from the
targets (targets cannot be retyped) → rectification closed; to-do lists and notifications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from jixiao.web.evaluations.models import Evaluation, EvaluationVersion
from jixiao.web.planning.models import IndicatorUse, Notification, RecordKind, Rectification, StageRecord
from web.conftest import World

YEAR = 2025


def declare(world: World) -> StageRecord:
    client = world.client("prep_a1")
    response = client.post("/plan/targets/new/", {"unit": world.unit_a1.pk, "year": YEAR})
    assert response.status_code == 302
    return StageRecord.objects.get(kind=RecordKind.TARGETS, unit=world.unit_a1)


def edit_post(record: StageRecord, **changes: str) -> dict[str, Any]:
    """What the edit page posts for the record's current indicators (the template's values)."""
    data = record.data
    post: dict[str, Any] = {
        "base_version": str(record.current_version), "overall_goal": data["overall_goal"],
        "budget_total": str(data["budget"]["total"]), "ind-count": str(len(data["indicators"])),
    }
    for n, ind in enumerate(data["indicators"]):
        for key in ("code", "level1", "level2", "name", "kind", "comparator", "target", "target_text", "unit", "weight", "basis", "last_year_actual"):
            value = ind.get(key)
            post[f"ind-{n}-{key}"] = "" if value is None else str(value)
    post.update(changes)
    return post


def approve_all(world: World, record: StageRecord) -> None:
    assert world.client("prep_a1").post(f"/plan/r/{record.pk}/action/submit/").status_code == 302
    for reviewer in ("head_a1", "dept_a", "finance"):
        assert world.client(reviewer).post(f"/plan/r/{record.pk}/action/approve/").status_code == 302
    record.refresh_from_db()
    assert record.state == "approved" and record.locked


def test_declaration_is_edited_reviewed_and_locked(world: World) -> None:
    record = declare(world)
    client = world.client("prep_a1")
    assert client.get(f"/plan/r/{record.pk}/edit/").status_code == 200
    bad = client.post(f"/plan/r/{record.pk}/edit/", edit_post(record, **{"ind-0-target": "一百"}))
    assert bad.status_code == 400 and "数字" in bad.content.decode()
    ok = client.post(f"/plan/r/{record.pk}/edit/", edit_post(record, **{"ind-0-target": "120", "ind-0-name": "完成数量（套）"}))
    assert ok.status_code == 302
    record.refresh_from_db()
    assert record.current_version == 2 and record.data["indicators"][0]["target"] == "120"
    assert record.versions.count() == 2
    approve_all(world, record)
    assert client.get(f"/plan/r/{record.pk}/edit/").status_code == 403  # locked: only an adjustment changes it
    uses = IndicatorUse.objects.filter(unit=world.unit_a1, code="XM-001")
    assert [u.shown for u in uses] == ["≥120个"]
    assert Notification.objects.filter(user=world.users["prep_a1"], text__contains="已审核通过").exists()


def test_other_units_and_outsiders_see_nothing(world: World) -> None:
    record = declare(world)
    for name in ("prep_b1", "dept_b", "nobody", "prep_a2"):
        assert world.client(name).get(f"/plan/r/{record.pk}/").status_code == 404, name
    assert world.client("dept_a").get(f"/plan/r/{record.pk}/").status_code == 200
    assert world.client("dept_a").get(f"/plan/r/{record.pk}/edit/").status_code == 403
    assert world.client("prep_b1").post("/plan/targets/new/", {"unit": world.unit_a1.pk, "year": YEAR}).status_code == 404
    assert Client().get("/plan/").status_code == 302  # login first


def test_monitoring_round_lights_adjustment_and_self_evaluation(world: World, settings: Any) -> None:
    settings.JIXIAO_MAIL = True
    world.users["prep_a1"].email = "prep@example.org"
    world.users["prep_a1"].save()
    record = declare(world)
    approve_all(world, record)
    assert world.client("prep_a1").post("/plan/rounds/new/", {}).status_code == 403
    issued = world.client("finance").post("/plan/rounds/new/", {
        "scope": world.finance.pk, "year": YEAR, "name": "2025年年中监控", "cut_off": "2025-06-30", "deadline": "2025-07-15"})
    assert issued.status_code == 302
    report = StageRecord.objects.get(kind=RecordKind.MONITORING, targets=record)
    assert any("2025年年中监控" in m.subject for m in mail.outbox)
    prep = world.client("prep_a1")
    todo = prep.get("/plan/").content.decode()
    assert "待填报" in todo and "绩效运行监控" in todo
    post = {"base_version": str(report.current_version), "executed_to_date": "20", "ind-count": "7"}
    for n, ind in enumerate(report.data["indicators"]):
        post[f"ind-{n}-code"] = ind["code"]
        post[f"ind-{n}-value_to_date"] = {"XM-001": "20"}.get(ind["code"], str(ind.get("target") or ""))
        if ind.get("kind") == "qualitative":
            post[f"ind-{n}-on_track"] = "yes"
    post["ind-0-target"] = "1"  # a target sent by a crafted form is ignored: monitoring keeps the approved target
    assert prep.post(f"/plan/r/{report.pk}/edit/", post).status_code == 302
    report.refresh_from_db()
    assert report.worst_light == "red" and report.data["indicators"][0]["target"] == "100"
    page = prep.get(f"/plan/r/{report.pk}/").content.decode()
    assert "红灯" in page and 'id="budget-light">红灯' in page
    # every unit's lights for the bureau
    overview = world.client("finance").get(f"/plan/rounds/{report.round_id}/").content.decode()
    assert world.unit_a1.name in overview and "light-red" in overview
    # adjust the lagging target, approved by the bureau
    assert prep.post(f"/plan/r/{record.pk}/adjust/", {"code": "XM-001", "target": "60", "reason": "上级调减任务量"}).status_code == 302
    assert world.client("dept_a").post(f"/plan/r/{record.pk}/adjust/0/approve/").status_code == 403
    assert world.client("finance").post(f"/plan/r/{record.pk}/adjust/0/approve/").status_code == 302
    record.refresh_from_db()
    report.refresh_from_db()
    assert record.data["adjustments"][0]["decision"] == "approved"
    assert report.data["indicators"][0]["target"] == "60"  # the open monitoring report follows the approved target
    detail = prep.get(f"/plan/r/{record.pk}/").content.decode()
    assert "≥100个 → ≥60个" in detail
    # self-evaluation from the targets
    started = prep.post(f"/plan/r/{record.pk}/evaluate/")
    assert started.status_code == 302
    evaluation = Evaluation.objects.get(planning_link__targets=record)
    data = EvaluationVersion.objects.get(evaluation=evaluation, number=1).data
    first = data["indicators"][0]
    assert (first["code"], first["target"]) == ("XM-001", "60")


def test_self_evaluation_cannot_change_an_approved_target(world: World) -> None:
    from jixiao.web.evaluations import services as evaluation_services
    from jixiao.web.planning import services

    record = declare(world)
    approve_all(world, record)
    evaluation = services.start_evaluation(world.users["prep_a1"], record)
    model = evaluation_services.version_model(evaluation.versions.get(number=1))
    typed = [ind.model_copy(update={"target": Decimal(1), "actual": Decimal(90)}) for ind in model.indicators]  # type: ignore[arg-type]
    evaluation_services.save_version(world.users["prep_a1"], evaluation, model.model_copy(update={"indicators": typed}), 1)
    saved = evaluation_services.version_model(evaluation.versions.get(number=2))
    assert saved.indicators[0].target == 100 and saved.indicators[0].actual == 90


def test_self_evaluation_editor_shows_targets_locked_with_their_adjustments_and_open_items(world: World) -> None:
    import re

    from jixiao.web.planning import services

    record = declare(world)
    approve_all(world, record)
    prep = world.client("prep_a1")
    assert prep.post(f"/plan/r/{record.pk}/adjust/", {"code": "XM-001", "target": "60", "reason": "上级调减任务量"}).status_code == 302
    assert world.client("finance").post(f"/plan/r/{record.pk}/adjust/0/approve/", {"note": "同意"}).status_code == 302
    assert prep.post(f"/plan/r/{record.pk}/adjust/", {"code": "XM-002", "target": "80", "reason": "想降低"}).status_code == 302
    assert world.client("finance").post(f"/plan/r/{record.pk}/adjust/1/refuse/").status_code == 302
    services.create_rectification(world.users["dept_a"], world.unit_a1, YEAR - 1, "self_evaluation", "上年采购计划编制不实",
                                  dt.date(YEAR, 9, 30))
    evaluation = services.start_evaluation(world.users["prep_a1"], record)
    page = prep.get(f"/e/{evaluation.pk}/edit/").content.decode()
    # the target, its comparator (a select shown as text, posted hidden), weight and mid-year value are locked
    target = re.search(r'name="ind-0-target" value="([^"]*)" class="locked" readonly', page)
    assert target is not None and target.group(1).startswith("60")
    assert re.search(r'<input type="hidden" name="ind-0-comparator" value="&gt;=">', page)
    assert re.search(r'name="ind-0-weight" value="[^"]*" class="locked"', page)
    assert re.search(r'name="ind-0-actual" value="[^"]*" inputmode', page), "the final value stays editable"
    panel = page[page.index('id="chain-panel"'):]
    assert f"/plan/r/{record.pk}/" in panel and "≥100个 → ≥60个" in panel and "已批准" in panel
    assert "≥95% → ≥80%" in panel or "未批准" in panel
    assert "上年采购计划编制不实" in panel[panel.index("chain-open-items"):]


def test_an_evaluation_not_from_targets_has_nothing_locked(world: World) -> None:
    evaluation = world.evaluation()
    page = world.client("prep_a1").get(f"/e/{evaluation.pk}/edit/").content.decode()
    assert 'class="locked"' not in page and "chain-panel" not in page


def test_rectification_notice_plan_feedback_review_closed(world: World) -> None:
    created = world.client("dept_a").post("/plan/rect/new/", {
        "unit": world.unit_a1.pk, "year": 2024, "source": "self_evaluation", "problem": "未设置满意度指标", "deadline": "2099-09-30"})
    assert created.status_code == 302
    item = Rectification.objects.get()
    assert world.client("dept_b").get(f"/plan/rect/{item.pk}/").status_code == 404
    prep = world.client("prep_a1")
    assert "未设置满意度指标" in prep.get("/plan/targets/new/").content.decode()  # open items show when declaring
    assert prep.post(f"/plan/rect/{item.pk}/", {"action": "close", "text": "自己销号"}).status_code == 403
    for client, action, text in ((prep, "plan", "下年增设满意度指标"), (prep, "feedback", "已增设"),
                                 (world.client("dept_a"), "return", "未附佐证"), (prep, "feedback", "附问卷"),
                                 (world.client("dept_a"), "close", "同意销号")):
        assert client.post(f"/plan/rect/{item.pk}/", {"action": action, "text": text}).status_code == 302, action
    item.refresh_from_db()
    assert item.state == "closed" and item.feedback == "附问卷"
    assert "未设置满意度指标" not in prep.get("/plan/targets/new/").content.decode()


def test_todo_buckets_for_a_returned_overdue_declaration(world: World) -> None:
    record = declare(world)
    StageRecord.objects.filter(pk=record.pk).update(deadline=dt.date(2020, 1, 1))
    world.client("prep_a1").post(f"/plan/r/{record.pk}/action/submit/")
    assert "待审核" in world.client("head_a1").get("/plan/").content.decode()
    world.client("head_a1").post(f"/plan/r/{record.pk}/action/return/", {"reason": "指标不全"})
    page = world.client("prep_a1").get("/plan/").content.decode()
    assert "被退回" in page and "已逾期" in page


def test_library_search_as_you_type(world: World) -> None:
    found = world.client("prep_a1").get("/plan/library/search/", {"q": "满意"}).json()["results"]
    assert found and found[0]["name"] == "服务对象满意度" and found[0]["source"]


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "yaml", "json"])
def test_downloads(world: World, fmt: str) -> None:
    record = declare(world)
    response = world.client("prep_a1").get(f"/plan/r/{record.pk}/download.{fmt}")
    assert response.status_code == 200 and len(response.content) > 100


def test_existing_evaluations_become_targets_entered_at_self_evaluation(world: World) -> None:
    from django.core.management import call_command

    from jixiao.web.planning import services

    evaluation = world.evaluation()
    call_command("targets_from_evaluations", verbosity=0)
    record = StageRecord.objects.get(kind=RecordKind.TARGETS, unit=world.unit_a1)
    assert record.data["entered_at"] == "self_evaluation" and record.state == "approved" and record.year == evaluation.year
    names = [i["name"] for i in record.data["indicators"]]
    assert names[0] == "开办夜市数量" and len(names) == 5
    history = services.history(world.unit_a1, [record.data["indicators"][3]["code"]])
    assert [(u.use, u.shown) for u in next(iter(history.values()))] == [("target", "≥70家"), ("actual", "72家")]
    assert services.targets_from_evaluations() == 0  # idempotent
    page = world.client("prep_a1").get(f"/plan/r/{record.pk}/").content.decode()
    assert "开办夜市数量" in page


def test_next_years_targets_keep_the_codes_and_show_last_years_values(world: World) -> None:
    world.evaluation()
    from jixiao.web.planning import services

    services.targets_from_evaluations()
    previous = StageRecord.objects.get(kind=RecordKind.TARGETS, unit=world.unit_a1)
    response = world.client("prep_a1").post(f"/plan/r/{previous.pk}/next-year/")
    assert response.status_code == 302
    new = StageRecord.objects.exclude(pk=previous.pk).get(kind=RecordKind.TARGETS, unit=world.unit_a1)
    assert new.year == previous.year + 1 and new.state == "draft"
    assert [i["code"] for i in new.data["indicators"]] == [i["code"] for i in previous.data["indicators"]]
    assert new.data["indicators"][3]["last_year_actual"] == "72"
    page = world.client("prep_a1").get(f"/plan/r/{new.pk}/").content.decode()
    assert f"{previous.year} 实际完成值 72家" in page and f"{previous.year} 目标 ≥70家" in page
    assert world.client("dept_a").post(f"/plan/r/{previous.pk}/next-year/").status_code == 403


def test_library_exports_and_a_department_imports_its_own(world: World, tmp_path: Any) -> None:
    import io

    from openpyxl import load_workbook

    exported = world.client("prep_a1").get("/plan/library/", {"format": "xlsx"})
    assert exported.status_code == 200
    wb = load_workbook(io.BytesIO(exported.content))
    ws = wb.active
    assert ws is not None and ws["B1"].value == "指标名称" and ws.max_row > 30
    ws.delete_rows(3, ws.max_row)
    ws["A2"], ws["B2"], ws["E2"], ws["L2"] = "SW-DEPT-001", "外贸进出口总额增长率", "部门指标", "商务局2025年指标库"
    upload = tmp_path / "lib.xlsx"
    wb.save(upload)
    assert world.client("prep_a1").post("/plan/library/", {"owner": world.dept_a.pk}).status_code == 404
    with upload.open("rb") as handle:
        assert world.client("dept_a").post("/plan/library/", {"owner": world.dept_a.pk, "file": handle}).status_code == 302
    found = world.client("prep_a1").get("/plan/library/search/", {"q": "外贸"}).json()["results"]
    assert found[0]["code"] == "SW-DEPT-001" and found[0]["category"] == "部门指标"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with broken.open("rb") as handle:
        response = world.client("dept_a").post("/plan/library/", {"owner": world.dept_a.pk, "file": handle})
    assert response.status_code == 400 and "不是有效的 Excel 工作簿" in response.content.decode()


def test_a_task_reaches_the_units_todo_screen_and_reminders_go_out_once_a_day(world: World, settings: Any) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from jixiao.web.planning.reminders import remind

    settings.JIXIAO_MAIL = True
    world.users["prep_a1"].email = "prep@example.org"
    world.users["prep_a1"].save()
    assert world.client("prep_a1").post("/plan/tasks/new/", {}).status_code == 403
    assert world.client("dept_b").post("/plan/tasks/new/", {"scope": world.dept_a.pk, "kind": "targets", "year": YEAR,
                                                             "deadline": "2024-12-31"}).status_code == 404  # not in scope
    bad = world.client("dept_a").post("/plan/tasks/new/", {"scope": world.dept_a.pk, "kind": "monitoring", "year": YEAR,
                                                            "deadline": "2024-12-31"})
    assert bad.status_code == 400 and "监控" in bad.content.decode()
    issued = world.client("dept_a").post("/plan/tasks/new/", {"scope": world.dept_a.pk, "kind": "targets", "year": YEAR,
                                                               "title": "2025年项目绩效目标申报", "deadline": "2024-12-31"})
    assert issued.status_code == 302
    assert Notification.objects.filter(user=world.users["prep_a2"], text__contains="2025年项目绩效目标申报").exists()
    assert not Notification.objects.filter(user=world.users["prep_b1"]).exists()  # another department
    assert any("2025年项目绩效目标申报" in m.subject and m.to == ["prep@example.org"] for m in mail.outbox)
    # not yet filed: 待填报 and, the deadline being past, 已逾期
    page = world.client("prep_a1").get("/plan/todo/").content.decode()
    assert "2025年项目绩效目标申报（商务局本级，尚未填报）" in page and "已逾期（1）" in page
    assert "尚未填报" in world.client("prep_a1").get("/plan/todo/?b=overdue").content.decode()
    assert "尚未填报" not in world.client("prep_a1").get("/plan/todo/?b=to_review").content.decode()
    assert "尚未填报" not in world.client("prep_b1").get("/plan/todo/").content.decode()
    # filed: the declaration carries the task's deadline
    record = declare(world)
    assert record.deadline == dt.date(2024, 12, 31)
    page = world.client("prep_a1").get("/plan/todo/").content.decode()
    assert "尚未填报" not in page and f"/plan/r/{record.pk}/" in page
    mail.outbox.clear()
    call_command("remind_deadlines")
    notes = Notification.objects.filter(user=world.users["prep_a1"], text__startswith="到期提醒：")
    assert notes.count() == 1 and "已逾期 1 项" in notes[0].text
    assert [m.to for m in mail.outbox if "到期提醒" in m.subject] == [["prep@example.org"]]
    assert remind(timezone.localdate(), 7) == 0  # once a day


def test_self_evaluations_are_on_the_todo_screen_with_their_tasks_deadline(world: World) -> None:
    from django.utils import timezone

    from jixiao.web.planning import services

    evaluation = world.evaluation()
    services.issue_task(world.users["finance"], world.finance, services.StageKind.SELF_EVALUATION, evaluation.year,
                        "自评任务", timezone.localdate() + dt.timedelta(days=3))
    page = world.client("prep_a1").get("/plan/todo/?b=due_soon").content.decode()
    assert f"/e/{evaluation.pk}/" in page and "即将到期" in page
    assert f"/e/{evaluation.pk}/" not in world.client("prep_b1").get("/plan/todo/").content.decode()


def test_a_department_adds_edits_and_deletes_its_own_library_entries(world: World) -> None:
    from jixiao.web.planning.models import LibraryIndicator

    dept = world.client("dept_a")
    body = {"owner": world.dept_a.pk, "code": "SW-001", "name": "夜市摊位入驻率", "level1": "产出", "level2": "数量指标",
            "category": "部门指标", "comparator": ">=", "unit": "%", "typical": "≥85%，≥90%", "basis": "历史值", "source": "商务局2024年自评"}
    assert world.client("prep_a1").get("/plan/library/entry/").status_code == 403
    assert dept.post("/plan/library/entry/", body).status_code == 302
    row = LibraryIndicator.objects.get(owner=world.dept_a, code="SW-001")
    assert row.data["typical"] == ["≥85%", "≥90%"] and row.data["comparator"] == ">="
    assert world.client("prep_a1").get("/plan/library/search/", {"q": "摊位"}).json()["results"][0]["code"] == "SW-001"
    bad = dept.post(f"/plan/library/entry/{row.pk}/", {**body, "name": "", "level1": "产出"})
    assert bad.status_code == 400 and "未保存" in bad.content.decode() and "Traceback" not in bad.content.decode()
    assert dept.post("/plan/library/entry/", body).status_code == 400  # the same code twice in one library
    assert dept.post(f"/plan/library/entry/{row.pk}/", {**body, "name": "夜市摊位出租率"}).status_code == 302
    row.refresh_from_db()
    assert row.name == "夜市摊位出租率" and row.data["name"] == "夜市摊位出租率"
    assert world.client("dept_b").get(f"/plan/library/entry/{row.pk}/").status_code == 404  # another department's
    assert f"/plan/library/entry/{row.pk}/" in dept.get("/plan/library/").content.decode()
    assert dept.post(f"/plan/library/entry/{row.pk}/", {"delete": "on"}).status_code == 302
    assert not LibraryIndicator.objects.filter(pk=row.pk).exists()


def test_declaring_a_project_suggests_the_indicators_of_like_named_projects(world: World) -> None:
    from jixiao.core.library import similar_names

    assert similar_names("乡村道路维修", ["乡村道路养护维修项目", "教师培训", "乡村道路维修"]) == ["乡村道路养护维修项目"]
    earlier = declare(world)
    data = dict(earlier.data, project=dict(earlier.data["project"], name="夜市提升改造项目"))
    data["indicators"] = [dict(data["indicators"][0], name="改造摊位数量", code="XM-101")]
    StageRecord.objects.filter(pk=earlier.pk).update(data=data, title="夜市提升改造项目", year=YEAR - 1)
    response = world.client("prep_a1").post("/plan/targets/new/", {"unit": world.unit_a1.pk, "year": YEAR})
    new = StageRecord.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-2]))
    post = edit_post(new, project_name="夜市提升改造二期项目")
    assert world.client("prep_a1").post(f"/plan/r/{new.pk}/edit/", post).status_code == 302
    page = world.client("prep_a1").get(f"/plan/r/{new.pk}/edit/").content.decode()
    similar = page[page.index('id="similar"'):]
    assert "夜市提升改造项目" in similar and "改造摊位数量" in similar and "&quot;name&quot;: &quot;改造摊位数量&quot;" in similar
    # another department's preparer declaring a like-named project sees nothing of this unit's
    other = world.client("prep_b1").post("/plan/targets/new/", {"unit": world.unit_b1.pk, "year": YEAR})
    other_record = StageRecord.objects.get(pk=int(other["Location"].rstrip("/").split("/")[-2]))
    assert world.client("prep_b1").post(f"/plan/r/{other_record.pk}/edit/", edit_post(other_record, project_name="夜市提升改造三期")).status_code == 302
    assert "改造摊位数量" not in world.client("prep_b1").get(f"/plan/r/{other_record.pk}/edit/").content.decode()
