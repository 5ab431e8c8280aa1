"""What the pages say: Chinese labels and values in diffs, a log that says who did what with the words
they wrote, the states' Chinese names, a 403 that explains itself without a logged traceback."""

from __future__ import annotations

import logging
import re

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


def test_detail_page_figures_read_as_on_the_forms(world: World) -> None:
    evaluation = world.evaluation()
    Evaluation.objects.filter(pk=evaluation.pk).update(title="2024年度部门整体支出绩效自评")
    page = world.client("prep_a1").get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert "2024 年 2024年" not in page and "<h1>2024年度部门整体支出绩效自评" in page
    assert "年初预算数（万元）" in page and "3,142.55" in page
    assert "≥80%" in page and "&gt;=" not in page
    assert "全国通用规则" in page and "规则集 national" not in page


def test_zero_budget_and_overweight_totals_say_why(world: World) -> None:
    from jixiao.web.evaluations import services

    data = dict(world.seed_data)
    data["budget"] = {"initial": "0", "adjusted": "0", "executed": "0"}
    data["expenditure"] = {}
    data["indicators"] = [dict(ind) for ind in world.seed_data["indicators"]]
    data["indicators"][0]["weight"] = "25"  # weights now 105 in all
    evaluation = services.create_evaluation(world.users["prep_a1"], world.unit_a1, services.load_model(data))
    page = world.client("prep_a1").get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert "—%" not in page
    assert "预算执行率无法计算：全年预算数为0" in page
    assert 'id="grade">不能评定<' in page and "总分不能评定等级" in page
    listed = world.client("prep_a1").get(reverse("evaluations:list")).content.decode()
    row = next(r for r in listed.split("<tr>") if f"/e/{evaluation.pk}/" in r)
    assert "不能评定" in row and "<td>优</td>" not in row and "<td>良</td>" not in row
    history = world.client("prep_a1").get(reverse("evaluations:history", args=[evaluation.pk])).content.decode()
    version = next(r for r in history.split("<tr>") if "第 1 版" in r)
    assert "<td>不能评定</td>" in version


def test_live_panel_keeps_the_saved_scores_while_the_form_has_errors(world: World) -> None:
    from .conftest import form_post

    evaluation = world.evaluation()
    client = world.client("prep_a1")
    preview = client.post(reverse("evaluations:preview", args=[evaluation.pk]),
                          form_post(world.seed_data, 1, **{"ind-2-actual": "abc"})).content.decode()
    assert "应为数字" in preview and 'id="total-score">85<' in preview and "已保存的第 1 版" in preview
    failed = client.post(reverse("evaluations:edit", args=[evaluation.pk]),
                         form_post(world.seed_data, 1, **{"ind-1-weight": "二十"}))
    assert failed.status_code == 400
    page = failed.content.decode()
    assert 'id="total-score">85<' in page and 'id="stale-scores"' in page


def test_findings_on_the_edit_page_link_to_their_input(world: World) -> None:
    evaluation = world.evaluation()
    page = world.client("prep_a1").get(reverse("evaluations:edit", args=[evaluation.pk])).content.decode()
    for anchor in re.findall(r'<a href="#(f-[^"]+)">', page):
        assert f'id="{anchor}"' in page, anchor
    assert re.search(r'<a href="#f-ind-\d-[a-z_]+">指标\d（[^）]+）·', page)
