"""Spot-check sampling is reproducible and stratified; gaps are self minus review (pure, no database)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.web.desk.spotcheck import Frame, FrameRow, Gap, allocate, draw, largest_gaps, money_bands, total_gap


def frame(n: int = 60) -> Frame:
    return Frame(tuple(FrameRow(i, f"部门{i % 3}", "优良中差"[i % 4], Decimal(i * 10)) for i in range(1, n + 1)))


def test_the_same_seed_and_frame_draw_the_same_sample() -> None:
    assert draw(frame(), 12, seed=2024) == draw(frame(), 12, seed=2024)
    assert draw(frame(), 12, seed=2024) != draw(frame(), 12, seed=2025)
    assert len(draw(frame(), 12, seed=1)) == 12


def test_the_recorded_frame_redraws_the_sample() -> None:
    recorded = frame().to_json()
    again = Frame.from_json(recorded)
    assert again.digest() == frame().digest()
    assert draw(again, 10, seed=7) == draw(frame(), 10, seed=7)


def test_every_department_is_drawn_from() -> None:
    chosen = set(draw(frame(), 6, seed=3))
    departments = {f"部门{i % 3}" for i in chosen}
    assert departments == {"部门0", "部门1", "部门2"}


def test_money_bands_are_terciles() -> None:
    assert money_bands([Decimal(v) for v in (1, 2, 3, 4, 5, 6)]) == ["小", "小", "中", "中", "大", "大"]
    assert money_bands([None, Decimal(1)]) == ["小", "大"]


@given(st.dictionaries(st.text("abc", min_size=1, max_size=3), st.integers(1, 50), min_size=1, max_size=8),
       st.integers(0, 400))
def test_allocation_sums_to_the_size_and_stays_within_each_stratum(sizes: dict[str, int], total: int) -> None:
    counts = allocate(sizes, total)
    assert sum(counts.values()) == min(total, sum(sizes.values()))
    assert all(0 <= counts[k] <= sizes[k] for k in sizes)


def test_gaps() -> None:
    gaps = [Gap(1, 0, "a", 1000, 600), Gap(1, 1, "b", 500, 500), Gap(2, 0, "c", 200, 900)]
    assert [g.name for g in largest_gaps(gaps)] == ["c", "a"]
    assert total_gap(gaps) == 400 - 700
