"""Rectification: the state table, deadlines, what stays open."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.rectification import (
    ItemAction,
    ItemState,
    RectificationError,
    RectificationItem,
    allowed_actions,
    is_due_soon,
    is_overdue,
    next_item_state,
    open_items,
)


def test_notice_plan_feedback_review_closed() -> None:
    state = ItemState.NOTICED
    for action in (ItemAction.PLAN, ItemAction.FEEDBACK, ItemAction.RETURN, ItemAction.FEEDBACK, ItemAction.CLOSE):
        state = next_item_state(state, action)
    assert state is ItemState.CLOSED
    assert allowed_actions(ItemState.CLOSED) == []


def test_disallowed_actions_say_why_in_chinese() -> None:
    with pytest.raises(RectificationError, match=r"已下发整改通知.*不能复核销号"):
        next_item_state(ItemState.NOTICED, ItemAction.CLOSE)


@given(st.lists(st.sampled_from(list(ItemAction)), max_size=12))
def test_only_a_review_closes_and_nothing_leaves_closed(actions: list[ItemAction]) -> None:
    state = ItemState.NOTICED
    for action in actions:
        if action not in allowed_actions(state):
            with pytest.raises(RectificationError):
                next_item_state(state, action)
            continue
        new = next_item_state(state, action)
        assert new is not ItemState.CLOSED or (state, action) == (ItemState.FEEDBACK, ItemAction.CLOSE)
        state = new


def item(code: str, unit: str = "某某中心", state: ItemState = ItemState.NOTICED, deadline: date = date(2025, 9, 30)) -> RectificationItem:
    return RectificationItem(code=code, year=2024, unit=unit, source="self_evaluation", problem="满意度指标缺失", deadline=deadline, state=state)  # type: ignore[arg-type]


def test_open_items_of_a_unit_most_urgent_first() -> None:
    items = [item("B", deadline=date(2025, 10, 1)), item("A"), item("C", state=ItemState.CLOSED), item("D", unit="别的单位")]
    assert [i.code for i in open_items(items, "某某中心")] == ["A", "B"]


def test_deadlines() -> None:
    deadline = date(2025, 9, 30)
    assert is_overdue(deadline, date(2025, 10, 1), done=False)
    assert not is_overdue(deadline, date(2025, 10, 1), done=True)
    assert is_due_soon(deadline, date(2025, 9, 23), done=False, days=7)
    assert not is_due_soon(deadline, date(2025, 9, 22), done=False, days=7)
