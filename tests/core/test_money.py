from decimal import Decimal

import pytest

from jixiao.core.money import agrees, decimals_of, fmt, percent, quantize, ratio, to_decimal


def test_to_decimal_refuses_floats_and_bools() -> None:
    with pytest.raises(TypeError):
        to_decimal(0.1)
    with pytest.raises(TypeError):
        to_decimal(True)
    assert to_decimal("3142.55") == Decimal("3142.55")
    assert to_decimal(7) == Decimal(7)
    with pytest.raises(ValueError):
        to_decimal("三千")


def test_quantize_rounds_half_up_not_to_even() -> None:
    assert quantize(Decimal("0.125")) == Decimal("0.13")
    assert quantize(Decimal("2.675")) == Decimal("2.68")
    assert quantize(Decimal("2.675"), mode="truncate") == Decimal("2.67")


def test_percent_and_ratio() -> None:
    assert percent(Decimal(72), Decimal(70)) == Decimal("102.86")
    assert percent(Decimal("244.62"), Decimal(241)) == Decimal("101.50")
    assert percent(Decimal(1), Decimal(0)) is None
    assert ratio(Decimal(1), Decimal(0)) is None


def test_agrees_compares_at_the_stated_precision() -> None:
    assert agrees(Decimal("101.5"), Decimal("101.50"))
    assert agrees(Decimal("85"), Decimal("85.00"))
    assert agrees(Decimal("88"), Decimal("88.3"))
    assert not agrees(Decimal("100"), Decimal("0"))
    assert not agrees(Decimal("102.86"), Decimal("101.50"))
    assert decimals_of(Decimal("101.5")) == 1


def test_fmt_drops_insignificant_zeros() -> None:
    assert fmt(Decimal("100.00")) == "100"
    assert fmt(Decimal("101.50")) == "101.5"
    assert fmt(Decimal("3142.55")) == "3142.55"
    assert fmt(None) == "—"


def test_quantize_keeps_places_on_huge_values() -> None:
    # 1e30 万元, or a ratio over a 1e-30 denominator, exceeded the default 28 digits: InvalidOperation.
    assert quantize(Decimal("1e30"), 2) == Decimal("1e30")
    assert quantize(Decimal("1e30"), 2).as_tuple().exponent == -2
    assert quantize(Decimal("3142.55") / Decimal("1e-30") * 100, 4) == Decimal("3.14255E+35")
    assert quantize(Decimal("-1e40"), 2, "truncate") == Decimal("-1e40")
