"""How figures read on the pages: 万元 with thousands separators, targets as "≥80%", rates with "%"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from jixiao.core.model import Indicator
from jixiao.core.money import fmt
from jixiao.report.table_layout import actual_text, target_text

register = template.Library()


def money_text(value: Decimal | None) -> str:
    """An amount in 万元: two decimals and thousands separators ("3,142.55"), "—" when there is none."""
    return "—" if value is None else f"{value:,.2f}"


@register.filter
def money(value: Decimal | None) -> str:
    return money_text(value)


@register.filter
def target(indicator: Indicator) -> str:
    return target_text(indicator)


@register.filter
def actual(indicator: Indicator) -> str:
    return actual_text(indicator)


@register.filter
def percent(value: Any) -> str:
    return "—" if value in (None, "", "—") else f"{fmt(Decimal(str(value)))}%"
