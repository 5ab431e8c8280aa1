"""The anomaly queries: indexed SQL picks the candidates, `analytics` (pure) decides and explains each.

Each indicator-level anomaly is one query over `desk_indicatorrow` whose WHERE clause is the pure rule
written in SQL (so the page reads at most `limit + 1` rows per kind, whatever the size of the year);
the pure function then confirms it and words the detail. With the default thresholds the page reads
instead what the save found (`anomaly_rows`: the same pure rules, applied once per save), and the
narrative near-duplicates always so — never a comparison of texts on a view.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Value, When

from jixiao.web.desk import analytics as pure
from jixiao.web.desk.analytics import THRESHOLDS, AnomalyCode, AnomalyKind, Hit, Thresholds
from jixiao.web.desk.analytics_db import DeskScope
from jixiao.web.desk.anomaly_rows import fact_of
from jixiao.web.desk.models import AnomalyRow, FindingRow, IndicatorRow, NarrativeBand
from jixiao.web.evaluations.models import Evaluation


@dataclass(slots=True)
class Section:
    kind: AnomalyKind
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # more than `limit` units: the export lists them all
    note: str = ""  # why the section could not be computed here (too many narratives)


def _indicator_rule(code: AnomalyCode, t: Thresholds) -> Q:
    """The pure rule of `pure.indicator_hits` for `code`, as a WHERE clause."""
    quantitative = Q(kind="quantitative")
    positive = quantitative & ~Q(direction="reverse")
    if code is AnomalyCode.TARGET_TOO_LOW:
        return positive & Q(completion_rate_hundredths__gte=t.overachieve)
    if code is AnomalyCode.DOCKED_THOUGH_MET:
        return Q(met=True, score_hundredths__lt=F("weight_hundredths"))
    if code is AnomalyCode.FULL_THOUGH_MISSED:
        return Q(met=False, score_hundredths__gte=F("weight_hundredths"), weight_hundredths__gt=0)
    if code is AnomalyCode.REVERSE_MISSED:
        return quantitative & Q(direction="reverse", met=False)
    if code is AnomalyCode.MID_YEAR_JUMP:
        known = positive & Q(target__gt=0, mid_year__isnull=False, actual__isnull=False)
        jump = Q(mid_year__lt=F("target") * Decimal(t.mid_year_low) / 10000,
                 actual__gte=F("target") * Decimal(t.year_end_met) / 10000)
        drop = Q(mid_year__gt=0, actual__lt=F("mid_year"), completion_rate_hundredths__gte=t.year_end_met)
        return known & (jump | drop)
    raise ValueError(code)


INDICATOR_CODES = (AnomalyCode.TARGET_TOO_LOW, AnomalyCode.DOCKED_THOUGH_MET, AnomalyCode.FULL_THOUGH_MISSED,
                   AnomalyCode.REVERSE_MISSED, AnomalyCode.MID_YEAR_JUMP)


def _points(hundredths: int) -> str:
    whole, cents = divmod(hundredths, 100)
    return str(whole) if cents == 0 else f"{whole}.{cents:02d}".rstrip("0")


class Finder:
    """The anomalies of one year in one scope (and optionally one department), `limit` units per kind."""

    def __init__(self, scope: DeskScope, year: int, department: int | None = None, limit: int = 100,
                 t: Thresholds = THRESHOLDS, stored: bool = True) -> None:
        self.scope, self.year, self.department, self.limit, self.t = scope, year, department, limit, t
        self.stored = stored and t == THRESHOLDS  # the rows the saves wrote hold the default thresholds' hits
        self.kinds = pure.anomaly_kinds(t)

    def evaluations(self) -> QuerySet[Evaluation]:
        qs = self.scope.evaluations().filter(year=self.year)
        return qs if self.department is None else qs.filter(department_id=self.department)

    def _rows(self, model: Any) -> QuerySet[Any]:
        return self._rows_of_year(model, self.year)

    def sections(self, codes: Iterable[AnomalyCode] | None = None) -> list[Section]:
        wanted = list(codes or AnomalyCode)
        found: list[Section] = []
        narrative: Section | None = None
        for code in wanted:
            if code in (AnomalyCode.SAME_NARRATIVE, AnomalyCode.COPIED_FROM_LAST_YEAR):
                if narrative is None:
                    narrative = self._narrative()
                section = Section(self.kinds[code], note=narrative.note)
                section.hits = [h for h in narrative.hits if h.code is code]
                section.more = len(section.hits) > self.limit
                section.hits = section.hits[: self.limit]
                found.append(section)
            elif code in INDICATOR_CODES:
                found.append(self._indicator_section(code))
            else:
                found.append(self._evaluation_section(code))
        return found

    def _cut(self, code: AnomalyCode, hits: list[Hit]) -> Section:
        return Section(self.kinds[code], hits[: self.limit], more=len(hits) > self.limit)

    def _stored(self, code: AnomalyCode) -> Section:
        """The anomaly rows written at save time (the default thresholds): an indexed read by (year, code)."""
        rows = self._rows(AnomalyRow).filter(code=code.value).order_by("evaluation_id", "position")
        hits = [Hit(code, r.evaluation_id, r.detail) for r in rows.only("evaluation_id", "detail")[: self.limit + 1]]
        return self._cut(code, hits)

    def _indicator_section(self, code: AnomalyCode) -> Section:
        if self.stored:
            return self._stored(code)
        rows = self._rows(IndicatorRow).filter(_indicator_rule(code, self.t)).order_by("evaluation_id", "position")
        hits: list[Hit] = []
        for row in rows[: self.limit + 1]:
            hits += [h for h in pure.indicator_hits(fact_of(row), self.t) if h.code is code]
        return self._cut(code, hits)

    def _evaluation_section(self, code: AnomalyCode) -> Section:
        t, ev = self.t, self.evaluations()
        hits: list[Hit]
        if code is AnomalyCode.HIGH_TOTAL_MANY_ERRORS:
            rows = ev.filter(total_hundredths__gte=t.high_total, error_count__gte=t.many_errors).order_by("-error_count", "id")
            hits = [Hit(code, e.pk, f"总分 {_points(e.total_hundredths)}，错误 {e.error_count} 个")
                    for e in rows.only("id", "total_hundredths", "error_count")[: self.limit + 1]
                    if pure.high_total_many_errors(e.total_hundredths, e.error_count, t)]
        elif code is AnomalyCode.ALL_EXACTLY_100 and self.stored:
            return self._stored(code)
        elif code is AnomalyCode.ALL_EXACTLY_100:
            groups = (self._rows(IndicatorRow).filter(kind="quantitative").values("evaluation_id")
                      .annotate(n=Count("id"), rated=Count("completion_rate_hundredths"),
                                low=Min("completion_rate_hundredths"), high=Max("completion_rate_hundredths"))
                      .filter(n__gte=2, rated=F("n"), low=10000, high=10000).order_by("evaluation_id"))
            hits = [Hit(code, g["evaluation_id"], f"{g['n']} 个定量指标的完成率都是 100%")
                    for g in groups[: self.limit + 1]]  # the HAVING clause is `pure.all_exactly_100`
        elif code is AnomalyCode.LOW_EXECUTION_HIGH_TOTAL:
            rows = ev.filter(figures__execution_rate_hundredths__lt=t.low_execution,
                             total_hundredths__gte=t.high_total_low_execution).order_by("figures__execution_rate_hundredths", "id")
            hits = [Hit(code, e.pk, f"预算执行率 {_points(e.figures.execution_rate_hundredths or 0)}%，总分 {_points(e.total_hundredths)}"
                        + ("（已按执行率上限封顶）" if e.figures.capped else ""))
                    for e in rows.select_related("figures")[: self.limit + 1]
                    if pure.low_execution_high_total(e.figures.execution_rate_hundredths, e.total_hundredths, t)]
        elif code is AnomalyCode.GRADE_TOTAL_MISMATCH:
            hits = self._grade_mismatch()
        else:
            raise ValueError(code)
        return self._cut(code, hits)

    def _grade_bands(self) -> list[tuple[str, int]]:
        from jixiao.web.evaluations import services

        rules = services.rules_for(services.rules_name_for(self.year))
        return [(band.grade.value, services.hundredths(band.min)) for band in rules.grades]

    def _grade_mismatch(self) -> list[Hit]:
        bands = self._grade_bands()
        expected = Case(*[When(total_hundredths__gte=minimum, then=Value(grade)) for grade, minimum in bands],
                        default=Value(bands[-1][0]), output_field=CharField())
        stated = Exists(FindingRow.objects.filter(evaluation_id=OuterRef("pk"), code="T004"))
        rows = (self.evaluations().annotate(expected=expected, stated_mismatch=stated)
                .filter(Q(stated_mismatch=True) | (~Q(grade="") & ~Q(grade=F("expected")))).order_by("id"))
        hits = []
        for e in rows.only("id", "grade", "total_hundredths")[: self.limit + 1]:
            should = pure.grade_for(e.total_hundredths, bands)
            if e.grade and e.grade != should:
                hits.append(Hit(AnomalyCode.GRADE_TOTAL_MISMATCH, e.pk, f"总分 {_points(e.total_hundredths)} 应为“{should}”，记为“{e.grade}”"))
            else:
                hits.append(Hit(AnomalyCode.GRADE_TOTAL_MISMATCH, e.pk, f"报告所述等级与总分 {_points(e.total_hundredths)} 不符（T004）"))
        return hits

    def _narrative(self) -> Section:
        """D008 and D009 from the narrative fingerprints written at save time (`anomaly_rows`).

        Only the rows flagged at save time are read (partial indices); the partner found must be live and
        inside the scope (and the department filter), so nobody sees a unit outside their desk.
        """
        kind = self.kinds[AnomalyCode.SAME_NARRATIVE]
        return Section(kind, [*self._narrative_hits(AnomalyCode.SAME_NARRATIVE),
                              *self._narrative_hits(AnomalyCode.COPIED_FROM_LAST_YEAR)])

    def _bands(self, year: int) -> QuerySet[NarrativeBand]:
        return self._rows_of_year(NarrativeBand, year)

    def _rows_of_year(self, model: Any, year: int) -> QuerySet[Any]:
        qs = self.scope.evaluations(model.objects.filter(year=year, evaluation__deleted_at__isnull=True))
        return qs if self.department is None else qs.filter(department_id=self.department)

    def _narrative_hits(self, code: AnomalyCode) -> list[Hit]:
        if code is AnomalyCode.SAME_NARRATIVE:
            flagged = self._bands(self.year).filter(shared=True)
            partners = (self._bands(self.year).filter(band=OuterRef("band"), key=OuterRef("key"))
                        .exclude(unit_id=OuterRef("unit_id")))
        else:
            flagged = self._bands(self.year).filter(from_last_year=True)
            partners = self._bands(self.year - 1).filter(band=OuterRef("band"), key=OuterRef("key"),
                                                        unit_id=OuterRef("unit_id"))
        found = flagged.filter(Exists(partners))
        # per evaluation (in id order, `limit + 1` of them) its first resembling band row, in one ordered pass
        first = dict(found.values("evaluation_id").annotate(first=Min("pk")).order_by("evaluation_id")
                     .values_list("evaluation_id", "first")[: self.limit + 1])
        ids = sorted(first)
        # the partner of those rows only: the lowest evaluation id, read off the (year, key, band, evaluation) index
        partner = Subquery(partners.order_by("evaluation_id").values("evaluation_id")[:1])
        chosen = {e: (sentence, other) for e, sentence, other in NarrativeBand.objects.filter(pk__in=first.values())
                  .annotate(other=partner).values_list("evaluation_id", "sentence", "other")}
        texts = dict(((e, n), t) for e, n, t in NarrativeBand.objects.filter(evaluation_id__in=ids, band=0)
                     .values_list("evaluation_id", "sentence", "text"))
        return [Hit(code, e, f"“{texts.get((e, chosen[e][0]), '')}”", chosen[e][1]) for e in ids if e in chosen]


def evaluations_by_id(ids: Iterable[int]) -> dict[int, Evaluation]:
    return {e.pk: e for e in Evaluation.objects.filter(pk__in=sorted(set(ids))).select_related("unit", "department")}
