"""The demo data `make run` loads: every role, every workflow state, and loading twice changes nothing."""

from __future__ import annotations

from django.contrib.auth.models import User

from jixiao.web.demo import load_demo
from jixiao.web.evaluations.models import Evaluation, EvaluationVersion
from jixiao.web.permissions import visible_evaluations, waiting_for


def test_demo_has_every_role_and_state_and_is_idempotent(db: None) -> None:
    accounts = load_demo()
    roles = {role for _, role, _ in accounts}
    assert roles == {"管理员", "填报人", "单位审核人", "主管部门审核人", "财政审核人"}
    states = {(e.state, e.stage) for e in Evaluation.objects.all()}
    assert states >= {("draft", ""), ("pending", "unit"), ("pending", "department"), ("pending", "finance"),
                      ("returned", ""), ("approved", "")}
    seed = Evaluation.objects.get(unit__name__contains="商务局", state="draft")
    assert (seed.total_hundredths, seed.grade) == (8500, "良")
    counts = (User.objects.count(), Evaluation.objects.count(), EvaluationVersion.objects.count())
    assert load_demo() == accounts
    assert (User.objects.count(), Evaluation.objects.count(), EvaluationVersion.objects.count()) == counts
    assert visible_evaluations(User.objects.get(username="caizheng")).count() == counts[1]
    assert waiting_for(User.objects.get(username="shangwu-bumen")).count() == 1
