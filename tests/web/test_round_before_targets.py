"""A unit inside a monitoring round's scope owes the round's report even before its targets are approved
(the report is made from approved targets, so it cannot exist yet): the round is on its to-do list as
待填报 with the round's deadline — late or soon like any other — and a note saying why it cannot be
filled yet and what to do; reminders count it; the bureau's round page lists who is still waiting."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jixiao.web.planning.models import Notification, RecordKind, StageRecord
from jixiao.web.planning.reminders import remind
from web.conftest import World
from web.test_planning import YEAR, approve_all, declare
from web.test_stage_tasks import issue_monitoring, todo

ROUND = "2025年年中监控"


def rows_of(page: str, text: str) -> list[str]:
    return [row for row in page.split("<tr>") if text in row]


def test_the_round_is_on_the_todo_before_the_targets_are_approved(world: World) -> None:
    targets = declare(world)  # unit a1: a draft; unit a2: nothing declared; unit b1: another department
    assert issue_monitoring(world, dt.date(YEAR, 7, 15), issuer="dept_a", scope=world.dept_a).status_code == 302
    assert not StageRecord.objects.filter(kind=RecordKind.MONITORING).exists()
    mine = rows_of(todo(world, "prep_a1", "to_fill"), f"{ROUND}：")
    assert len(mine) == 1 and f"/plan/r/{targets.pk}/" in mine[0] and "目标尚未审核通过" in mine[0]
    assert "尚未送审，暂不能填报监控表" in mine[0] and "请完善后送审" in mine[0] and "2025-07-15" in mine[0]
    assert rows_of(todo(world, "prep_a1", "overdue"), f"{ROUND}：")  # 15 July 2025 has passed
    other = rows_of(todo(world, "prep_a2", "to_fill"), ROUND)
    assert len(other) == 1 and "招商服务中心，尚未申报绩效目标" in other[0] and "/plan/targets/new/" in other[0]
    assert not rows_of(todo(world, "prep_b1"), ROUND)  # outside the round's scope
    # the declaration's own row tells its reviewers and preparer that the round waits for it
    declaration_row = rows_of(todo(world, "prep_a1"), f"/plan/r/{targets.pk}/\">{YEAR} ")
    assert declaration_row and f"“{ROUND}”（期限 2025-07-15）待此目标审核通过后才能填报" in declaration_row[0]
    # reminders count it (overdue), once a day
    assert remind(timezone.localdate(), 7) >= 2
    for name in ("prep_a1", "prep_a2"):
        note = Notification.objects.get(user=world.users[name], text__startswith="到期提醒：")
        assert ROUND in note.text and "已逾期" in note.text, name
    # submitted: whose move it is changes
    assert world.client("prep_a1").post(f"/plan/r/{targets.pk}/action/submit/").status_code == 302
    assert "正在单位审核" in rows_of(todo(world, "prep_a1"), f"{ROUND}：")[0]
    reviewing = rows_of(todo(world, "head_a1", "to_review"), f"/plan/r/{targets.pk}/")
    assert reviewing and "待此目标审核通过后才能填报" in reviewing[0]
    assert world.client("head_a1").post(f"/plan/r/{targets.pk}/action/return/", {"reason": "指标不全"}).status_code == 302
    assert "已被退回" in rows_of(todo(world, "prep_a1"), f"{ROUND}：")[0]
    # approved: the round's report exists now and replaces the waiting entry
    targets.refresh_from_db()
    approve_all(world, targets)
    report = StageRecord.objects.get(kind=RecordKind.MONITORING, targets=targets)
    page = todo(world, "prep_a1")
    assert not rows_of(page, "目标尚未审核通过") and f"/plan/r/{report.pk}/" in page


def test_the_bureau_sees_who_is_still_waiting_for_targets(world: World) -> None:
    done = declare(world)
    approve_all(world, done)
    b1 = world.client("prep_b1").post("/plan/targets/new/", {"unit": world.unit_b1.pk, "year": YEAR})
    assert b1.status_code == 302
    soon = timezone.localdate() + dt.timedelta(days=3)
    assert issue_monitoring(world, soon).status_code == 302
    report = StageRecord.objects.get(kind=RecordKind.MONITORING)
    page = world.client("finance").get(f"/plan/rounds/{report.round_id}/").content.decode()
    lights = page[page.index('id="round-lights"'):page.index('id="round-waiting"')]
    waiting = page[page.index('id="round-waiting"'):]
    assert world.unit_a1.name in lights and world.unit_a1.name not in waiting
    assert "招商服务中心" in waiting and "尚未申报" in waiting and "第一中学" in waiting and "草稿" in waiting
    assert "共 2 项" in waiting
    # a department reviewer sees only its own units waiting; the other department's stay hidden
    dept = world.client("dept_a").get(f"/plan/rounds/{report.round_id}/").content.decode()
    assert "招商服务中心" in dept and "第一中学" not in dept
    # due soon for the unit that has only a draft
    assert rows_of(todo(world, "prep_b1", "due_soon"), ROUND)
