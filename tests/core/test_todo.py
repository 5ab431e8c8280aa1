"""The to-do list's buckets."""

from datetime import date

from jixiao.core.todo import Bucket, StageKind, WorkItem, buckets

TODAY = date(2025, 6, 25)


def work(**fields: object) -> WorkItem:
    base: dict[str, object] = {"stage": StageKind.TARGETS, "waits_to_fill": False, "waits_to_review": False, "returned": False, "done": False, "deadline": None}
    return WorkItem(**{**base, **fields})  # type: ignore[arg-type]


def test_buckets() -> None:
    assert buckets(work(waits_to_fill=True), TODAY, 7) == [Bucket.TO_FILL]
    assert buckets(work(waits_to_review=True, deadline=date(2025, 6, 30)), TODAY, 7) == [Bucket.TO_REVIEW, Bucket.DUE_SOON]
    assert buckets(work(returned=True, waits_to_fill=True, deadline=date(2025, 6, 1)), TODAY, 7) == [Bucket.RETURNED, Bucket.OVERDUE]
    assert buckets(work(deadline=date(2025, 6, 1)), TODAY, 7) == []  # not mine: no deadline to chase
    assert buckets(work(waits_to_fill=True, deadline=date(2025, 8, 1)), TODAY, 7) == [Bucket.TO_FILL]


def test_a_round_waiting_for_targets_says_whose_move_it_is() -> None:
    from jixiao.core.todo import monitoring_blocked_note
    from jixiao.core.workflow import State

    notes = {state: monitoring_blocked_note(2025, state, "主管部门审核") for state in [None, *State]}
    assert notes[State.APPROVED] == ""  # the report exists: nothing to explain
    assert "尚未申报2025年绩效目标" in notes[None] and "请先申报" in notes[None]
    assert "正在主管部门审核" in notes[State.PENDING] and "联系审核人" in notes[State.PENDING]
    assert "已被退回" in notes[State.RETURNED] and "重新送审" in notes[State.RETURNED]
    assert "尚未送审" in notes[State.DRAFT] and notes[State.WITHDRAWN] == notes[State.DRAFT]
    waiting = [note for state, note in notes.items() if state is not State.APPROVED]
    assert all("暂不能填报监控表" in n and "自动生成" in n for n in waiting) and len(set(waiting)) == 4
