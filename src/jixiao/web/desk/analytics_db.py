"""The desk's queries: a user's desk scope, the dashboard's filters, aggregates and keyset-paged list.

Everything is set-based SQL over the relational rows written at save time (`desk.models`): counts and
sums by state, grade, total band and execution band are one GROUP BY each; the list pages by keyset
(`WHERE (key, id) < (last key, last id) ORDER BY key DESC, id DESC LIMIT n+1`), never OFFSET and never
an exact COUNT(*) of the list. Every query goes through `DeskScope.evaluations`, so a department's
reviewer sees only its units' rows — in pages, charts and exports alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import QueryDict

from jixiao.core.todo import StageKind
from jixiao.core.workflow import STAGE_LABELS, STATE_LABELS, Stage, State
from jixiao.web.desk.models import FindingRow
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.orgs.models import Organisation, OrgKind
from jixiao.web.permissions import Capability, grants_of, is_admin

PAGE_SIZE = 50


# ---- scope ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DeskScope:
    """What of the desk a user sees: everything (the finance bureau) or some departments' units."""

    everything: bool
    departments: frozenset[int]

    def evaluations(self, base: QuerySet[Any] | None = None) -> QuerySet[Any]:
        """Live evaluations (or rows with a `department_id`) inside the scope."""
        qs = Evaluation.objects.filter(deleted_at__isnull=True) if base is None else base
        return qs if self.everything else qs.filter(department_id__in=sorted(self.departments))

    def department_choices(self) -> QuerySet[Organisation]:
        qs = Organisation.objects.filter(kind=OrgKind.DEPARTMENT)
        return qs if self.everything else qs.filter(pk__in=sorted(self.departments))

    def covers(self, department_id: int | None) -> bool:
        return self.everything or department_id in self.departments


def desk_scope(user: User | AnonymousUser) -> DeskScope | None:
    """The desk scope of a finance or department member (any role that may view); None: no desk."""
    if is_admin(user):
        return DeskScope(True, frozenset())
    departments: set[int] = set()
    for grant in grants_of(user):
        if Capability.VIEW not in grant.capabilities:
            continue
        if grant.kind == OrgKind.FINANCE:
            return DeskScope(True, frozenset())
        if grant.kind == OrgKind.DEPARTMENT:
            departments.add(grant.organisation_id)
    return DeskScope(False, frozenset(departments)) if departments else None


# ---- filters ----------------------------------------------------------------------------------

STAGE_FILTERS: dict[str, str] = {
    State.DRAFT.value: STATE_LABELS[State.DRAFT],
    State.WITHDRAWN.value: STATE_LABELS[State.WITHDRAWN],
    **{f"pending:{s.value}": f"待{STAGE_LABELS[s]}" for s in Stage},
    State.RETURNED.value: STATE_LABELS[State.RETURNED],
    State.APPROVED.value: STATE_LABELS[State.APPROVED],
    "overdue": "已逾期",
}

SORTS: dict[str, tuple[str, str]] = {
    # name: (label, column) — each sorted descending with the id as tie-breaker; "-" names ascending.
    "total": ("总分从高到低", "total_hundredths"),
    "-total": ("总分从低到高", "total_hundredths"),
    "errors": ("错误最多", "error_count"),
    "budget": ("预算最多", "budget_key"),
    "execution": ("执行率从低到高", "execution_key"),
    "updated": ("最近更新", "updated_at"),
}
ASCENDING = {"-total", "execution"}


@dataclass(frozen=True, slots=True)
class Filters:
    year: int
    department: int | None = None
    grade: str = ""
    stage: str = ""
    code: str = ""
    min_total: int | None = None  # hundredths
    max_total: int | None = None
    q: str = ""
    sort: str = "total"
    after: str = ""  # keyset cursor: "<key>~<id>" of the previous page's last row

    def query(self, **changes: Any) -> str:
        """The query string of these filters (with `changes`), for links and the export."""
        values = replace(self, **changes)
        params = QueryDict(mutable=True)
        params["year"] = str(values.year)
        for name in ("department", "grade", "stage", "code", "q", "after"):
            value = getattr(values, name)
            if value not in (None, ""):
                params[name] = str(value)
        for name in ("min_total", "max_total"):
            value = getattr(values, name)
            if value is not None:
                params[name.replace("_total", "")] = _points(value)
        if values.sort != "total":
            params["sort"] = values.sort
        return params.urlencode()


def _points(hundredths: int) -> str:
    whole, cents = divmod(hundredths, 100)
    return str(whole) if cents == 0 else f"{whole}.{cents:02d}".rstrip("0")


def _to_hundredths(text: str) -> int | None:
    try:
        value = Decimal(text.strip())
    except Exception:
        return None
    if not value.is_finite() or not 0 <= value <= 1000:
        return None
    return int(value * 100)


