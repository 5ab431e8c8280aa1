"""The finance bureau's desk at province scale, on PostgreSQL: dashboard pages and filters p95, with EXPLAIN plans.

Generates `--evaluations` evaluations of one year (default 5,000; a province is 50,000 with ~1,000,000
indicator rows) into a fresh PostgreSQL database: units in departments of ~500, each evaluation one of
60 realistic templates (the demo's five kinds of unit at 13 levels of achievement, indicators tripled
to 21 per evaluation, some with a wrong stated adjustment rate or grade), scored once by the real
engine, their desk rows (figures, indicator rows, findings) copied as the save would write them; the
states spread over the workflow; a tenth of the units also have last year's evaluation; a passed
self-evaluation deadline. Then every desk page and filter is requested `--repeat` times through
Django's test client (the whole view: queries, template, SVG), as the bureau and as a department's
reviewer, and p50/p95 printed; then the EXPLAIN ANALYZE plans of the list, the aggregates and an
anomaly query. Goal: every page under 1 s p95.

    python benchmarks/bench_desk.py                          # 5,000 evaluations (minutes)
    python benchmarks/bench_desk.py --evaluations 50000      # province scale (docs/desk.md)
    python benchmarks/bench_desk.py --database jx_desk_bench --evaluations 50000   # kept: a second run reuses it
    python benchmarks/bench_desk.py --fresh                  # generate again
    python benchmarks/bench_desk.py --database jx_desk_bench --evaluations 50000 --load-only   # data only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
YEAR = 2024
TEMPLATES = 60
KINDS = ("招商服务中心", "商务服务中心", "中学", "小学", "幼儿园")
STATES = ([("approved", "")] * 9 + [("pending", "unit")] * 2 + [("pending", "department")] * 2
          + [("pending", "finance")] * 3 + [("draft", "")] * 2 + [("returned", "")] + [("withdrawn", "")])


def _pg_ready(database: str) -> str | None:
    """Create `database` afresh unless kept; None when no PostgreSQL answers."""
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
            return "exists" if exists else "new"
    except psycopg.OperationalError:
        return None


def _recreate(database: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')


def _template(i: int) -> dict[str, Any]:
    from jixiao.web import demo

    kind = KINDS[i % len(KINDS)]
    factor = Decimal("0.55") + Decimal("0.05") * (i % 13)
    data = demo.unit_data(YEAR, f"样例{kind}", "样例部门", factor)
    tripled = []
    for indicator in data["indicators"]:
        weight = Decimal(indicator["weight"])
        parts = [weight / 3] * 3 if weight % 3 == 0 else [Decimal(3), Decimal(3), weight - 6]
        for k, part in enumerate(parts):
            tripled.append(dict(indicator, name=f"{indicator['name']}（{'甲乙丙'[k]}）", weight=str(part)))
    data["indicators"] = tripled
    if i % 7 == 0:
        data["budget"]["stated"] = {"adjustment_rate": "100"}  # the seed's slip: B006
    if i % 11 == 0:
        data["stated"] = {"grade": "优"}  # T004 where the total is not 优
    return data


def _copy(model: Any, rows: Iterable[Sequence[Any]], columns: Sequence[str]) -> None:
    """COPY rows (already database values, in `columns` order) into the model's table: ~20x bulk_create."""
    from django.db import connection

    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _prepared(obj: Any, skip_pk: bool = True) -> tuple[list[str], list[Any]]:
    """The columns and database values of an unsaved model instance (auto_now fields filled in)."""
    from django.db import connection
    from django.db.models import AutoField, BigAutoField, JSONField

    columns, values = [], []
    for f in obj._meta.concrete_fields:
        if skip_pk and isinstance(f, (AutoField, BigAutoField)):
            continue
        value = f.pre_save(obj, True)
        if isinstance(f, JSONField):
            value = json.dumps(value, ensure_ascii=False, cls=f.encoder)
        else:
            value = f.get_db_prep_save(value, connection)
        columns.append(f.column)
        values.append(value)
    return columns, values


def _template_rows(model: Any, objs: Iterable[Any]) -> tuple[list[str], list[list[Any]]]:
    """A template's rows for `model`, prepared once: the per-evaluation columns are replaced when copied."""
    columns: list[str] = []
    rows = []
    for obj in objs:
        columns, values = _prepared(obj)
        rows.append(values)
    return columns, rows


