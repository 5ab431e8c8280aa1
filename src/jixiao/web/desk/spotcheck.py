"""Spot-check sampling and gaps as pure functions (no Django): anyone with the seed and the frame re-draws it.

The frame is the list of evaluations eligible for re-evaluation, each with its stratum: department,
grade and money band (the frame's budget terciles: 大 / 中 / 小). The sample is allocated to strata in
proportion to their size (largest remainder, ties by stratum name), at least one from each stratum
while the size allows, and drawn inside each stratum by `random.Random` seeded with the seed and the
stratum's name — so the same seed and frame give the same sample on any machine, and the frame's
SHA-256 digest shows that the frame is the one recorded.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

MONEY_BANDS = ("小", "中", "大")


@dataclass(frozen=True, slots=True)
class FrameRow:
    evaluation_id: int
    department: str  # the department's name (or id as text): what the stratum is called
    grade: str
    budget: Decimal | None  # 全年预算数（万元）


@dataclass(frozen=True, slots=True)
class Frame:
    rows: tuple[FrameRow, ...]

    def strata(self) -> dict[int, tuple[str, str, str]]:
        """Each evaluation's stratum: (部门, 等级, 金额档)."""
        bands = money_bands([r.budget for r in self.rows])
        return {r.evaluation_id: (r.department, r.grade or "无等级", band) for r, band in zip(self.rows, bands, strict=True)}

    def to_json(self) -> list[list[str]]:
        """The frame as recorded: [evaluation id, department, grade, budget] per row, in id order."""
        return [[str(r.evaluation_id), r.department, r.grade, "" if r.budget is None else format(r.budget, "f")]
                for r in sorted(self.rows, key=lambda r: r.evaluation_id)]

    @classmethod
    def from_json(cls, rows: Sequence[Sequence[str]]) -> Frame:
        return cls(tuple(FrameRow(int(i), d, g, Decimal(b) if b else None) for i, d, g, b in rows))

    def digest(self) -> str:
        text = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def money_bands(budgets: Sequence[Decimal | None]) -> list[str]:
    """小 / 中 / 大 by the terciles of the known budgets (a missing budget counts as 小)."""
    known = sorted(b for b in budgets if b is not None)
    if not known:
        return [MONEY_BANDS[0]] * len(budgets)
    low = known[len(known) // 3]
    high = known[(2 * len(known)) // 3]
    bands = []
    for budget in budgets:
        if budget is None or budget < low:
            bands.append(MONEY_BANDS[0])
        elif budget < high:
            bands.append(MONEY_BANDS[1])
        else:
            bands.append(MONEY_BANDS[2])
    return bands


def allocate(sizes: dict[str, int], total: int) -> dict[str, int]:
    """How many to draw from each stratum: proportional, largest remainder, ≥ 1 each while `total` allows."""
    population = sum(sizes.values())
    total = min(total, population)
    if total <= 0:
        return {name: 0 for name in sizes}
    names = sorted(sizes)
    floor = {name: 1 if total >= len(names) and sizes[name] else 0 for name in names}
    rest = total - sum(floor.values())
    remaining = {name: sizes[name] - floor[name] for name in names}
    pool = sum(remaining.values())
    quotas = {name: (Decimal(rest) * remaining[name] / pool) if pool else Decimal(0) for name in names}
    counts = {name: floor[name] + int(quotas[name]) for name in names}
    short = total - sum(counts.values())
    by_remainder = sorted(names, key=lambda n: (-(quotas[n] - int(quotas[n])), n))
    for name in by_remainder:
        if short <= 0:
            break
        if counts[name] < sizes[name]:
            counts[name] += 1
            short -= 1
    return counts


def draw(frame: Frame, size: int, seed: int) -> list[int]:
    """The sample: evaluation ids in id order. Same frame, size and seed → the same ids.

    Allocation is nested — first across departments, then across grades inside each department, then
    across money bands — so a sample smaller than the number of strata still reaches every department.
    """
    strata = frame.strata()
    members: dict[tuple[str, ...], list[int]] = {}
    for evaluation_id, stratum in sorted(strata.items()):
        members.setdefault(stratum, []).append(evaluation_id)
    counts = _nested(members, size, 0)
    chosen: list[int] = []
    for key in sorted(members):
        rng = random.Random(f"{seed}:{'/'.join(key)}")  # str seeds hash with SHA-512: stable across runs
        chosen.extend(rng.sample(members[key], counts.get(key, 0)))
    return sorted(chosen)


def _nested(members: dict[tuple[str, ...], list[int]], total: int, level: int) -> dict[tuple[str, ...], int]:
    depth = len(next(iter(members))) if members else 0
    if level >= depth:
        return dict.fromkeys(members, total)
    groups: dict[str, dict[tuple[str, ...], list[int]]] = {}
    for key, ids in members.items():
        groups.setdefault(key[level], {})[key] = ids
    shares = allocate({name: sum(len(ids) for ids in group.values()) for name, group in groups.items()}, total)
    counts: dict[tuple[str, ...], int] = {}
    for name, group in groups.items():
        counts.update(_nested(group, shares[name], level + 1))
    return counts


@dataclass(frozen=True, slots=True)
class Gap:
    """One indicator's self-score beside the re-evaluator's, in hundredths."""

    evaluation_id: int
    position: int
    name: str
    self_score: int
    review_score: int

    @property
    def gap(self) -> int:
        """Self minus review: positive when the unit scored itself higher than the re-evaluator did."""
        return self.self_score - self.review_score


def largest_gaps(gaps: Sequence[Gap], limit: int = 20) -> list[Gap]:
    """The indicators scored furthest from the re-evaluation (by absolute gap, then evaluation and position)."""
    return sorted((g for g in gaps if g.gap), key=lambda g: (-abs(g.gap), g.evaluation_id, g.position))[:limit]


def total_gap(gaps: Sequence[Gap]) -> int:
    return sum(g.gap for g in gaps)