def default_year(scope: DeskScope) -> int:
    latest = scope.evaluations().order_by("-year").values_list("year", flat=True).first()
    if latest is not None:
        return int(latest)
    from jixiao.web.evaluations.services import current_evaluation_year

    return current_evaluation_year()


def parse_filters(params: QueryDict, scope: DeskScope) -> Filters:
    """The filters of a request; a value outside the choices (or a department outside the scope) is dropped."""
    year_text = params.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else default_year(scope)
    department_text = params.get("department", "")
    department = int(department_text) if department_text.isdigit() else None
    if department is not None and not scope.covers(department):
        department = None
    grade = params.get("grade", "")
    stage = params.get("stage", "")
    code = params.get("code", "").strip().upper()[:20]
    sort = params.get("sort", "total")
    return Filters(
        year=year, department=department,
        grade=grade if grade in ("优", "良", "中", "差", "none") else "",
        stage=stage if stage in STAGE_FILTERS else "",
        code=code if code.isalnum() else "",
        min_total=_to_hundredths(params.get("min", "")) if params.get("min") else None,
        max_total=_to_hundredths(params.get("max", "")) if params.get("max") else None,
        q=params.get("q", "").strip()[:100],
        sort=sort if sort in SORTS else "total",
        after=params.get("after", "")[:80],
    )


# ---- overdue ----------------------------------------------------------------------------------

def overdue_scope(year: int, today: dt.date) -> Q | None:
    """Where the year's self-evaluation deadline (a 绩效自评 task) has passed: a Q on unit/department, or None."""
    from jixiao.web.planning.models import Task

    where: Q | None = None
    tasks = Task.objects.filter(kind=StageKind.SELF_EVALUATION.value, year=year, deadline__lt=today).select_related("scope")
    for task in tasks:
        if task.scope.kind == OrgKind.FINANCE:
            return Q()
        part = Q(department_id=task.scope_id) if task.scope.kind == OrgKind.DEPARTMENT else Q(unit_id=task.scope_id)
        where = part if where is None else where | part
    return where


NOT_SUBMITTED = (State.DRAFT.value, State.RETURNED.value, State.WITHDRAWN.value)


# ---- the filtered set -------------------------------------------------------------------------

def filtered(scope: DeskScope, f: Filters, today: dt.date | None = None) -> QuerySet[Evaluation]:
    """The scope's live evaluations of the year with every filter applied (the list, charts and exports)."""
    qs = scope.evaluations().filter(year=f.year)
    if f.department is not None:
        qs = qs.filter(department_id=f.department)
    if f.grade == "none":
        qs = qs.filter(grade="")
    elif f.grade:
        qs = qs.filter(grade=f.grade)
    if f.stage == "overdue":
        where = overdue_scope(f.year, today or dt.date.today())
        qs = qs.none() if where is None else qs.filter(where, state__in=NOT_SUBMITTED)
    elif f.stage.startswith("pending:"):
        qs = qs.filter(state=State.PENDING.value, stage=f.stage.split(":", 1)[1])
    elif f.stage:
        qs = qs.filter(state=f.stage)
    if f.code:
        qs = qs.filter(Exists(FindingRow.objects.filter(evaluation_id=OuterRef("pk"), year=f.year, code=f.code)))
    if f.min_total is not None:
        qs = qs.filter(total_hundredths__gte=f.min_total)
    if f.max_total is not None:
        qs = qs.filter(total_hundredths__lte=f.max_total)
    if f.q:
        qs = qs.filter(_search(f.q))
    return qs


SEARCH_UNITS = 2000


def _search(q: str) -> Q:
    """Title or unit name contains `q`: with the matching units' ids looked up first, when few.

    `title ILIKE … OR unit_id IN (ids)` is a BitmapOr of the title's trigram index and the unit index;
    an OR across the join to the units' table could use neither and scans the year. A search that
    matches many units (“幼儿园”) is not selective, and the join is then the cheaper plan.
    """
    units = list(Organisation.objects.filter(kind=OrgKind.UNIT, name__icontains=q)
                 .values_list("pk", flat=True)[: SEARCH_UNITS + 1])
    if len(units) > SEARCH_UNITS:
        return Q(title__icontains=q) | Q(unit__name__icontains=q)
    return Q(title__icontains=q) | Q(unit_id__in=units)


# ---- the dashboard's aggregates ---------------------------------------------------------------

