"""Registries of checks for the other stages of the year (targets, monitoring, the chain).

Same shape as the self-evaluation registry: a stable code, a severity, a Chinese title, and a
pure function yielding `Hit`s; only the context differs per stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from jixiao.core.checks.registry import Hit
from jixiao.core.findings import Finding, Severity, sort_findings

C = TypeVar("C")


@dataclass(frozen=True, slots=True)
class StageCheck(Generic[C]):
    code: str
    severity: Severity
    title: str
    func: Callable[[C], Iterable[Hit]]

    def run(self, ctx: C) -> list[Finding]:
        return [
            Finding(self.code, self.severity, hit.message, hit.field, hit.expected, hit.actual, hit.related)
            for hit in self.func(ctx)
        ]


class StageRegistry(Generic[C]):
    """The checks of one stage, in registration order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.checks: dict[str, StageCheck[C]] = {}

    def check(self, code: str, severity: Severity, title: str) -> Callable[[Callable[[C], Iterable[Hit]]], Callable[[C], Iterable[Hit]]]:
        def register(func: Callable[[C], Iterable[Hit]]) -> Callable[[C], Iterable[Hit]]:
            if code in self.checks:
                raise ValueError(f"duplicate check code {code}")
            self.checks[code] = StageCheck(code, severity, title, func)
            return func

        return register

    def run(self, ctx: C) -> list[Finding]:
        return sort_findings([f for check in self.checks.values() for f in check.run(ctx)])
