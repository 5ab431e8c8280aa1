"""The edit page, a save and the detail page at 50 … 500 indicators (the bound), in-process on SQLite.

One evaluation per size in a fresh database; each page is fetched through Django's test client
(no server, no network, no test-run template instrumentation) and timed best of three in CPU
seconds of this process (steady on a shared machine), so the numbers are the view's own cost: the
form, the live scoring, the rendering; SQLite's work is in-process and counted too. Goal: every page under
1 s at 500 rows on an idle machine, and time that grows with the rows, not with their square.

    python benchmarks/bench_edit_page.py
    python benchmarks/bench_edit_page.py --sizes 100 500
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 1.0


def _data(seed: dict[str, Any], count: int, year: int) -> dict[str, Any]:
    base = seed["indicators"]
    data = dict(seed, year=year)
    data["indicators"] = [dict(base[i % len(base)], name=f"{base[i % len(base)]['name']}{i}") for i in range(count)]
    return data


def _best(call: Any, times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 250, 500])
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="jixiao-bench-edit-")
    os.environ.update(JIXIAO_HOME=home, DJANGO_SETTINGS_MODULE="jixiao.web.settings")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from jixiao.io.evaluation_file import read_evaluation
    from jixiao.web.evaluations import services
    from jixiao.web.orgs.models import Membership, Organisation, OrgKind, Role
    from web.conftest import form_post

    call_command("migrate", interactive=False, verbosity=0)
    finance = Organisation.objects.create(name="财政局", kind=OrgKind.FINANCE)
    department = Organisation.objects.create(name="商务局", kind=OrgKind.DEPARTMENT, parent=finance)
    seed = services.to_data(read_evaluation(ROOT / "examples" / "xinshi-commerce-2024.yaml"))
    unit = Organisation.objects.create(name=seed["unit"]["name"], kind=OrgKind.UNIT, parent=department)
    user = User.objects.create_user("bench", password="bench-password-2024")
    Membership.objects.create(user=user, organisation=unit, role=Role.PREPARER)
    client = Client()
    client.force_login(user)

    print(f"{'indicators':>10} {'edit page':>10} {'save':>8} {'detail':>8}   per row (edit)", flush=True)
    slowest = 0.0
    for n, size in enumerate(args.sizes):
        evaluation = services.create_evaluation(user, unit, services.load_model(_data(seed, size, 2000 + n)))
        url = f"/e/{evaluation.pk}/edit/"
        client.get(url)  # warm: templates compiled, rules loaded
        edit = _best(lambda url=url: client.get(url))

        def save(evaluation: Any = evaluation, url: str = url) -> None:
            evaluation.refresh_from_db()
            version = evaluation.versions.get(number=evaluation.current_version)
            post = form_post(version.data, version.number, **{"ind-0-actual": str(version.number)})
            # form-urlencoded, as the browser sends the edit form (the test client's default, multipart,
            # would time Django's multipart parser instead)
            body = urlencode(post, doseq=True)
            assert client.post(url, body, content_type="application/x-www-form-urlencoded").status_code == 302

        saved = _best(save)
        detail = _best(lambda pk=evaluation.pk: client.get(f"/e/{pk}/"))
        slowest = max(slowest, edit, saved, detail) if size == max(args.sizes) else slowest
        print(f"{size:>10} {edit:>9.3f}s {saved:>7.3f}s {detail:>7.3f}s   {edit / size * 1000:.2f} ms", flush=True)
    verdict = "ok" if slowest < GOAL_S else "over"
    print(f"slowest page at {max(args.sizes)} rows: {slowest:.3f} s (goal < {GOAL_S:.0f} s idle: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