@dataclass(slots=True)
class Dashboard:
    stages: list[tuple[str, str, int, Decimal]]  # (filter value, label, evaluations, money)
    not_started: int
    overdue: int
    grades: list[tuple[str, int, Decimal]]  # (grade, evaluations, money)
    total_bins: list[tuple[str, int]]
    execution_bins: list[tuple[str, int]]
    evaluations: int
    with_errors: int
    budget: Decimal
    executed: Decimal
    top_codes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def weighted_execution(self) -> Decimal | None:
        """Executed over budget for the whole set (budget-weighted, not the mean of rates), in %."""
        return None if not self.budget else (self.executed * 100 / self.budget).quantize(Decimal("0.01"))


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def dashboard(scope: DeskScope, f: Filters, today: dt.date | None = None) -> Dashboard:
    """Every figure of the dashboard for the filtered set: one GROUP BY scan, plus not-started and top codes.

    The scan groups the set by (state, stage, grade, overdue) — a few dozen groups whatever the size of
    the year, so a hash aggregate in memory — and counts each group's total and execution bands with
    `COUNT(*) FILTER (WHERE …)` in the same pass; the stage and grade figures add those groups up.
    """
    today = today or dt.date.today()
    qs = filtered(scope, replace(f, after=""), today)
    where = overdue_scope(f.year, today)
    late = Value(False) if where is None else Case(When(where & Q(state__in=NOT_SUBMITTED), then=Value(True)),
                                                   default=Value(False), output_field=BooleanField())
    bands = {f"t{b}": Count("id", filter=_total_band(b)) for b in range(10)}
    bands |= {f"e{i}": Count("id", filter=where) for i, where in enumerate(_execution_bands())}
    groups = list(
        qs.annotate(late=late).values("state", "stage", "grade", "late")
        .annotate(n=Count("id"), errors=Count("id", filter=Q(error_count__gt=0)),
                  money=Sum("figures__budget_adjusted"), executed=Sum("figures__budget_executed"), **bands)
        .order_by()
    )
    by_position: dict[Any, list[Any]] = {}
    by_grade: dict[Any, list[Any]] = {}
    bins = [0] * 10
    execution = [0] * (len(EXECUTION_BANDS) + 1)
    n = errors = overdue = 0
    budget = executed = Decimal(0)
    for g in groups:
        money = g["money"] or Decimal(0)
        for table, key in ((by_position, (g["state"], g["stage"])), (by_grade, g["grade"])):
            entry = table.setdefault(key, [0, Decimal(0)])
            entry[0] += g["n"]
            entry[1] += money
        bins = [count + g[f"t{b}"] for b, count in enumerate(bins)]
        execution = [count + g[f"e{i}"] for i, count in enumerate(execution)]
        n, errors, overdue = n + g["n"], errors + g["errors"], overdue + (g["n"] if g["late"] else 0)
        budget, executed = budget + money, executed + (g["executed"] or Decimal(0))
    stages: list[tuple[str, str, int, Decimal]] = []
    for value, label in STAGE_FILTERS.items():
        if value == "overdue":
            continue
        state, _, stage = value.partition(":")
        count, money = by_position.get((state, stage), (0, Decimal(0)))
        stages.append((value, label, count, _money(money)))
    order = {"优": 0, "良": 1, "中": 2, "差": 3}
    grades = sorted(((grade or "无等级", count, _money(money)) for grade, (count, money) in sorted(by_grade.items())),
                    key=lambda g: order.get(g[0], 9))
    return Dashboard(
        stages=stages, not_started=_not_started(scope, f), overdue=overdue, grades=grades,
        total_bins=[(f"{b * 10}–{b * 10 + 10}", count) for b, count in enumerate(bins)],
        execution_bins=[(label, execution[i]) for i, (label, _, _) in enumerate(EXECUTION_BANDS)]
        + [("无法计算", execution[-1])],
        evaluations=n, with_errors=errors, budget=_money(budget), executed=_money(executed),
        top_codes=top_codes(qs, f.year),
    )


EXECUTION_BANDS = (("低于60%", None, 6000), ("60%–80%", 6000, 8000), ("80%–90%", 8000, 9000),
                   ("90%–100%", 9000, 10000), ("100%及以上", 10000, None))


def _total_band(b: int) -> Q:
    """Totals in the 10-point band b (0: below 10, 9: 90 and above, 100 included)."""
    where = Q()
    if b > 0:
        where &= Q(total_hundredths__gte=b * 1000)
    if b < 9:
        where &= Q(total_hundredths__lt=(b + 1) * 1000)
    return where


def _execution_bands() -> list[Q]:
    """Each execution-rate band of EXECUTION_BANDS as a condition, then "no rate"."""
    column = "figures__execution_rate_hundredths"
    found = []
    for _, low, high in EXECUTION_BANDS:
        where = Q(**{f"{column}__isnull": False})
        if low is not None:
            where &= Q(**{f"{column}__gte": low})
        if high is not None:
            where &= Q(**{f"{column}__lt": high})
        found.append(where)
    return [*found, Q(**{f"{column}__isnull": True})]


