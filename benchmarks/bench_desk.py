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
    python benchmarks/bench_desk.py --keep                   # reuse the loaded database
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
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


def load(evaluations: int) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from jixiao.core.todo import StageKind
    from jixiao.web.desk import rows as desk_rows
    from jixiao.web.desk.models import EvaluationFigures, FindingRow, IndicatorRow
    from jixiao.web.evaluations import services
    from jixiao.web.evaluations.models import Evaluation, EvaluationVersion
    from jixiao.web.orgs.models import Membership, Organisation, OrgKind, Role
    from jixiao.web.planning.models import Task

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    templates = []
    for i in range(TEMPLATES):
        data = _template(i)
        model = services.load_model(data)
        result = services.score(model)
        templates.append((services.to_data(model), services.summary_columns(result), result))
    finance = Organisation.objects.create(name="省财政厅", kind=OrgKind.FINANCE)
    department_count = max(5, evaluations // 500)
    departments = Organisation.objects.bulk_create([
        Organisation(name=f"第{i + 1:03d}主管部门", kind=OrgKind.DEPARTMENT, parent=finance) for i in range(department_count)
    ])
    units = Organisation.objects.bulk_create([
        Organisation(name=f"第{i + 1:05d}{KINDS[(i % TEMPLATES) % len(KINDS)]}", kind=OrgKind.UNIT,
                     parent=departments[i % department_count], department=departments[i % department_count])
        for i in range(evaluations)
    ], batch_size=2000)
    print(f"  organisations and templates in {time.perf_counter() - started:.1f} s", flush=True)

    def add_year(year: int, chosen: list[Organisation]) -> None:
        t0 = time.perf_counter()
        for start in range(0, len(chosen), 2000):
            batch = chosen[start:start + 2000]
            items = []
            for unit in batch:
                n = unit.pk
                state, stage = STATES[n % len(STATES)]
                _, columns, _ = templates[n % TEMPLATES]
                items.append(Evaluation(unit=unit, department_id=unit.department_id, year=year, title=f"{year}年度{unit.name}部门整体支出绩效自评",
                                        state=state, stage=stage, current_version=1, **columns))
            Evaluation.objects.bulk_create(items)
            versions, figures, indicators, findings = [], [], [], []
            for e in items:
                data, columns, result = templates[e.unit_id % TEMPLATES]
                versions.append(EvaluationVersion(evaluation=e, number=1, data=dict(data, year=year), state=e.state, note="bench", **columns))
                figures.append(desk_rows.figures_of(e, 1, result))
                indicators.extend(desk_rows.indicator_rows_of(e, result))
                findings.extend(desk_rows.finding_rows_of(e, result))
            EvaluationVersion.objects.bulk_create(versions, batch_size=500)
            EvaluationFigures.objects.bulk_create(figures, batch_size=2000)
            IndicatorRow.objects.bulk_create(indicators, batch_size=5000)
            FindingRow.objects.bulk_create(findings, batch_size=5000)
        print(f"  {len(chosen)} evaluations of {year} with their rows in {time.perf_counter() - t0:.1f} s", flush=True)

    add_year(YEAR, units)
    add_year(YEAR - 1, units[::10])
    Task.objects.create(kind=StageKind.SELF_EVALUATION.value, year=YEAR, title="自评", scope=finance,
                        deadline=__import__("datetime").date(YEAR + 1, 3, 31))
    bureau = User.objects.create_user("bench-finance", password="bench-password-2024")
    reviewer = User.objects.create_user("bench-department", password="bench-password-2024")
    Membership.objects.create(user=bureau, organisation=finance, role=Role.FINANCE_REVIEWER)
    Membership.objects.create(user=reviewer, organisation=departments[0], role=Role.DEPARTMENT_REVIEWER)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  loaded in {time.perf_counter() - started:.1f} s: {IndicatorRow.objects.count()} indicator rows, "
          f"{FindingRow.objects.count()} finding rows", flush=True)


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
    first = bureau.get("/desk/", {"year": YEAR})
    cursor = first.context["next_query"]
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
    t0 = time.perf_counter()
    export = bureau.get(f"/desk/export.xlsx?{y}")
    print(f"  bureau     /desk/export.xlsx (all {YEAR} rows)  {time.perf_counter() - t0:.1f} s, {len(export.content) // 1024} KiB", flush=True)
    return results


def explain() -> None:
    from django.contrib.auth.models import User

    from jixiao.web.desk import analytics_db as db
    from jixiao.web.desk.analytics import AnomalyCode
    from jixiao.web.desk.analytics_anomalies import Finder, _indicator_rule
    from jixiao.web.desk.models import IndicatorRow

    scope = db.desk_scope(User.objects.get(username="bench-finance"))
    assert scope is not None
    f = db.Filters(year=YEAR)
    cursor = db.page_of(scope, f)[1]
    plans = {
        "list, first page (sort by total)": db._keyed(db.filtered(scope, f), "total")[0].order_by("-total_hundredths", "-id")[:51],
        "list, a later page (keyset)": _keyset(scope, f, cursor),
        "stage counts (GROUP BY state, stage)": db.filtered(scope, f).values("state", "stage").annotate(n=db.Count("id")).order_by(),
        "filter by finding code B006": db.filtered(scope, db.Filters(year=YEAR, code="B006")).order_by("-total_hundredths", "-id")[:51],
        "anomaly D004 (docked though met)": Finder(scope, YEAR)._rows(IndicatorRow).filter(_indicator_rule(AnomalyCode.DOCKED_THOUGH_MET, Finder(scope, YEAR).t)).order_by("evaluation_id", "position")[:101],
    }
    for title, qs in plans.items():
        print(f"\n-- {title}\n{qs.explain(analyze=True)}", flush=True)


def _keyset(scope: Any, f: Any, cursor: str) -> Any:
    from dataclasses import replace

    from jixiao.web.desk import analytics_db as db

    f = replace(f, after=cursor.split("after=")[-1].replace("%7E", "~") if "after=" in cursor else "")
    qs = db._keyed(db.filtered(scope, f), "total")[0]
    key, _, last = f.after.rpartition("~")
    if last:
        qs = qs.filter(db.Q(total_hundredths__lt=int(key)) | db.Q(total_hundredths=int(key), id__lt=int(last)))
    return qs.order_by("-total_hundredths", "-id")[:51]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluations", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--database", default="jixiao_bench_desk")
    parser.add_argument("--keep", action="store_true", help="reuse the database when it exists")
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args()
    state = _pg_ready(args.database)
    if state is None:
        print("  PostgreSQL does not answer on 127.0.0.1:5432: skipped", flush=True)
        return 0
    if state == "new" or not args.keep:
        _recreate(args.database)
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("JIXIAO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from jixiao.web.evaluations.models import Evaluation

    if state == "new" or not args.keep or not Evaluation.objects.exists():
        print(f"  loading {args.evaluations} evaluations into {args.database} …", flush=True)
        load(args.evaluations)
    results = measure(args.repeat)
    if not args.no_explain:
        explain()
    slow = [path for path, p95 in results if p95 >= 1000]
    print(f"\n  {len(results) - len(slow)}/{len(results)} desk pages under 1 s p95", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
