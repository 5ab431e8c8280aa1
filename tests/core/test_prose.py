"""The narrative's own rates (A005): "完成任务T的R%" against the amount done written before it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.prose import narrative_rates


@pytest.mark.parametrize("text", [
    "全区累计实现区外到位资金244.62亿元,完成区上任务240亿元的101.9%。",
    # The sentence before ends in a half-width full stop: its figure is not this sentence's.
    "社会消费品零售总额完成371.21亿元.全区累计实现区外到位资金244.62亿元,完成区上任务240亿元的101.9%.",
    # The amount done is the one nearest before the task, not the plan at the sentence's start.
    "计划投资260亿元,实际完成244.62亿元,完成区上任务240亿元的101.9%。",
])
def test_a_task_rate_that_agrees_with_the_amount_done_is_no_finding(text: str) -> None:
    assert narrative_rates(text) == []


def test_a_task_rate_that_disagrees_names_both_figures() -> None:
    [hit] = narrative_rates("社会消费品零售总额完成371.21亿元.到位资金200亿元,完成区上任务240亿元的101.9%.")
    assert hit.code == "A005" and "200亿元 ÷ 240亿元" in hit.message and hit.expected == Decimal("83.33")
