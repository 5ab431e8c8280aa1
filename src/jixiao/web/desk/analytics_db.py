"""The desk's queries: a user's desk scope, the dashboard's filters, aggregates and keyset-paged list.

Everything is set-based SQL over the relational rows written at save time (`desk.models`): counts and
sums by state, grade, total band and execution band are one GROUP BY each; the list pages by keyset
(`WHERE (key, id) < (last key, last id) ORDER BY key DESC, id DESC LIMIT n+1`), never OFFSET and never
an exact COUNT(*) of the list. Every query goes through `DeskScope.evaluations`, so a department's
reviewer sees only its units' rows — in pages, charts and exports alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value
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
        qs = qs.filter(Q(title__icontains=f.q) | Q(unit__name__icontains=f.q))
    return qs


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
    """Every figure of the dashboard for the filtered set, in a handful of GROUP BY queries."""
    today = today or dt.date.today()
    qs = filtered(scope, replace(f, after=""), today)
    by_position = {
        (row["state"], row["stage"]): (row["n"], _money(row["money"]))
        for row in qs.values("state", "stage").annotate(n=Count("id"), money=Sum("figures__budget_adjusted")).order_by()
    }
    stages: list[tuple[str, str, int, Decimal]] = []
    for value, label in STAGE_FILTERS.items():
        if value == "overdue":
            continue
        state, _, stage = value.partition(":")
        n, money = by_position.get((state, stage), (0, Decimal("0.00")))
        stages.append((value, label, n, money))
    where = overdue_scope(f.year, today)
    overdue = 0 if where is None else qs.filter(where, state__in=NOT_SUBMITTED).count()
    grades = [
        (row["grade"] or "无等级", row["n"], _money(row["money"]))
        for row in qs.values("grade").annotate(n=Count("id"), money=Sum("figures__budget_adjusted")).order_by("grade")
    ]
    order = {"优": 0, "良": 1, "中": 2, "差": 3}
    grades.sort(key=lambda g: order.get(g[0], 9))
    bins = dict.fromkeys(range(10), 0)
    for row in qs.annotate(band=F("total_hundredths") / Value(1000, output_field=IntegerField())).values("band").annotate(n=Count("id")).order_by():
        bins[min(max(int(row["band"]), 0), 9)] += row["n"]
    total_bins = [(f"{b * 10}–{b * 10 + 10}", n) for b, n in bins.items()]
    execution_bins = _execution_bins(qs)
    sums = qs.aggregate(n=Count("id"), errors=Count("id", filter=Q(error_count__gt=0)),
                        budget=Sum("figures__budget_adjusted"), executed=Sum("figures__budget_executed"))
    not_started = _not_started(scope, f)
    top = (FindingRow.objects.filter(evaluation__in=qs.values("pk"), year=f.year, severity="error")
           .values("code").annotate(n=Count("evaluation", distinct=True)).order_by("-n", "code")[:10])
    return Dashboard(
        stages=stages, not_started=not_started, overdue=overdue, grades=grades, total_bins=total_bins,
        execution_bins=execution_bins, evaluations=sums["n"] or 0, with_errors=sums["errors"] or 0,
        budget=_money(sums["budget"]), executed=_money(sums["executed"]),
        top_codes=[(row["code"], row["n"]) for row in top],
    )


EXECUTION_BANDS = (("低于60%", None, 6000), ("60%–80%", 6000, 8000), ("80%–90%", 8000, 9000),
                   ("90%–100%", 9000, 10000), ("100%及以上", 10000, None))


def _execution_bins(qs: QuerySet[Evaluation]) -> list[tuple[str, int]]:
    column = "figures__execution_rate_hundredths"
    aggregates: dict[str, Any] = {}
    for i, (_, low, high) in enumerate(EXECUTION_BANDS):
        where = Q(**{f"{column}__isnull": False})
        if low is not None:
            where &= Q(**{f"{column}__gte": low})
        if high is not None:
            where &= Q(**{f"{column}__lt": high})
        aggregates[f"b{i}"] = Count("id", filter=where)
    aggregates["none"] = Count("id", filter=Q(**{f"{column}__isnull": True}))
    counts = qs.aggregate(**aggregates)
    return [(label, counts[f"b{i}"]) for i, (label, _, _) in enumerate(EXECUTION_BANDS)] + [("无法计算", counts["none"])]


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


def _keyed(qs: QuerySet[Evaluation], sort: str) -> tuple[QuerySet[Evaluation], str]:
    column = SORTS[sort][1]
    if column == "budget_key":
        qs = qs.annotate(budget_key=Coalesce("figures__budget_adjusted", Value(Decimal(-1))))
    elif column == "execution_key":
        qs = qs.annotate(execution_key=Coalesce("figures__execution_rate_hundredths", Value(10 ** 12)))
    return qs, column


def _cursor_value(column: str, text: str) -> Any:
    if column == "updated_at":
        return dt.datetime.fromisoformat(text)
    if column == "budget_key":
        return Decimal(text)
    return int(text)


def page_of(scope: DeskScope, f: Filters, size: int = PAGE_SIZE, today: dt.date | None = None) -> tuple[list[Evaluation], str]:
    """One page of the filtered list in the chosen order, and the cursor of the next page ("" at the end)."""
    qs, column = _keyed(filtered(scope, f, today), f.sort)
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


def all_rows(scope: DeskScope, f: Filters, chunk: int = 2000) -> Iterator[Evaluation]:
    """Every row of the filtered list in order, page by page (keyset), for the .xlsx export."""
    cursor = ""
    while True:
        rows, cursor = page_of(scope, replace(f, after=cursor), size=chunk)
        yield from rows
        if not cursor:
            return
