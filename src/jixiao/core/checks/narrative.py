"""The prose checks (A004–A007, A011–A013) on an evaluation's own text fields.

The auditor runs the same functions (`core.prose`) on a whole report; here they read the fields the
report is written from, in the report's order: everything before the indicator section is the
narrative the indicators are compared with, and all of it is read for other years, pandemic-era text
and totals. So `jixiao check`, the web app and the report writer report what `jixiao audit` would find
in the finished report — at the field to change.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from jixiao.core import prose
from jixiao.core.checks.registry import CheckFunc, Context, Hit, check
from jixiao.core.claim_checks import claim_kind_hits
from jixiao.core.claims import read_claims
from jixiao.core.labels import field_label
from jixiao.core.model import Evaluation

Passage = tuple[str, str | None]


def narrative_passages(ev: Evaluation) -> list[Passage]:
    """The text fields printed before the indicator section, in the report's order."""
    n, u, ex = ev.narrative, ev.unit, ev.expenditure
    out: list[Passage] = [("unit.functions", u.functions), ("unit.organisation", u.organisation),
                          ("narrative.key_work", n.key_work)]
    out += [(f"narrative.tasks[{i}].content", t.content) for i, t in enumerate(n.tasks)]
    out += [
        ("narrative.overall_goal", n.overall_goal), ("narrative.goal_achievement", n.goal_achievement),
        ("narrative.budget_arrangement", n.budget_arrangement),
        ("budget.adjustment_explanation", ev.budget.adjustment_explanation),
        ("narrative.adjustment_effect", n.adjustment_effect),
        ("budget.execution_explanation", ev.budget.execution_explanation),
        ("narrative.execution_management", n.execution_management),
        ("expenditure.basic.use", ex.basic.use if ex.basic else None), ("expenditure.project_use", ex.project_use),
        ("expenditure.basic.management", ex.basic.management if ex.basic else None),
        ("narrative.management_system", n.management_system), ("narrative.fund_compliance", n.fund_compliance),
    ]
    out += [(f"expenditure.projects[{i}].description", p.description) for i, p in enumerate(ex.projects)]
    return [*out, ("narrative.performance_intro", n.performance_intro)]


INDICATOR_TEXTS = ("target_text", "actual_text", "mid_year_note", "evidence", "effect", "deviation_reason",
                   "improvement", "manual_reason", "deduction_reason")


def later_passages(ev: Evaluation) -> list[Passage]:
    """The text fields printed from the indicator section on."""
    n = ev.narrative
    out: list[Passage] = [
        (f"indicators[{i}].{name}", getattr(ind, name)) for i, ind in enumerate(ev.indicators) for name in INDICATOR_TEXTS
    ]
    out.append(("narrative.conclusion_intro", n.conclusion_intro))
    for key in ("problems", "causes", "measures", "suggestions"):
        out += [(f"narrative.{key}[{i}]", item) for i, item in enumerate(getattr(n, key))]
    return out


@dataclass(frozen=True, slots=True)
class Prose:
    """An evaluation's text as one string (one field a line), and which field each span is in."""

    text: str
    narrative_end: int
    starts: list[int]
    paths: list[str]

    @classmethod
    def of(cls, ev: Evaluation) -> Prose:
        parts: list[str] = []
        starts: list[int] = []
        paths: list[str] = []
        at = narrative_end = 0
        for group in (narrative_passages(ev), later_passages(ev)):
            for path, value in group:
                if value and value.strip():
                    text = prose.normalise_text(value)
                    starts.append(at)
                    paths.append(path)
                    parts.append(text)
                    at += len(text) + 1
            narrative_end = narrative_end or at
        return cls("\n".join(parts), narrative_end, starts, paths)

    def field_at(self, pos: int) -> str:
        return self.paths[max(0, bisect_right(self.starts, pos) - 1)]


def indicator_figures(ctx: Context) -> list[prose.IndicatorFigures]:
    return [
        prose.IndicatorFigures(i, ind.name, ind.unit, ind.target, ind.actual,
                               r.completion_rate if ind.stated.completion_rate is None else ind.stated.completion_rate,
                               ind.stated.completion_rate is not None)
        for i, (ind, r) in enumerate(zip(ctx.evaluation.indicators, ctx.scorecard.indicators, strict=True))
    ]


def prose_hits(ctx: Context, text: Prose, code: str) -> list[prose.TextHit]:
    """The hits of one prose check on the evaluation's text."""
    narrative, whole, year = text.text[: text.narrative_end], text.text, ctx.evaluation.year
    if code == "A004":
        return prose.narrative_vs_indicators(narrative, indicator_figures(ctx))
    if code == "A005":
        return prose.narrative_rates(narrative)
    if code == "A006":
        return prose.other_years(whole, year)
    if code == "A007":
        return prose.pandemic_text(whole, year)
    hits = ctx.memo.get("claim_hits")
    if hits is None:  # every claim check reads the same claims: read and judged once per run
        hits = ctx.memo["claim_hits"] = _claim_hits(whole, narrative, text)
    return [h for h in cast("list[prose.TextHit]", hits) if h.code == code]


def _claim_hits(whole: str, narrative: str, text: Prose) -> list[prose.TextHit]:
    def place(span: prose.Span) -> str:
        return f"“{field_label(text.field_at(span[0]))}”中"

    claims = read_claims(whole)
    rated = [h.span for h in prose.narrative_rates(narrative) if h.span is not None]  # A005 has said it there
    kinds = [h for h in claim_kind_hits(claims, place)
             if not (h.code == "A020" and h.span is not None and any(a < h.span[1] and h.span[0] < b for a, b in rated))]
    return prose.claim_hits(claims, place) + kinds


def _runner(code: str) -> CheckFunc:
    def run(ctx: Context) -> Iterator[Hit]:
        text = ctx.memo.get("prose")
        if not isinstance(text, Prose):
            text = ctx.memo["prose"] = Prose.of(ctx.evaluation)
        for hit in prose_hits(ctx, text, code):
            own = hit.field if hit.span is None else text.field_at(hit.span[0])
            related = [*hit.fields, *(text.field_at(start) for start, _ in hit.spans)]
            yield Hit(hit.message, own, hit.expected, hit.actual, tuple(dict.fromkeys(r for r in related if r != own)))

    return run


for _code, _prose_check in prose.PROSE_CHECKS.items():
    check(_code, _prose_check.severity, _prose_check.title)(_runner(_code))
