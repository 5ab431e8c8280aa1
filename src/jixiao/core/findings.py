"""Findings: what a check reports about the data, in Chinese, with where it is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from jixiao.core.model import Location

T = TypeVar("T")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    field: str | None = None
    expected: Decimal | None = None
    actual: Decimal | None = None
    related: tuple[str, ...] = ()
    line: int | None = None
    quote: str | None = None
    related_locations: tuple[Location, ...] = ()

    def located(self, locations: dict[str, Location]) -> Finding:
        """This finding with the line and quote of its field (and related fields) filled in."""
        own = find_location(self.field, locations)
        others: list[Location] = []
        for path in self.related:
            loc = find_location(path, locations)
            if loc is not None and loc != own and loc not in others:
                others.append(loc)
        if own is None and others:
            own, others = others[0], others[1:]
        if own is None:
            return self
        return replace(
            self, line=own.line, quote=own.quote, related_locations=tuple(others)
        )


def nearest(path: str | None, by_path: Mapping[str, T]) -> T | None:
    """The value for a field path ("indicators[3].stated.score"), or for its nearest parent that has one."""
    while path:
        if path in by_path:
            return by_path[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


def find_location(path: str | None, locations: Mapping[str, Location]) -> Location | None:
    """The location of a field, or of its nearest parent that has one."""
    return nearest(path, locations)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0))
