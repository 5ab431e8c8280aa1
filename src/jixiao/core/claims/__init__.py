"""Typed claims read from a report's prose: the one claim model of the core and the auditor.

A claim is a statement that carries its own arithmetic: SUM ("共计T万元，其中a、b、c"), OVER-TASK
("超任务X%"), COUNT ("7个股室：a、b…"), RATE and SHARE ("执行率X%", "占B的X%"), DELTA ("较上年增长X%"),
UNIT COST × COUNT, NAME (the same item with two figures), ARITHMETIC written out ("a+b=c",
"a万元减去b万元为c万元") and TIME PROGRESS ("截至7月底…低于序时进度1.53个百分点"). Each kind is a small reader
(`sums`, `count`, `rate`, `names`, `arith`, `progress`) over the quantities of `base`; the checks verify a claim only
where all its inputs were read (`core.prose` for totals and tasks, `core.claim_checks` for the rest),
the same on an evaluation's narrative and on a whole report. Pure: normalised text in, claims out.
Figures are compared at the precision they were written with, after converting units (元/万元/亿元
to 万元); quantities of different dimensions are never compared.
"""

from __future__ import annotations

from functools import lru_cache

from jixiao.core.chars import simplified
from jixiao.core.claims.arith import arithmetic_claims
from jixiao.core.claims.base import Claim, Quantity, within
from jixiao.core.claims.count import count_claims
from jixiao.core.claims.names import name_claims
from jixiao.core.claims.progress import progress_claims
from jixiao.core.claims.rate import (
    delta_claims,
    distributive_delta_claims,
    rate_claims,
    share_claims,
    unit_cost_claims,
)
from jixiao.core.claims.sums import over_task_claims, sum_claims

__all__ = ["Claim", "Quantity", "read_claims", "within"]


def read_claims(text: str) -> list[Claim]:
    """Every claim in a document's normalised text, in the order of the readers."""
    return list(_read_claims(text))


@lru_cache(maxsize=2)  # the checks and --explain read the same text's claims
def _read_claims(text: str) -> tuple[Claim, ...]:
    text = simplified(text)
    sums = sum_claims(text)
    arithmetic = arithmetic_claims(text)
    # "4000元/人×3000人=1200万元" is written-out arithmetic: checked as that, not a second time as a unit cost
    results = {(c.stated.start, c.stated.end) for c in arithmetic if isinstance(c.stated, Quantity)}
    unit_costs = [c for c in unit_cost_claims(text)
                  if not (isinstance(c.stated, Quantity) and (c.stated.start, c.stated.end) in results)]
    return tuple(sums + over_task_claims(text) + count_claims(text, sums) + rate_claims(text) + share_claims(text)
                 + delta_claims(text) + distributive_delta_claims(text) + unit_costs
                 + name_claims(text, sums) + arithmetic + progress_claims(text))

