"""The demo data `make run` loads: every role, every workflow state, and loading twice changes nothing."""

from __future__ import annotations

import re
from decimal import Decimal

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


def test_each_demo_unit_carries_data_of_its_own_kind(db: None) -> None:
    load_demo()
    seed_indicators = {"开办夜市数量", "营商环境评价指标良好率", "社会消费品零售总额增长率", "引进企业数量", "完成区外到位资金"}
    budgets = set()
    for evaluation in Evaluation.objects.select_related("unit"):
        data = evaluation.versions.get(number=1).data
        names = {ind["name"] for ind in data["indicators"]}
        unit = evaluation.unit.name
        assert data["unit"]["name"] == unit
        budgets.add(data["budget"]["adjusted"])
        if "商务局" in unit:
            continue  # the seed department's own report
        assert not names & seed_indicators, unit
        if any(word in unit for word in ("中学", "小学", "幼儿园")):
            assert any(word in "".join(names) for word in ("学生", "幼儿")), (unit, names)
            assert "教育局" in data["unit"]["supervising_department"]
        levels = {ind["level1"] for ind in data["indicators"]}
        assert levels == {"产出", "效益", "满意度"}
        assert sum(Decimal(ind["weight"]) for ind in data["indicators"]) == 90
        # The report's sentences read as written Chinese: no "改善办学条件。；完成…" where texts are joined.
        assert not re.search(r"[。；，][。；，]", data["expenditure"]["project_use"]), unit
    assert len(budgets) == Evaluation.objects.count()  # no two units share one budget
