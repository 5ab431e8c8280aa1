"""The desk's long work at scale: the bureau's summary report, the open-data export and the year's list as .xlsx.

Generates a year of evaluations straight into the desk's tables (units, evaluations with their summary
columns, a small current version holding the units' own 存在的主要问题, the figures row, 20 indicator rows and
a few finding rows each), then, each in a fresh process so its peak memory is its own:
- the summary report: gather every figure (`jixiao.web.desk.summary.gather`) and write .docx (with charts)
  and .xlsx — goal < 30 s at province scale (50,000 evaluations);
- the open-data package (`jixiao.web.desk.opendata.write_package`, what `jixiao opendata` runs), 1,000,000
  indicator rows at province scale — goal < 60 s with flat memory: it is run at a fifth of the size as
  well, and the peak memory of both runs is printed (the process's maximum resident size; with
  --trace-memory also Python's own allocations by tracemalloc, which slows the timed run);
- the dashboard's whole-year list export (`/desk/export.xlsx`, through the view) — goal < 30 s.
Each line prints the wall time, the process's CPU time (the machine is shared: wall time under load
is an upper bound) and its goal.

    python benchmarks/bench_desk_jobs.py                     # SQLite 5,000; PostgreSQL 50,000 when 127.0.0.1:5432 answers
    python benchmarks/bench_desk_jobs.py --evaluations 2000  # both smaller
    JIXIAO_BENCH_PG=postgresql://postgres@127.0.0.1:5432/postgres python benchmarks/bench_desk_jobs.py --pg-db mine
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = 20
PROBLEMS = [
    "部分项目预算执行进度偏慢，资金支付集中在第四季度。",
    "个别绩效指标设置不够细化量化，目标值偏低。",
    "项目前期论证不充分，实施过程中调整较多。",
    "专业人员不足，绩效管理能力有待提高。",
    "政策宣传力度不够，服务对象满意度调查覆盖面不广。",
]


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()


def load(url: str, evaluations: int) -> None:
    _django(url)
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection

    from jixiao.web.desk.models import EvaluationFigures, FindingRow, IndicatorRow
    from jixiao.web.evaluations.models import Evaluation, EvaluationVersion
    from jixiao.web.orgs.models import Organisation, OrgKind

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    rng = random.Random(2024)
    finance = Organisation.objects.create(name="财政局", kind=OrgKind.FINANCE)
    departments = Organisation.objects.bulk_create(
        [Organisation(name=f"部门{i:03d}", kind=OrgKind.DEPARTMENT, parent=finance) for i in range(100)])
    units = Organisation.objects.bulk_create([
        Organisation(name=f"单位{i:05d}", kind=OrgKind.UNIT, parent=departments[i % 100], department=departments[i % 100])
        for i in range(evaluations)], batch_size=2000)
    grades = [("优", 9300), ("良", 8500), ("中", 7000), ("差", 5500)]
    states = ["approved"] * 6 + ["pending", "draft", "returned"]
    for start in range(0, evaluations, 5000):
        chunk = units[start : start + 5000]
        rows = []
        for unit in chunk:
            grade, total = grades[min(3, int(rng.expovariate(1.2)))]
            rows.append(Evaluation(unit=unit, department=unit.department, year=2024, title=unit.name, kind="department",
                                   state=rng.choice(states), current_version=1, total_hundredths=total + rng.randint(-300, 300),
                                   grade=grade, error_count=rng.choice([0, 0, 0, 1, 2]), warning_count=rng.randint(0, 5)))
        saved = Evaluation.objects.bulk_create(rows, batch_size=2000)
        EvaluationVersion.objects.bulk_create([
            EvaluationVersion(evaluation=e, number=1, state=e.state, note="bench", total_hundredths=e.total_hundredths,
                              grade=e.grade, data={"unit": {"name": e.title}, "year": 2024,
                                                   "narrative": {"problems": rng.sample(PROBLEMS, rng.randint(0, 3))}})
            for e in saved], batch_size=2000)
        figures, indicators, findings = [], [], []
        for e in saved:
            adjusted = Decimal(rng.randint(5_000, 500_000)) / 100
            rate = rng.choice([10000, 10000, 9950, 9800, 9500, 9000, 8500, 7000, 5000])
            figures.append(EvaluationFigures(evaluation=e, year=2024, department_id=e.department_id, version_number=1,
                                             budget_initial=adjusted, budget_adjusted=adjusted,
                                             budget_executed=(adjusted * rate / 10000).quantize(Decimal("0.01")),
                                             execution_rate_hundredths=rate, execution_score_hundredths=rate // 10,
                                             indicator_count=INDICATORS))
            for position in range(INDICATORS):
                target = Decimal(rng.randint(1, 500))
                actual = target * Decimal(rng.choice([100, 100, 100, 95, 110, 130, 80])) / 100
                indicators.append(IndicatorRow(
                    evaluation=e, year=2024, department_id=e.department_id, position=position, level1="产出指标",
                    level2="数量指标", name=f"指标{position:02d}", kind="quantitative", direction="positive",
                    comparator=">=", unit="个", target=target, actual=actual, weight_hundredths=450,
                    score_hundredths=450 if actual >= target else 300, completion_rate_hundredths=int(actual / target * 10000),
                    met=actual >= target, overachieved=actual >= target * Decimal("1.3")))
            for code in rng.sample(["I007", "I009", "B004", "T003", "I019", "E002"], rng.randint(0, 3)):
                findings.append(FindingRow(evaluation=e, year=2024, department_id=e.department_id, code=code,
                                           severity="warning"))
        EvaluationFigures.objects.bulk_create(figures, batch_size=2000)
        IndicatorRow.objects.bulk_create(indicators, batch_size=5000)
        FindingRow.objects.bulk_create(findings, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  loaded {evaluations} evaluations, {evaluations * INDICATORS} indicator rows in "
          f"{time.perf_counter() - started:.1f} s", flush=True)


# tracemalloc slows every allocation (the list export ran ~10x slower under it), so the timed runs leave
# it off and judge memory by the process's maximum resident size; --trace-memory adds Python's own peak.
TRACE = os.environ.get("JIXIAO_BENCH_TRACE") == "1"


def _start() -> float:
    if TRACE:
        import tracemalloc

        tracemalloc.start()
    return time.process_time()


def _peak(cpu_started: float) -> dict[str, Any]:
    """Peak memory and the job's CPU time: on a shared machine the wall time says as much about the
    neighbours as about the job."""
    import tracemalloc

    traced = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if TRACE else None
    return {"python_peak_mib": traced, "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "cpu_s": time.process_time() - cpu_started}


def _memory(r: dict[str, Any]) -> str:
    traced = "" if r["python_peak_mib"] is None else f"python peak {r['python_peak_mib']:.1f} MiB, "
    return f"{traced}max RSS {r['max_rss_mib']:.0f} MiB"


def run_summary(url: str) -> dict[str, Any]:
    _django(url)
    from jixiao.report.summary import write_summary
    from jixiao.web.desk.summary import gather

    cpu = _start()
    started = time.perf_counter()
    summary = gather(2024, None)
    gathered = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as work:
        write_summary(summary, Path(work) / "summary.docx")
        write_summary(summary, Path(work) / "summary.xlsx")
    return {"gather_s": gathered, "total_s": time.perf_counter() - started, "covered": summary.covered, **_peak(cpu)}


def run_opendata(url: str, limit: int | None) -> dict[str, Any]:
    _django(url)
    from jixiao.web.desk import opendata

    if limit is not None:  # a smaller year: the same query over the first `limit` evaluations' department subset
        from jixiao.web.evaluations.models import Evaluation

        cut = Evaluation.objects.order_by("id").values_list("id", flat=True)[limit - 1]
        real = opendata._published
        opendata._published = lambda year: real(year).filter(id__lte=cut)  # type: ignore[assignment]
    cpu = _start()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        stats = opendata.write_package(2024, Path(work))
        size = sum(f.stat().st_size for f in stats.files)
    return {"seconds": time.perf_counter() - started, "evaluations": stats.evaluations, "indicators": stats.indicators,
            "mib_written": size / 1024 / 1024, **_peak(cpu)}


def run_export(url: str) -> dict[str, Any]:
    """The dashboard's whole-year list as .xlsx, through the view (Django's test client), as the bureau."""
    os.environ.setdefault("JIXIAO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    _django(url)
    from django.contrib.auth.models import User
    from django.test import Client

    from jixiao.web.orgs.models import Membership, Organisation, OrgKind, Role

    user, created = User.objects.get_or_create(username="bench-jobs-finance")
    if created:
        finance = Organisation.objects.filter(kind=OrgKind.FINANCE).order_by("pk").first()
        Membership.objects.create(user=user, organisation=finance, role=Role.FINANCE_REVIEWER)
    client = Client()
    client.force_login(user)
    cpu = _start()
    started = time.perf_counter()
    response = client.get("/desk/export.xlsx?year=2024")
    if response.status_code != 200:
        raise RuntimeError(f"export: HTTP {response.status_code}")
    seconds = time.perf_counter() - started
    measured = _peak(cpu)
    from openpyxl import load_workbook

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        f.write(response.content)
        f.flush()
        rows = sum(1 for _ in load_workbook(f.name, read_only=True)["自评列表"].iter_rows()) - 1
    return {"seconds": seconds, "rows": rows, "kib": len(response.content) // 1024, **measured}


def child(phase: str, url: str, *extra: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--phase", phase, "--url", url, *extra], cwd=ROOT,
                         capture_output=True, text=True, check=False, env=dict(os.environ, JIXIAO_HOME=str(HOME)))
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    lines = out.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line, flush=True)
    return json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}


HOME = Path(tempfile.mkdtemp(prefix="jixiao-bench-jobs-"))


def _verdict(seconds: float, goal: float) -> str:
    return f"goal < {goal:.0f} s {'✔' if seconds < goal else '✘ over'}"


def bench(label: str, url: str, evaluations: int, load: bool = True) -> None:
    print(f"--- {label}: {evaluations} evaluations (load average {os.getloadavg()[0]:.1f}: the machine's other work "
          f"slows the wall times; CPU is this process's own)", flush=True)
    if load:
        child("load", url, "--evaluations", str(evaluations))
    s = child("summary", url)
    print(f"  summary report   {s['total_s']:6.2f} s (gather {s['gather_s']:.2f} s, then .docx + .xlsx; CPU {s['cpu_s']:.1f} s; "
          f"{s['covered']} evaluations covered; {_memory(s)})  {_verdict(s['total_s'], 30)}", flush=True)
    small = child("opendata", url, "--limit", str(max(1, evaluations // 5)))
    full = child("opendata", url)
    for name, r in (("open data (1/5)", small), ("open data", full)):
        print(f"  {name:<16} {r['seconds']:6.2f} s (CPU {r['cpu_s']:.1f} s): {r['evaluations']} evaluations, "
              f"{r['indicators']} indicators, {r['mib_written']:.0f} MiB written; {_memory(r)}  "
              f"{_verdict(r['seconds'], 60)}, flat memory", flush=True)
    grown = full["max_rss_mib"] - small["max_rss_mib"]
    print(f"  open data memory: max RSS {small['max_rss_mib']:.0f} → {full['max_rss_mib']:.0f} MiB for 5× the rows "
          f"({'flat' if grown < 20 else '✘ grows'})", flush=True)
    e = child("export", url)
    print(f"  list export      {e['seconds']:6.2f} s (CPU {e['cpu_s']:.1f} s): /desk/export.xlsx, {e['rows']} rows, "
          f"{e['kib']} KiB; {_memory(e)}  {_verdict(e['seconds'], 30)}", flush=True)


def _pg_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", choices=["load", "summary", "opendata", "export"])
    parser.add_argument("--url")
    parser.add_argument("--evaluations", type=int)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--pg-db", default="jixiao_bench_jobs")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--trace-memory", action="store_true", help="also Python's peak allocations (slower runs)")
    parser.add_argument("--existing", metavar="URL",
                        help="measure a database already loaded (bench_desk.py's 50,000: --existing postgresql://…/jx_desk_bench)")
    args = parser.parse_args()
    if args.trace_memory:
        os.environ["JIXIAO_BENCH_TRACE"] = "1"
        global TRACE
        TRACE = True
    if args.existing:
        bench("existing database", args.existing, args.evaluations or 50000, load=False)
        return 0
    if args.phase == "load":
        load(args.url, args.evaluations)
        return 0
    if args.phase == "summary":
        print(json.dumps(run_summary(args.url)))
        return 0
    if args.phase == "opendata":
        print(json.dumps(run_opendata(args.url, args.limit)))
        return 0
    if args.phase == "export":
        print(json.dumps(run_export(args.url)))
        return 0
    if not args.no_sqlite:
        bench("SQLite", f"sqlite:///{HOME / 'bench.sqlite3'}", args.evaluations or 5000)
    if not args.no_pg and _pg_answers():
        admin = os.environ.get("JIXIAO_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
        base = admin.rsplit("/", 1)[0]
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.pg_db}"')
            conn.execute(f'CREATE DATABASE "{args.pg_db}"')
        try:
            bench("PostgreSQL", f"{base}/{args.pg_db}", args.evaluations or 50000)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.pg_db}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
