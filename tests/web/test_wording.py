"""What the pages say: Chinese labels and values in diffs, a log that says who did what with the words
they wrote, the states' Chinese names, a 403 that explains itself without a logged traceback."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from jixiao.core.workflow import STATE_LABELS, State
from jixiao.web.evaluations import diff
from jixiao.web.evaluations.models import Evaluation

from .conftest import World


def test_diff_rows_are_chinese_and_skip_numbers_written_two_ways() -> None:
    old = {"budget": {"initial": "860.00"}, "indicators": [{"name": "甲", "kind": "quantitative", "comparator": ">="}],
           "stated": {"grade": "良"}}
    new = {"budget": {"initial": "860"}, "indicators": [{"name": "甲", "kind": "qualitative", "comparator": "<="}],
           "stated": {"grade": "优"}}
    changes = {c.label: (c.old, c.new) for c in diff.diff(old, new)}
    assert changes == {
        "指标1（甲）·定量/定性": ("定量", "定性"),
        "指标1（甲）·比较符": ("≥", "≤"),
        "所述评价等级": ("良", "优"),
    }


def test_log_names_people_and_keeps_the_comment_text(world: World) -> None:
    evaluation = world.evaluation()
    User.objects.filter(pk=world.users["dept_a"].pk).update(first_name="李审核")
    world.client("dept_a").post(reverse("evaluations:comment", args=[evaluation.pk]),
                                {"text": "请补充统计局数据", "field": "indicators[2]"})
    page = world.client("prep_a1").get(reverse("evaluations:history", args=[evaluation.pk])).content.decode()
    log = page[page.index("操作记录"):]
    assert "李审核：发表意见［指标3］：请补充统计局数据" in log and "请补充统计局数据" in log
    assert "dept_a" not in log


def test_withdrawn_reads_as_a_state() -> None:
    assert STATE_LABELS[State.WITHDRAWN] == "已撤回"


def test_forbidden_page_shows_its_reason_and_logs_no_traceback(world: World, caplog: pytest.LogCaptureFixture) -> None:
    from jixiao.web.logs import RefusalWithoutTraceback

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = world.client("prep_a1").get(reverse("evaluations:trash"))
    assert response.status_code == 403
    assert "只有管理员可以查看已删除的自评。" in response.content.decode()
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert "Forbidden" in record.getMessage() and record.exc_info is None  # the settings' handler took it off
    attached = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden", (), (PermissionError, PermissionError(), None))
    attached.status_code = 403
    assert RefusalWithoutTraceback().filter(attached) and attached.exc_info is None


def test_list_search_finds_unit_names(world: World) -> None:
    evaluation = world.evaluation(unit=world.unit_a2, preparer="prep_a2")
    Evaluation.objects.filter(pk=evaluation.pk).update(title="2024年部门整体支出绩效自评")
    page = world.client("finance").get(reverse("evaluations:list"), {"q": "招商服务"}).content.decode()
    assert "2024年部门整体支出绩效自评" in page


def test_new_evaluation_year_defaults_to_the_year_under_evaluation(world: World) -> None:
    from jixiao.web.evaluations.services import current_evaluation_year

    page = world.client("prep_a1").get(reverse("evaluations:new")).content.decode()
    assert f'type="number" id="new-year" name="year" min="2000" max="2100" step="1" value="{current_evaluation_year()}"' in page
