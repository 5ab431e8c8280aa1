"""One registry of small checks; each has a stable code, a severity and a title."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.findings import Finding, Severity
from jixiao.core.model import Evaluation
from jixiao.core.rules import RuleSet
from jixiao.core.scoring import Scorecard


@dataclass(frozen=True, slots=True)
class Context:
    evaluation: Evaluation
    rules: RuleSet
    scorecard: Scorecard
    # What several checks derive from the same evaluation (its prose, the claims in it), made once per run.
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check function yields; the registry adds code and severity."""

    message: str
    field: str | None = None
    expected: Decimal | None = None
    actual: Decimal | None = None
    related: tuple[str, ...] = ()


CheckFunc = Callable[[Context], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Check:
    code: str
    severity: Severity
    title: str
    func: CheckFunc

    def run(self, ctx: Context) -> list[Finding]:
        return [
            Finding(
                code=self.code,
                severity=self.severity,
                message=hit.message,
                field=hit.field,
                expected=hit.expected,
                actual=hit.actual,
                related=hit.related,
            )
            for hit in self.func(ctx)
        ]


REGISTRY: dict[str, Check] = {}


def check(code: str, severity: Severity, title: str) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check function under a stable code."""

    def register(func: CheckFunc) -> CheckFunc:
        if code in REGISTRY:
            raise ValueError(f"duplicate check code {code}")
        REGISTRY[code] = Check(code, severity, title, func)
        return func

    return register
