"""B006/B007 compare a rate written to fewer places with the exact quotient too (no double rounding)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.checks.budget import _rate_agrees


def test_a_one_place_rate_is_the_exact_quotients_rounding_not_the_scorecards() -> None:
    exact = Decimal("2.33") / Decimal("15.28") * 100  # 15.2487…%: 15.25 on the scorecard
    assert _rate_agrees(Decimal("15.2"), Decimal("15.25"), exact)
    assert _rate_agrees(Decimal("15.25"), Decimal("15.25"), exact)
    assert not _rate_agrees(Decimal("15.4"), Decimal("15.25"), exact)
