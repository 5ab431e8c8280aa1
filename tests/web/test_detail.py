"""The evaluation page: the whole evaluation, read-only, in the report's order, every field linkable,
findings and comments beside the field they concern; every figure as entered, zeros included."""

from __future__ import annotations

import re

from django.urls import reverse

from jixiao.web.evaluations.models import Comment, Evaluation

from .conftest import World


def _page(world: World, evaluation: Evaluation | None = None, user: str = "prep_a1") -> tuple[Evaluation, str]:
    evaluation = evaluation or world.evaluation()
    return evaluation, world.client(user).get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()


def _field(page: str, anchor: str) -> str:
    match = re.search(rf'<div class="field[^"]*" id="{re.escape(anchor)}">(.*?)</div>', page, re.S)
    assert match, anchor
    return match.group(1)


def test_zero_actual_value_is_shown_not_hidden(world: World) -> None:
    _, page = _page(world)
    assert re.search(r"<dd>0%", _field(page, "v-indicators-2-actual"))  # the seed's actual 0% (a zero, not a blank)


def test_the_whole_evaluation_in_the_reports_order(world: World) -> None:
    _, page = _page(world)
    order = ["一、基本概况", "主管部门", "年度重点工作", "预算调整率（计算）", "按资金来源",
             "二、部门单位整体支出管理及使用情况", "人员经费", "管理制度健全性", "三、部门单位整体支出绩效分析",
             "（一）指标一：", "偏差原因", "佐证资料", "四、评价结论", "五、存在的主要问题及原因分析", "原因分析",
             "六、改进措施和建议", "建议"]
    body = page[page.index("</nav>"):]  # after the table of contents
    positions, at = [], 0
    for word in order:  # each after the one before (建议 is a word of 职能 too)
        at = body.index(word, at)
        positions.append(at)
    assert len(positions) == len(order)
    assert "同比下降8%" in _field(page, "v-narrative-key_work")  # the narrative, not only the figures
    assert "2024年商务局工作总结" in _field(page, "v-indicators-2-evidence")
    assert "<h3" not in page.split("<h2", 1)[0]  # the outline goes h1 → h2 → h3
    assert "其中：</p>" not in page  # a sentence left hanging where the report lists projects (the table does here)


def test_findings_and_comments_sit_beside_their_field(world: World) -> None:
    evaluation, _ = _page(world)
    Comment.objects.create(evaluation=evaluation, version_number=evaluation.current_version,
                           field="narrative.key_work", text="重点工作中的零售额数据请核实", author=world.users["finance"])
    _, page = _page(world, evaluation, "finance")
    assert "A004" in _field(page, "v-indicators-2-actual")  # the narrative's −8% against the indicator's 0%
    assert "A007" in _field(page, "v-expenditure-project_use")
    assert "零售额数据请核实" in _field(page, "v-narrative-key_work")
    side = page.split('id="results"', 1)[1]
    assert 'href="#v-indicators-2-actual"' in side  # the side panel's finding links to the field
