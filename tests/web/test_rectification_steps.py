"""A rectification item keeps every step as it was taken: the notice, each plan and feedback, the reason
for a return and the closing, with who and what state followed — a second feedback does not erase the
first, and a step once kept cannot be changed."""

from __future__ import annotations

import datetime as dt

import pytest

from jixiao.web.planning.models import Rectification, RectificationStep
from web.conftest import World


def test_every_step_is_kept_in_order_and_shown(world: World) -> None:
    reviewer, preparer = world.client("dept_a"), world.client("prep_a1")
    assert reviewer.post("/plan/rect/new/", {"unit": world.unit_a1.pk, "year": 2024, "source": "self_evaluation",
                                             "problem": "未设置满意度指标", "deadline": "2099-09-30"}).status_code == 302
    item = Rectification.objects.get()
    steps = ((preparer, "plan", "下年增设满意度指标"), (preparer, "feedback", "已增设"), (reviewer, "return", "未附佐证"),
             (preparer, "feedback", "附问卷"), (reviewer, "close", "同意销号"))
    for client, action, text in steps:
        assert client.post(f"/plan/rect/{item.pk}/", {"action": action, "text": text}).status_code == 302, action
    kept = [(s.action, s.text, s.state, s.actor.username if s.actor else None) for s in item.steps.all()]
    assert kept == [
        ("notice", "未设置满意度指标", "noticed", "dept_a"),
        ("plan", "下年增设满意度指标", "planned", "prep_a1"),
        ("feedback", "已增设", "feedback", "prep_a1"),
        ("return", "未附佐证", "planned", "dept_a"),
        ("feedback", "附问卷", "feedback", "prep_a1"),
        ("close", "同意销号", "closed", "dept_a"),
    ]
    item.refresh_from_db()
    assert (item.feedback, item.review_note) == ("附问卷", "同意销号")  # the item holds the latest of each
    page = preparer.get(f"/plan/rect/{item.pk}/").content.decode()
    history = page[page.index('id="rect-steps"'):]
    assert all(text in history for _, _, text in steps) and history.index("已增设") < history.index("未附佐证") < history.index("附问卷")
    assert "退回重改" in history and "复核销号" in history and "下发整改通知" in history


def test_a_refused_step_leaves_no_trace_and_a_kept_one_cannot_change(world: World) -> None:
    from jixiao.web.planning import services

    item = services.create_rectification(world.users["dept_a"], world.unit_a1, 2024, "audit", "执行率不符", dt.date(2099, 6, 30))
    assert world.client("prep_a1").post(f"/plan/rect/{item.pk}/", {"action": "close", "text": "自己销号"}).status_code == 403
    early = world.client("prep_a1").post(f"/plan/rect/{item.pk}/", {"action": "feedback", "text": "未报方案先反馈"})
    assert early.status_code == 400 and "当前为“已下发整改通知”，不能反馈整改结果" in early.content.decode()
    odd = world.client("prep_a1").post(f"/plan/rect/{item.pk}/", {"action": "delete", "text": "x"})
    assert odd.status_code == 400 and "未知的办理操作" in odd.content.decode() and "valid" not in odd.content.decode()
    assert list(item.steps.values_list("action", flat=True)) == ["notice"]
    step = RectificationStep.objects.get()
    step.text = "改写"
    with pytest.raises(PermissionError, match="不可修改"):
        step.save()
