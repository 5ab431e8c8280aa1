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
