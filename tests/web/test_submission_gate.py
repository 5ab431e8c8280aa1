"""The rule set's submission gate: errors block 送审, warnings need a tick and a reason, a reviewer
approving with open findings sees them and confirms; what was confirmed is in the audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.core.workflow import Action
from jixiao.io.errors import InputError
from jixiao.io.rules_file import parse_rules
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import AuditEntry, Evaluation

from .conftest import CONFIRM, World


def test_errors_block_submission_in_services_and_pages(world: World) -> None:
    evaluation = world.evaluation()  # the seed: B006, its stated 100% 调整率, is an error
    with pytest.raises(services.NeedsConfirmation, match=r"必须先修改才能送审.*B006"):
        services.transition(world.users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    client = world.client("prep_a1")
    page = client.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert 'id="submit-blocked"' in page and "B006" in page and 'id="submit" disabled' in page
    response = client.post(reverse("evaluations:action", args=[evaluation.pk, "submit"]), {"confirm": "1", "reason": "x",
                                                                                             "version": "1"}, follow=True)
    assert "必须先修改才能送审" in response.content.decode()
    assert Evaluation.objects.get(pk=evaluation.pk).state == "draft"


def test_warnings_need_a_tick_and_a_reason_which_are_logged(world: World) -> None:
    evaluation = world.evaluation(ready=True)
    user = world.users["prep_a1"]
    with pytest.raises(services.NeedsConfirmation, match="勾选"):
        services.transition(user, evaluation, Action.SUBMIT)
    with pytest.raises(services.NeedsConfirmation, match="理由"):
        services.transition(user, evaluation, Action.SUBMIT, confirmed=True, reason=" ")
    page = world.client("prep_a1").get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert 'id="confirm-warnings"' in page and "I009" in page and "送审后交单位审核（head_a1）" in page
    assert 'data-confirm="确定送审' in page  # the browser asks once more, as for delete (site.js)
    evaluation = services.transition(user, evaluation, Action.SUBMIT, confirmed=True, reason="满意度调查明年开展")
    entry = AuditEntry.objects.get(evaluation=evaluation, action="submit")
    assert entry.detail["reason"] == "满意度调查明年开展" and "I009" in entry.detail["confirmed_findings"]
    assert evaluation.comments.get().text == "【送审】满意度调查明年开展"


def test_a_reviewer_sees_open_findings_and_confirms_approval(world: World) -> None:
    evaluation = services.transition(world.users["prep_a1"], world.evaluation(ready=True), Action.SUBMIT, **CONFIRM)
    client = world.client("head_a1")
    page = client.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert 'id="approve-findings"' in page and 'id="confirm-findings"' in page and "I009" in page
    url = reverse("evaluations:action", args=[evaluation.pk, "approve"])
    response = client.post(url, {"version": "1"}, follow=True)
    assert "请查看并勾选确认后再审核通过" in response.content.decode()
    assert Evaluation.objects.get(pk=evaluation.pk).stage == "unit"
    client.post(url, {"confirm": "1", "version": "1"})
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert evaluation.stage == "department"
    assert "I009" in AuditEntry.objects.get(evaluation=evaluation, action="approve").detail["confirmed_findings"]


def test_the_rule_set_decides_what_blocks() -> None:
    national = services.rules_for("national")
    assert national.submission.block == ["error"] and national.submission.confirm == ["warning"]
    base = 'name = "x"\ntitle = "x"\n[[grades]]\ngrade = "差"\nmin = 0\n'
    strict = parse_rules(base + '[submission]\nblock = ["error", "warning"]\nconfirm = []\n', "strict.toml")
    assert strict.submission.block == ["error", "warning"]
    with pytest.raises(InputError, match="同一级别"):
        parse_rules(base + '[submission]\nblock = ["error"]\nconfirm = ["error"]\n', "bad.toml")
