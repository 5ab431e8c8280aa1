"""A return reason tied to a field shows on the edit page at that field, highlighted; open reasons are
listed at the top with links, with where a resubmission goes; after resubmitting they are closed."""

from __future__ import annotations

from django.urls import reverse

from jixiao.core.workflow import Action
from jixiao.web.evaluations import services

from .conftest import CONFIRM, World


def test_return_reasons_at_their_fields_and_at_the_top(world: World) -> None:
    users = world.users
    evaluation = services.transition(users["prep_a1"], world.evaluation(ready=True), Action.SUBMIT, **CONFIRM)
    evaluation = services.transition(users["head_a1"], evaluation, Action.RETURN, reason="指标3完成值请附统计局数据",
                                     field="indicators[2]")
    services.add_comment(users["head_a1"], evaluation, "只是一条意见", "budget.initial")  # not a return reason
    evaluation = services.transition(users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    evaluation = services.transition(users["head_a1"], evaluation, Action.RETURN, reason="年初预算数与批复不符",
                                     field="budget.initial")
    page = world.client("prep_a1").get(reverse("evaluations:edit", args=[evaluation.pk])).content.decode()
    top = page.split('id="return-reasons"')[1].split("</div>")[0]
    # Only the latest return is open; the first was answered by the resubmission.
    assert "退回意见（1 条待处理）" in top and "年初预算数与批复不符" in top and "指标3完成值" not in top
    assert 'href="#f-budget.initial"' in top and "将交单位审核（head_a1）" in top
    assert 'class="returned"' in page and "退回意见：年初预算数与批复不符" in page
    # A reason on an indicator row marks the row's first input and links to it.
    evaluation = services.transition(users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    evaluation = services.transition(users["head_a1"], evaluation, Action.RETURN, reason="请补佐证", field="indicators[2]")
    page = world.client("prep_a1").get(reverse("evaluations:edit", args=[evaluation.pk])).content.decode()
    assert 'href="#f-ind-2-level1"' in page and 'id="f-ind-2-level1"' in page and "退回意见：请补佐证" in page
    assert '<select id="f-ind-2-level1" aria-label="一级指标"' in page  # linked to, and still named (axe select-name)
    # Resubmitted: nothing is open any more.
    evaluation = services.transition(users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    assert services.open_return_reasons(evaluation) == []
