"""Monitoring rounds and rectification notices issued as tasks to a scope with a deadline, like the
target declaration's: on each person's to-do list (待填报/待审核/被退回/即将到期/已逾期) and reminded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.utils import timezone

from jixiao.web.planning.models import Notification, RecordKind, Rectification, StageRecord, Task
from jixiao.web.planning.reminders import remind
from web.conftest import World
from web.test_planning import approve_all, declare

YEAR = 2025


def todo(world: World, name: str, bucket: str = "") -> str:
    """The to-do table of the person's screen (not the unread messages below it, which link the same pages)."""
    page = world.client(name).get("/plan/todo/", {"b": bucket} if bucket else {}).content.decode()
    return page[page.index('id="todo"'):page.index('id="unread"')]


def issue_monitoring(world: World, deadline: dt.date, issuer: str = "finance", scope: Any = None) -> Any:
    return world.client(issuer).post("/plan/tasks/new/", {
        "kind": "monitoring", "scope": (scope or world.finance).pk, "year": YEAR, "title": "2025年年中监控",
        "cut_off": "2025-06-30", "deadline": deadline.isoformat()})


def test_a_monitoring_round_issued_as_a_task_is_on_the_todo_lists_and_reminded(world: World, settings: Any) -> None:
    settings.JIXIAO_MAIL = True
    world.users["prep_a1"].email = "prep@example.org"
    world.users["prep_a1"].save()
    targets = declare(world)
    approve_all(world, targets)
    soon = timezone.localdate() + dt.timedelta(days=3)
    assert issue_monitoring(world, soon).status_code == 302
    report = StageRecord.objects.get(kind=RecordKind.MONITORING, targets=targets)
    assert report.deadline == soon and Task.objects.filter(kind="monitoring", title="2025年年中监控").exists()
    page = todo(world, "prep_a1", "due_soon")
    assert f"/plan/r/{report.pk}/" in page and "绩效运行监控" in page
    assert f"/plan/r/{report.pk}/" in todo(world, "prep_a1", "to_fill")
    assert f"/plan/r/{report.pk}/" not in todo(world, "prep_b1")
    mail.outbox.clear()
    assert remind(timezone.localdate(), 7) >= 1
    note = Notification.objects.get(user=world.users["prep_a1"], text__startswith="到期提醒：")
    assert "即将到期" in note.text and any("到期提醒" in m.subject for m in mail.outbox)
    # submitted: waits for the unit's head; returned: back on the preparer's list as 被退回
    prep = world.client("prep_a1")
    assert prep.post(f"/plan/r/{report.pk}/action/submit/").status_code == 302
    assert f"/plan/r/{report.pk}/" in todo(world, "head_a1", "to_review")
    assert world.client("head_a1").post(f"/plan/r/{report.pk}/action/return/", {"reason": "执行数不对"}).status_code == 302
    assert f"/plan/r/{report.pk}/" in todo(world, "prep_a1", "returned")


def test_targets_approved_after_the_round_still_get_its_report(world: World) -> None:
    assert issue_monitoring(world, dt.date(YEAR, 7, 15), issuer="dept_a", scope=world.dept_a).status_code == 302
    targets = declare(world)
    assert not StageRecord.objects.filter(kind=RecordKind.MONITORING).exists()  # nothing approved when issued
    approve_all(world, targets)
    report = StageRecord.objects.get(kind=RecordKind.MONITORING, targets=targets)
    assert report.round is not None and report.round.name == "2025年年中监控" and report.deadline == dt.date(YEAR, 7, 15)
    assert f"/plan/r/{report.pk}/" in todo(world, "prep_a1", "overdue")  # 15 July 2025 is past


def test_a_monitoring_task_needs_its_cut_off_in_the_year(world: World) -> None:
    missing = world.client("finance").post("/plan/tasks/new/", {"kind": "monitoring", "scope": world.finance.pk,
                                                                 "year": YEAR, "deadline": "2025-07-15"})
    assert missing.status_code == 400 and "监控截止日期" in missing.content.decode()
    wrong = world.client("finance").post("/plan/tasks/new/", {"kind": "monitoring", "scope": world.finance.pk, "year": YEAR,
                                                               "cut_off": "2024-06-30", "deadline": "2025-07-15"})
    assert wrong.status_code == 400 and "监控截止日期应在监控年度内" in wrong.content.decode()


def test_a_rectification_task_gives_every_unit_in_scope_an_item_on_its_todo(world: World) -> None:
    late = timezone.localdate() - dt.timedelta(days=1)
    empty = world.client("dept_a").post("/plan/tasks/new/", {"kind": "rectification", "scope": world.dept_a.pk, "year": YEAR,
                                                              "deadline": late.isoformat(), "source": "spot_check"})
    assert empty.status_code == 400 and "请填写存在的问题" in empty.content.decode()
    issued = world.client("dept_a").post("/plan/tasks/new/", {
        "kind": "rectification", "scope": world.dept_a.pk, "year": YEAR, "title": "抽查问题整改", "deadline": late.isoformat(),
        "source": "spot_check", "problem": "满意度指标设置不全", "requirement": "下年度补设满意度指标"})
    assert issued.status_code == 302
    items = Rectification.objects.filter(problem="满意度指标设置不全")
    assert {i.unit_id for i in items} == {world.unit_a1.pk, world.unit_a2.pk}  # the department's units, no other
    assert all(i.deadline == late and i.source == "spot_check" and i.requirement == "下年度补设满意度指标" for i in items)
    assert Task.objects.filter(kind="rectification", title="抽查问题整改", scope=world.dept_a).exists()
    mine = items.get(unit=world.unit_a1)
    assert f"/plan/rect/{mine.pk}/" in todo(world, "prep_a1", "to_fill")
    assert f"/plan/rect/{mine.pk}/" in todo(world, "prep_a1", "overdue")
    assert "满意度指标设置不全" not in todo(world, "prep_b1")
    assert remind(timezone.localdate(), 7) >= 2  # both units' preparers
    assert "已逾期" in Notification.objects.get(user=world.users["prep_a2"], text__startswith="到期提醒：").text
    # feedback waits for the department; returned, it is the unit's again, as 被退回
    prep = world.client("prep_a1")
    for action, text in (("plan", "补设满意度指标"), ("feedback", "已补设")):
        assert prep.post(f"/plan/rect/{mine.pk}/", {"action": action, "text": text}).status_code == 302
    assert f"/plan/rect/{mine.pk}/" in todo(world, "dept_a", "to_review")
    assert world.client("dept_a").post(f"/plan/rect/{mine.pk}/", {"action": "return", "text": "未附问卷"}).status_code == 302
    assert f"/plan/rect/{mine.pk}/" in todo(world, "prep_a1", "returned")
    assert f"/plan/rect/{mine.pk}/" not in todo(world, "dept_a", "to_review")


def test_only_reviewers_in_scope_issue_these_tasks(world: World) -> None:
    assert world.client("prep_a1").post("/plan/tasks/new/", {"kind": "rectification"}).status_code == 403
    outside = world.client("dept_b").post("/plan/tasks/new/", {"kind": "rectification", "scope": world.dept_a.pk, "year": YEAR,
                                                                "deadline": "2025-09-30", "problem": "x", "source": "audit"})
    assert outside.status_code == 404 and not Rectification.objects.exists()
