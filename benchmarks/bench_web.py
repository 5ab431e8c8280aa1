"""Web app latency with 10,000 units and 20 concurrent clients on loopback, on SQLite and PostgreSQL.

For each database: load 10,000 units with one evaluation each (bulk_create), start the real server
(gunicorn on 127.0.0.1, 3 workers × 1 thread, as `jixiao serve` runs it), and let 20 client threads
— each a unit's preparer with its own session — repeat: the finance-wide list page (10,000 rows, paginated), their edit page, and a save (a new
version). Requests per client and total time are bounded. Prints p50/p95 per page kind and the
peak memory of the server processes. Goal: p95 < 200 ms for pages, < 300 ms for a save.

    python benchmarks/bench_web.py                 # both databases (PostgreSQL when 127.0.0.1:5432 answers)
    python benchmarks/bench_web.py --units 2000    # smaller
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PG_BENCH_DB = "jixiao_bench"
PASSWORD = "bench-password-2024"
CLIENTS = 20


# ---- loading (runs in a child process with its own DATABASE_URL) -----------------------------

def load(units: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from jixiao.io.evaluation_file import read_evaluation
    from jixiao.web.evaluations import services
    from jixiao.web.evaluations.models import Evaluation, EvaluationVersion
    from jixiao.web.orgs.models import Membership, Organisation, OrgKind, Role

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    model = read_evaluation(ROOT / "examples" / "xinshi-commerce-2024.yaml")
    data = services.to_data(model)
    columns = services.summary_columns(services.score(model))
    finance = Organisation.objects.create(name="财政局", kind=OrgKind.FINANCE)
    departments = Organisation.objects.bulk_create(
        [Organisation(name=f"部门{i:03d}", kind=OrgKind.DEPARTMENT, parent=finance) for i in range(100)]
    )
    orgs = Organisation.objects.bulk_create([
        Organisation(name=f"单位{i:05d}", kind=OrgKind.UNIT, parent=departments[i % 100], department=departments[i % 100])
        for i in range(units)
    ], batch_size=1000)
    states = [("draft", ""), ("pending", "unit"), ("pending", "department"), ("pending", "finance"),
              ("returned", ""), ("approved", "")]
    evaluations = Evaluation.objects.bulk_create([
        Evaluation(unit=unit, department=unit.department, year=2024, title=unit.name, kind="department",
                   state=states[i % len(states)][0] if i >= CLIENTS else "draft",
                   stage=states[i % len(states)][1] if i >= CLIENTS else "", current_version=1, **columns)
        for i, unit in enumerate(orgs)
    ], batch_size=1000)
    EvaluationVersion.objects.bulk_create([
        EvaluationVersion(evaluation=e, number=1, data=data, state=e.state, note="bench", **columns) for e in evaluations
    ], batch_size=500)
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [User(username="finance", password=hashed)] + [User(username=f"prep{i}", password=hashed) for i in range(CLIENTS)]
    )
    Membership.objects.bulk_create(
        [Membership(user=users[0], organisation=finance, role=Role.FINANCE_REVIEWER)]
        + [Membership(user=users[i + 1], organisation=orgs[i], role=Role.PREPARER) for i in range(CLIENTS)]
    )
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh planner statistics, as autovacuum would gather in production
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  loaded {units} units with evaluations in {time.perf_counter() - started:.1f} s", flush=True)
    for i, evaluation in enumerate(evaluations[:CLIENTS]):
        print(f"EVAL prep{i} {evaluation.pk}", flush=True)


# ---- the clients ----------------------------------------------------------------------------

class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, fields: list[tuple[str, str]]) -> int:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        body = urllib.parse.urlencode([*fields, ("csrfmiddlewaretoken", token)]).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            error.read()
            return error.code

    def login(self, username: str) -> None:
        self.get("/login/")
        status = self.post("/login/", [("username", username), ("password", PASSWORD)])
        if status != 302:
            raise RuntimeError(f"login of {username} failed: HTTP {status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        return fp


def form_fields(page: str) -> list[tuple[str, str]]:
    """The edit form's inputs as the browser would send them (text inputs, textareas, selects)."""
    form = page[page.index('id="edit-form"'):page.index("</form>", page.index('id="edit-form"'))]
    fields: list[tuple[str, str]] = []
    for match in re.finditer(r'<input type="(?:text|hidden|date)"[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', form):
        fields.append((match.group(1), _unescape(match.group(2))))
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields.append((match.group(1), _unescape(match.group(2))))
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', match.group(2))
        fields.append((match.group(1), _unescape(chosen.group(1)) if chosen else ""))
    return [f for f in fields if f[0] != "csrfmiddlewaretoken"]


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def run_clients(base: str, evaluations: dict[str, int], rounds: int, limit_s: float,
                think_s: float, server_pid: int) -> tuple[dict[str, list[float]], float, float]:
    """Each client logs in first (outside the measurement), then does `rounds` of list → edit → save,
    pausing `think_s` (±50%, like a person reading) between requests; 0 means back to back.
    Returns the samples and the wall-clock and server CPU time of the measured part."""
    samples: dict[str, list[float]] = {"list": [], "edit": [], "save": []}
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(len(evaluations))
    deadline = [0.0]
    measured_from = [0.0, 0.0]  # wall clock, server CPU when every client has logged in

    def think(rng: random.Random) -> None:
        if think_s:
            time.sleep(think_s * rng.uniform(0.5, 1.5))

    def client(name: str, pk: int) -> None:
        rng = random.Random(name)
        try:
            viewer, preparer = Client(base), Client(base)
            viewer.login("finance")
            preparer.login(name)
        except Exception as exc:
            with lock:
                errors.append(f"{name}: {exc}")
            ready.abort()
            return
        if ready.wait() == 0:
            deadline[0] = time.monotonic() + limit_s
            measured_from[:] = [time.perf_counter(), cpu_tree_s(server_pid)]
        think(rng)
        try:
            for round_no in range(rounds):
                if deadline[0] and time.monotonic() > deadline[0]:
                    return
                t0 = time.perf_counter()
                status, _ = viewer.get(f"/?page={round_no % 50 + 1}")
                t1 = time.perf_counter()
                think(rng)
                t1b = time.perf_counter()
                status2, page = preparer.get(f"/e/{pk}/edit/")
                t2 = time.perf_counter()
                fields = [(k, v) for k, v in form_fields(page) if k != "ind-0-actual"] + [("ind-0-actual", str(round_no % 5))]
                think(rng)
                t2b = time.perf_counter()
                status3 = preparer.post(f"/e/{pk}/edit/", fields)
                t3 = time.perf_counter()
                if (status, status2, status3) != (200, 200, 302):
                    raise RuntimeError(f"{name}: HTTP {status}/{status2}/{status3}")
                with lock:
                    samples["list"].append(t1 - t0)
                    samples["edit"].append(t2 - t1b)
                    samples["save"].append(t3 - t2b)
                think(rng)
        except Exception as exc:  # report, keep the other clients going
            with lock:
                errors.append(f"{name}: {exc}")

    threads = [threading.Thread(target=client, args=(name, pk)) for name, pk in evaluations.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for error in errors[:5]:
        print("  client error:", error)
    return samples, time.perf_counter() - measured_from[0], cpu_tree_s(server_pid) - measured_from[1]


# ---- orchestration --------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_tree_mib(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, summed."""
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    total = 0
    for child in pids:
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return total / 1024


def cpu_tree_s(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children (the gunicorn workers)."""
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    ticks = 0
    for child in pids:
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(q * len(ordered)) - 1)] * 1000


def bench(label: str, database_url: str, units: int, rounds: int, limit_s: float, workers: int, threads: int,
          thinks: list[float]) -> None:
    print(f"\n--- {label}: {units} units, {CLIENTS} concurrent clients, gunicorn {workers} workers × {threads} threads ---",
          flush=True)
    home = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    env = {**os.environ, "DATABASE_URL": database_url, "JIXIAO_HOME": str(home), "JIXIAO_SECRET_KEY": "bench-" * 10,
           "DJANGO_SETTINGS_MODULE": "jixiao.web.settings"}
    loaded = subprocess.run([sys.executable, __file__, "--load", str(units)], env=env, capture_output=True, text=True,
                            check=True, cwd=ROOT)
    evaluations = {}
    for line in loaded.stdout.splitlines():
        if line.startswith("EVAL "):
            _, name, pk = line.split()
            evaluations[name] = int(pk)
        else:
            print(line)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "jixiao.web.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--no-control-socket", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        for think_s in thinks:
            own_before = time.process_time()
            samples, elapsed, server_cpu = run_clients(base, evaluations, rounds, limit_s, think_s, server.pid)
            client_cpu = time.process_time() - own_before
            total = sum(len(v) for v in samples.values())
            pause = f"think time {think_s:g} s between requests" if think_s else "no think time (back to back)"
            print(f"  {pause}: {total} requests in {elapsed:.1f} s = {total / elapsed:.0f}/s (after the logins); "
                  f"server CPU {server_cpu / max(total, 1) * 1000:.1f} ms/request; "
                  f"load-generating client CPU {client_cpu:.1f} s (incl. logins); {os.cpu_count()} cores")
            print_samples(samples)
        print(f"  server peak RSS (master + workers): {rss_tree_mib(server.pid):.0f} MiB")
    finally:
        server.terminate()
        server.wait(timeout=30)


def print_samples(samples: dict[str, list[float]]) -> None:
    goals = {"list": 200, "edit": 200, "save": 300}
    for kind, values in samples.items():
        if not values:
            print(f"    {kind:<5} no samples")
            continue
        p95 = pct(values, 0.95)
        verdict = "ok" if p95 < goals[kind] else "OVER GOAL"
        print(f"    {kind:<5} n={len(values):<4} p50 {statistics.median(values) * 1000:7.1f} ms  p95 {p95:7.1f} ms"
              f"  max {max(values) * 1000:7.1f} ms  (goal p95 < {goals[kind]} ms: {verdict})", flush=True)


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def recreate_pg_database() -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_BENCH_DB


def drop_pg_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--load", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=10, help="list+edit+save rounds per client")
    parser.add_argument("--seconds", type=float, default=60, help="stop the clients after this long")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--think", type=float, action="append",
                        help="seconds between a client's requests (repeatable; default: 1 and then 0)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="which to measure, comma-separated")
    args = parser.parse_args()
    if args.load:
        load(args.load)
        return
    thinks = args.think or [1.0, 0.0]
    if "sqlite" in args.databases:
        bench("SQLite", f"sqlite:///{tempfile.mkdtemp(prefix='jixiao-bench-db-')}/bench.sqlite3", args.units, args.rounds,
              args.seconds, args.workers, args.threads, thinks)
    if "postgresql" not in args.databases:
        pass
    elif postgres_available():
        try:
            bench("PostgreSQL", recreate_pg_database(), args.units, args.rounds, args.seconds, args.workers, args.threads, thinks)
        finally:
            drop_pg_database()
    else:
        print("\n--- PostgreSQL: 127.0.0.1:5432 not reachable, skipped ---")
    import resource

    print(f"\nbenchmark client peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
