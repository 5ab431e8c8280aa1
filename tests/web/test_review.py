"""Reviewers through the web pages: waiting lists, approve/return with reasons, comments, history and diffs."""

from __future__ import annotations

from django.urls import reverse

from jixiao.web.evaluations import diff
from jixiao.web.evaluations.models import Evaluation

from .conftest import CONFIRM_POST, World, form_post


def _act(world: World, name: str, evaluation: Evaluation, action: str, ok: bool = True, **data: str) -> Evaluation:
    if action in ("submit", "approve"):
        data = {**CONFIRM_POST, **data}
    data = {"version": str(Evaluation.objects.get(pk=evaluation.pk).current_version), **data}
    response = world.client(name).post(reverse("evaluations:action", args=[evaluation.pk, action]), data, follow=True)
    assert response.redirect_chain and response.redirect_chain[0][1] == 302, response.status_code
    errors = [line for line in response.content.decode().splitlines() if 'class="msg error"' in line]
    assert not ok or not errors, errors
    return Evaluation.objects.get(pk=evaluation.pk)


def test_whole_review_through_the_pages(world: World) -> None:
    evaluation = world.evaluation(ready=True)
    evaluation = _act(world, "prep_a1", evaluation, "submit")
    waiting = world.client("head_a1").get(reverse("evaluations:list"), {"tab": "waiting"}).content.decode()
    assert "商务局本级" in waiting and "待我审核（1）" in waiting
    assert "待我审核（0）" in world.client("dept_a").get(reverse("evaluations:list")).content.decode()
    detail = world.client("head_a1").get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert 'id="approve"' in detail and 'id="return"' in detail and 'id="edit-link"' not in detail
    evaluation = _act(world, "head_a1", evaluation, "approve")
    assert (evaluation.state, evaluation.stage) == ("pending", "department")
    evaluation = _act(world, "dept_a", evaluation, "return", reason="完成率与佐证不符", field="indicators[2]")
    assert evaluation.state == "returned"
    detail = world.client("prep_a1").get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert "完成率与佐证不符" in detail and "被退回" in detail and 'id="edit-link"' in detail
    client = world.client("prep_a1")
    # The new actual value makes the document's stated figures stale: the preparer clears them too.
    post = form_post(evaluation.versions.get(number=1).data, 1, **{
        "ind-2-actual": "35", "ind-2-stated.completion_rate": "", "ind-2-stated.score": "", "stated.total_score": "",
        "stated.grade": ""})
    assert client.post(reverse("evaluations:edit", args=[evaluation.pk]), post).status_code == 302
    for name, action in (("prep_a1", "submit"), ("head_a1", "approve"), ("dept_a", "approve"), ("finance", "approve")):
        evaluation = _act(world, name, evaluation, action)
    assert evaluation.state == "approved"
    detail = world.client("prep_a1").get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert "已审核" in detail and 'id="edit-link"' not in detail and 'id="submit"' not in detail


def test_return_without_reason_is_refused(world: World) -> None:
    evaluation = _act(world, "prep_a1", world.evaluation(ready=True), "submit")
    evaluation = _act(world, "head_a1", evaluation, "return", ok=False, reason="")
    assert evaluation.state == "pending"


def test_wrong_action_names_are_404(world: World) -> None:
    evaluation = world.evaluation()
    response = world.client("prep_a1").post(reverse("evaluations:action", args=[evaluation.pk, "publish"]))
    assert response.status_code == 404


def test_comments_on_fields(world: World) -> None:
    evaluation = world.evaluation()
    url = reverse("evaluations:comment", args=[evaluation.pk])
    assert world.client("dept_a").post(url, {"text": "请补充佐证资料", "field": "indicators[1]"}).status_code == 302
    assert world.client("dept_a").post(url, {"text": "  "}).status_code == 302
    comment = evaluation.comments.get()
    assert (comment.field, comment.version_number, comment.author) == ("indicators[1]", 1, world.users["dept_a"])
    page = world.client("prep_a1").get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert "请补充佐证资料" in page


def test_history_lists_versions_and_diffs_two(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    post = form_post(evaluation.versions.get().data, 1, **{"ind-2-actual": "35", "budget.initial": "3200"})
    client.post(reverse("evaluations:edit", args=[evaluation.pk]), post)
    page = world.client("finance").get(reverse("evaluations:history", args=[evaluation.pk]), {"a": "1", "b": "2"})
    text = page.content.decode()
    assert "第 2 版" in text and "处不同" in text and "budget.initial" not in text
    assert "年初预算数" in text and "3142.55" in text and "3200" in text
    assert "指标3" in text and "完成值" in text
    assert "保存" in text and "新建" in text  # the audit log, in Chinese


def test_diff_labels_and_kinds() -> None:
    old = {"budget": {"initial": "1"}, "indicators": [{"name": "甲", "actual": "1"}], "narrative": {"problems": ["a"]}}
    new = {"budget": {"initial": "2"}, "indicators": [{"name": "甲", "actual": "1"}, {"name": "乙"}], "narrative": {}}
    changes = {c.path: c for c in diff.diff(old, new)}
    assert changes["budget.initial"].kind == "修改" and changes["budget.initial"].label == "年初预算数"
    assert changes["indicators[1].name"].kind == "新增" and changes["indicators[1].name"].label.startswith("指标2")
    assert changes["narrative.problems"].kind == "删除"
    assert diff.diff(old, old) == []