def top_codes(qs: QuerySet[Evaluation], year: int, limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent error codes, by the number of evaluations of `qs` they occur in.

    Over the (year, code, evaluation) index of the error rows only (`finding_error_idx`), read in order,
    so the distinct count needs no sort.
    """
    top = (FindingRow.objects.filter(evaluation__in=qs.values("pk"), year=year, severity="error")
           .values("code").annotate(n=Count("evaluation", distinct=True)).order_by("-n", "code")[:limit])
    return [(row["code"], row["n"]) for row in top]


def _not_started(scope: DeskScope, f: Filters) -> int:
    """Units in scope (and the department filter) with no live 部门整体 evaluation for the year."""
    if f.grade or f.code or f.min_total is not None or f.max_total is not None or f.q or (f.stage and f.stage != "overdue"):
        return 0  # "not started" has no grade, findings or score: a filter on those excludes it
    units = Organisation.objects.filter(kind=OrgKind.UNIT)
    if not scope.everything:
        units = units.filter(department_id__in=sorted(scope.departments))
    if f.department is not None:
        units = units.filter(department_id=f.department)
    started = Evaluation.objects.filter(deleted_at__isnull=True, year=f.year, unit_id=OuterRef("pk"))
    return units.exclude(Exists(started)).count()


# ---- the keyset-paged list --------------------------------------------------------------------

LIST_FIELDS = ("id", "year", "title", "state", "stage", "total_hundredths", "grade", "error_count", "warning_count",
               "updated_at", "unit_id", "department_id")


def _keyed(qs: QuerySet[Evaluation], sort: str, year: int) -> tuple[QuerySet[Evaluation], str]:
    """The list with its sort key. Budget and execution sort by the figures row (every saved evaluation has
    one): an inner join on the figures of the year, so the keyset page walks the figures' sort index
    (`desk_figures_budget_idx`, `desk_figures_execution_idx`) instead of sorting the year."""
    column = SORTS[sort][1]
    if column == "budget_key":
        qs = qs.filter(figures__year=year).annotate(budget_key=Coalesce("figures__budget_adjusted", Value(Decimal(-1))))
    elif column == "execution_key":
        qs = qs.filter(figures__year=year).annotate(
            execution_key=Coalesce("figures__execution_rate_hundredths", Value(10 ** 12)))
    return qs, column


def _cursor_value(column: str, text: str) -> Any:
    if column == "updated_at":
        return dt.datetime.fromisoformat(text)
    if column == "budget_key":
        return Decimal(text)
    return int(text)


def page_of(scope: DeskScope, f: Filters, size: int = PAGE_SIZE, today: dt.date | None = None) -> tuple[list[Evaluation], str]:
    """One page of the filtered list in the chosen order, and the cursor of the next page ("" at the end)."""
    qs, column = _keyed(filtered(scope, f, today), f.sort, f.year)
    ascending = f.sort in ASCENDING
    if f.after and "~" in f.after:
        key_text, _, id_text = f.after.rpartition("~")
        try:
            key, last_id = _cursor_value(column, key_text), int(id_text)
        except (ValueError, ArithmeticError):
            key, last_id = None, None
        if last_id is not None:
            if ascending:
                qs = qs.filter(Q(**{f"{column}__gt": key}) | Q(**{column: key, "id__gt": last_id}))
            else:
                qs = qs.filter(Q(**{f"{column}__lt": key}) | Q(**{column: key, "id__lt": last_id}))
    order = [column, "id"] if ascending else [f"-{column}", "-id"]
    rows = list(qs.select_related("unit", "department", "figures").order_by(*order)[: size + 1])
    if len(rows) <= size:
        return rows, ""
    rows = rows[:size]
    last = rows[-1]
    key_value = getattr(last, column)
    key_text = key_value.isoformat() if isinstance(key_value, dt.datetime) else str(key_value)
    return rows, f"{key_text}~{last.pk}"


def list_values(scope: DeskScope, f: Filters, fields: Sequence[str], chunk: int = 2000) -> Iterator[tuple[Any, ...]]:
    """Every row of the filtered list in the list's order, as tuples of `fields`, for the .xlsx export.

    One query read in chunks (a server-side cursor on PostgreSQL) and plain tuples, not pages of model
    instances: at a province's 50,000 rows the instances cost more than the query."""
    qs, column = _keyed(filtered(scope, f), f.sort, f.year)
    order = [column, "id"] if f.sort in ASCENDING else [f"-{column}", "-id"]
    return qs.order_by(*order).values_list(*fields).iterator(chunk_size=chunk)