def load(evaluations: int) -> None:
    """The year's data, COPYed in batches: ~1M indicator rows in a few minutes, not an hour of saves."""
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction

    from jixiao.core.todo import StageKind
    from jixiao.web.desk import anomaly_rows
    from jixiao.web.desk import rows as desk_rows
    from jixiao.web.desk.models import AnomalyRow, EvaluationFigures, FindingRow, IndicatorRow, NarrativeBand
    from jixiao.web.evaluations import services
    from jixiao.web.evaluations.models import Evaluation, EvaluationVersion
    from jixiao.web.orgs.models import Membership, Organisation, OrgKind, Role
    from jixiao.web.planning.models import Task

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    templates = []
    probe = Evaluation(pk=0, year=YEAR, department_id=0, unit_id=0)
    for i in range(TEMPLATES):
        model = services.load_model(_template(i))
        result = services.score(model)
        indicators = list(desk_rows.indicator_rows_of(probe, result))
        templates.append({
            "anomalies": _template_rows(AnomalyRow, anomaly_rows.anomaly_rows_of(probe, indicators, AnomalyRow)),
            "bands": _template_rows(NarrativeBand, anomaly_rows.narrative_rows_of(probe, desk_rows.narrative_of(result),
                                                                                  NarrativeBand)),
            "data": services.to_data(model), "columns": services.summary_columns(result),
            "figures": _template_rows(EvaluationFigures, [desk_rows.figures_of(probe, 1, result)]),
            "indicators": _template_rows(IndicatorRow, indicators),
            "findings": _template_rows(FindingRow, desk_rows.finding_rows_of(probe, result)),
        })
    finance = Organisation.objects.create(name="省财政厅", kind=OrgKind.FINANCE)
    department_count = max(5, evaluations // 500)
    departments = Organisation.objects.bulk_create([
        Organisation(name=f"第{i + 1:03d}主管部门", kind=OrgKind.DEPARTMENT, parent=finance) for i in range(department_count)
    ])
    units = Organisation.objects.bulk_create([
        Organisation(name=f"第{i + 1:05d}{KINDS[(i % TEMPLATES) % len(KINDS)]}", kind=OrgKind.UNIT,
                     parent=departments[i % department_count], department=departments[i % department_count])
        for i in range(evaluations)
    ], batch_size=5000)
    print(f"  organisations and templates in {time.perf_counter() - started:.1f} s", flush=True)
    next_id = [1]

    def derived(model: Any, key: str, batch: list[tuple[int, int, Any]]) -> None:
        """COPY each evaluation's template rows for `model` with its id, year and department put in."""
        columns = next(t[key][0] for t in templates if t[key][0])  # a template without such rows has no columns
        at = {name: columns.index(name) for name in ("evaluation_id", "year", "department_id", "unit_id") if name in columns}

        def rows() -> Iterable[list[Any]]:
            for pk, year, unit in batch:
                for row in templates[unit.pk % TEMPLATES][key][1]:
                    row = list(row)
                    row[at["evaluation_id"]], row[at["year"]], row[at["department_id"]] = pk, year, unit.department_id
                    if "unit_id" in at:
                        row[at["unit_id"]] = unit.pk
                    yield row
        _copy(model, rows(), columns)

    def add_year(year: int, chosen: list[Organisation]) -> None:
        t0 = time.perf_counter()
        for start in range(0, len(chosen), 5000):
            batch = []
            evaluation_rows, version_rows = [], []
            e_columns: list[str] = []
            v_columns: list[str] = []
            for unit in chosen[start:start + 5000]:
                n = unit.pk
                state, stage = STATES[n % len(STATES)]
                template = templates[n % TEMPLATES]
                e = Evaluation(pk=next_id[0], unit=unit, department_id=unit.department_id, year=year,
                               title=f"{year}年度{unit.name}部门整体支出绩效自评", state=state, stage=stage,
                               current_version=1, **template["columns"])
                next_id[0] += 1
                e_columns, values = _prepared(e, skip_pk=False)
                evaluation_rows.append(values)
                v = EvaluationVersion(evaluation_id=e.pk, number=1, data=dict(template["data"], year=year), state=state,
                                      note="bench", **template["columns"])
                v_columns, values = _prepared(v)
                version_rows.append(values)
                batch.append((e.pk, year, unit))
            with transaction.atomic():
                _copy(Evaluation, evaluation_rows, e_columns)
                _copy(EvaluationVersion, version_rows, v_columns)
                derived(EvaluationFigures, "figures", batch)
                derived(IndicatorRow, "indicators", batch)
                derived(FindingRow, "findings", batch)
                derived(AnomalyRow, "anomalies", batch)
                derived(NarrativeBand, "bands", batch)
        print(f"  {len(chosen)} evaluations of {year} with their rows in {time.perf_counter() - t0:.1f} s", flush=True)

    add_year(YEAR, units)
    add_year(YEAR - 1, units[::10])
    t0 = time.perf_counter()
    for year in (YEAR - 1, YEAR):
        anomaly_rows.refresh_year(NarrativeBand, year)
    print(f"  narrative flags (shared / from last year) in {time.perf_counter() - t0:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('evaluations_evaluation', 'id'), %s)", [next_id[0]])
    Task.objects.create(kind=StageKind.SELF_EVALUATION.value, year=YEAR, title="自评", scope=finance,
                        deadline=__import__("datetime").date(YEAR + 1, 3, 31))
    bureau = User.objects.create_user("bench-finance", password="bench-password-2024")
    reviewer = User.objects.create_user("bench-department", password="bench-password-2024")
    Membership.objects.create(user=bureau, organisation=finance, role=Role.FINANCE_REVIEWER)
    Membership.objects.create(user=reviewer, organisation=departments[0], role=Role.DEPARTMENT_REVIEWER)
    _after_load()
    print(f"  loaded in {time.perf_counter() - started:.1f} s: {IndicatorRow.objects.count()} indicator rows, "
          f"{FindingRow.objects.count()} finding rows", flush=True)


def _after_load() -> None:
    """What a live database has done by itself: statistics gathered and the visibility map set (index-only scans)."""
    from django.db import connection

    old = connection.autocommit
    connection.set_autocommit(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.set_autocommit(old)


def measure(repeat: int) -> list[tuple[str, float]]:
    from django.contrib.auth.models import User
    from django.test import Client

    from jixiao.web.desk.models import SpotCheck
    from jixiao.web.evaluations.models import Evaluation
    from jixiao.web.orgs.models import Organisation, OrgKind

    department = Organisation.objects.filter(kind=OrgKind.DEPARTMENT).order_by("pk").first()
    assert department is not None
    unit = Evaluation.objects.filter(year=YEAR - 1).order_by("pk").values_list("unit_id", flat=True).first()
    clients = {}
    for name in ("bench-finance", "bench-department"):
        client = Client()
        client.force_login(User.objects.get(username=name))
        clients[name] = client
    bureau = clients["bench-finance"]
    from jixiao.web.desk import analytics_db as db

    everything = db.DeskScope(True, frozenset())
    cursor = db.Filters(year=YEAR).query(after=db.page_of(everything, db.Filters(year=YEAR))[1])
    if not SpotCheck.objects.exists():
        bureau.post("/desk/spotchecks/new/", {"year": YEAR, "size": 200, "seed": 2024, "name": "bench"})
    spot_check = SpotCheck.objects.order_by("-pk").first()
    y = f"year={YEAR}"
    pages = [
        ("bureau", f"/desk/?{y}"),
        ("bureau", f"/desk/?{y}&department={department.pk}"),
        ("bureau", f"/desk/?{y}&grade=良"),
        ("bureau", f"/desk/?{y}&stage=pending:finance"),
        ("bureau", f"/desk/?{y}&stage=overdue"),
        ("bureau", f"/desk/?{y}&code=B006"),
        ("bureau", f"/desk/?{y}&min=80&max=90"),
        ("bureau", f"/desk/?{y}&q=幼儿园"),
        ("bureau", f"/desk/?{y}&sort=execution"),
        ("bureau", f"/desk/?{y}&sort=budget"),
        ("bureau", f"/desk/?{cursor}"),
        ("department", f"/desk/?{y}"),
        ("bureau", f"/desk/anomalies/?{y}"),
        ("bureau", f"/desk/anomalies/?{y}&department={department.pk}"),
        ("department", f"/desk/anomalies/?{y}"),
        ("bureau", f"/desk/yoy/?unit={unit}"),
        ("bureau", f"/desk/spotchecks/?{y}"),
        ("bureau", f"/desk/spotchecks/{spot_check.pk}/" if spot_check else f"/desk/spotchecks/?{y}"),
    ]
    results = []
    for who, path in pages:
        client = clients["bench-finance" if who == "bureau" else "bench-department"]
        samples = []
        for i in range(repeat + 2):
            t0 = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - t0
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
            if i >= 2:  # two warm-up requests
                samples.append(elapsed)
        samples.sort()
        p95 = samples[max(0, int(len(samples) * 0.95) - 1)] * 1000
        print(f"  {who:<10} {path[:70]:<70} p50 {statistics.median(samples) * 1000:7.1f} ms  p95 {p95:7.1f} ms"
              f"{'' if p95 < 1000 else '  ✘ over 1 s'}", flush=True)
        results.append((path, p95))
    _time_saves()
    t0 = time.perf_counter()
    export = bureau.get(f"/desk/export.xlsx?{y}")
    print(f"  bureau     /desk/export.xlsx (all {YEAR} rows)  {time.perf_counter() - t0:.1f} s, {len(export.content) // 1024} KiB", flush=True)
    return results


def _time_saves(repeat: int = 5) -> None:
    """What the desk's rows cost a save at this size: the same version saved again, its narrative shared by hundreds."""
    from django.contrib.auth.models import User

    from jixiao.web.evaluations import services
    from jixiao.web.evaluations.models import Evaluation
    from jixiao.web.orgs.models import Membership, Role

    evaluation = Evaluation.objects.filter(year=YEAR, state="draft").order_by("pk").first()
    if evaluation is None:
        return
    user, _ = User.objects.get_or_create(username="bench-preparer")
    Membership.objects.get_or_create(user=user, organisation_id=evaluation.unit_id, role=Role.PREPARER)
    data = evaluation.versions.get(number=evaluation.current_version).data
    samples = []
    for _ in range(repeat):
        evaluation.refresh_from_db()
        t0 = time.perf_counter()
        services.save_version(user, evaluation, services.load_model(data), evaluation.current_version, note="bench")
        samples.append(time.perf_counter() - t0)
    print(f"  a save (version, scoring, desk rows, anomaly rows, narrative flags)  p50 "
          f"{statistics.median(samples) * 1000:.0f} ms, max {max(samples) * 1000:.0f} ms", flush=True)


def explain() -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the heaviest query of each kind of page, as the views run them."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(User.objects.get(username="bench-finance"))
    y = f"year={YEAR}"
    pages = {
        "dashboard: the grouped scan (every figure)": (f"/desk/?{y}", "GROUP BY"),
        "dashboard: the list, first page (sort by total)": (f"/desk/?{y}", "LIMIT 51"),
        "dashboard: a later page (keyset)": (f"/desk/?{y}&after=9000~1", "LIMIT 51"),
        "dashboard: most frequent error codes": (f"/desk/?{y}", "COUNT(DISTINCT"),
        "dashboard: not started (units without an evaluation)": (f"/desk/?{y}", "NOT (EXISTS"),
        "filter by finding code B006": (f"/desk/?{y}&code=B006", "LIMIT 51"),
        "search a unit (trigram index)": (f"/desk/?{y}&q=第00123", "LIKE UPPER"),
        "sort by budget": (f"/desk/?{y}&sort=budget", "LIMIT 51"),
        "anomaly D003 (stored at save time)": (f"/desk/anomalies/?{y}", "'D003'"),
        "anomaly D008 (narrative fingerprints, flagged rows)": (f"/desk/anomalies/?{y}", "MIN("),
    }
    for title, (path, marker) in pages.items():
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        found = [q["sql"] for q in ctx.captured_queries if marker in q["sql"]]
        if not found:
            print(f"\n-- {title}: no query with {marker!r}", flush=True)
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + found[0])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n-- {title}  ({path})\n{plan}", flush=True)


def _loaded() -> int:
    """How many evaluations of the year the database holds (0 before migrations)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('evaluations_evaluation') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute("SELECT count(*) FROM evaluations_evaluation WHERE year = %s", [YEAR])
        return int(cursor.fetchone()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluations", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--database", default="jixiao_bench_desk")
    parser.add_argument("--fresh", action="store_true", help="generate afresh even when the database holds the data")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--load-only", action="store_true",
                        help="generate (or keep) the data and stop: for bench_desk_jobs.py --existing")
    args = parser.parse_args()
    state = _pg_ready(args.database)
    if state is None:
        print("  PostgreSQL does not answer on 127.0.0.1:5432: skipped", flush=True)
        return 0
    if state == "new" or args.fresh:
        _recreate(args.database)
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("JIXIAO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    if _loaded() < args.evaluations:
        if state == "exists" and not args.fresh:
            from django.db import connection

            connection.close()
            _recreate(args.database)  # a partial or smaller load: start clean
        print(f"  loading {args.evaluations} evaluations into {args.database} …", flush=True)
        load(args.evaluations)
    else:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)  # new indices on the kept data
        print(f"  reusing the {_loaded()} evaluations of {YEAR} in {args.database} (--fresh to regenerate)", flush=True)
    if args.load_only:
        return 0
    results = measure(args.repeat)
    if not args.no_explain:
        explain()
    slow = [path for path, p95 in results if p95 >= 1000]
    print(f"\n  {len(results) - len(slow)}/{len(results)} desk pages under 1 s p95", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
