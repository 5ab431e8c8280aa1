"""Fixtures for the web app: an organisation tree with a user in every role, and evaluations.

Every web test runs on SQLite (the users' default). `make test` runs those whose outcome the database
engine decides (ON_POSTGRESQL, marked `postgresql`) a second time on PostgreSQL by setting
DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test (pytest-django creates its own test database,
test_<name>_gw0 and so on).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jixiao.io.evaluation_file import read_evaluation
from jixiao.web.evaluations import editing, services
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.orgs.models import Membership, Organisation, OrgKind, Role

SEED = Path(__file__).resolve().parents[2] / "examples" / "xinshi-commerce-2024.yaml"
PASSWORD = "a-long-test-password-1"
# What a preparer ticks (and writes) to submit with warnings, and a reviewer ticks to approve with findings.
CONFIRM = {"confirmed": True, "reason": "已逐项核对上述警告"}
CONFIRM_POST = {"confirm": "1", "reason": "已逐项核对上述警告"}


@dataclass
class World:
    finance: Organisation
    dept_a: Organisation
    dept_b: Organisation
    unit_a1: Organisation
    unit_a2: Organisation
    unit_b1: Organisation
    users: dict[str, User]
    seed_data: dict[str, Any]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client

    def evaluation(self, unit: Organisation | None = None, preparer: str = "prep_a1", ready: bool = False,
                   year: int | None = None) -> Evaluation:
        """The seed for `unit`; `ready`: with its errors (the stated 100% 调整率, the narrative's −8% and
        240亿元 against the indicators' 0% and 241亿元) corrected, so the rule set lets it be submitted
        once its warnings are confirmed (see CONFIRM); `year`: another year than the seed's."""
        unit = unit or self.unit_a1
        data = dict(self.seed_data, unit=dict(self.seed_data["unit"], name=unit.name), year=year or self.seed_data["year"])
        if ready:
            data["budget"] = dict(data["budget"], stated=dict(data["budget"]["stated"], adjustment_rate="0"))
            key_work = data["narrative"]["key_work"].replace("同比下降8%", "同比持平")
            key_work = key_work.replace("完成区上任务240亿元的101.9%", "完成区上任务241亿元的101.5%")
            data["narrative"] = dict(data["narrative"], key_work=key_work)
        return services.create_evaluation(self.users[preparer], unit, services.load_model(data))


def _user(name: str, org: Organisation | None = None, role: Role | None = None, **extra: Any) -> User:
    user = User.objects.create_user(name, password=PASSWORD, **extra)
    if org is not None and role is not None:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Production hashes with PBKDF2 (slow on purpose); tests create many users, so hash them quickly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    finance = Organisation.objects.create(name="财政局", kind=OrgKind.FINANCE)
    dept_a = Organisation.objects.create(name="商务局", kind=OrgKind.DEPARTMENT, parent=finance)
    dept_b = Organisation.objects.create(name="教育局", kind=OrgKind.DEPARTMENT, parent=finance)
    unit_a1 = Organisation.objects.create(name="商务局本级", kind=OrgKind.UNIT, parent=dept_a)
    unit_a2 = Organisation.objects.create(name="招商服务中心", kind=OrgKind.UNIT, parent=dept_a)
    unit_b1 = Organisation.objects.create(name="第一中学", kind=OrgKind.UNIT, parent=dept_b)
    users = {
        "prep_a1": _user("prep_a1", unit_a1, Role.PREPARER),
        "head_a1": _user("head_a1", unit_a1, Role.UNIT_HEAD),
        "prep_a2": _user("prep_a2", unit_a2, Role.PREPARER),
        "prep_b1": _user("prep_b1", unit_b1, Role.PREPARER),
        "dept_a": _user("dept_a", dept_a, Role.DEPARTMENT_REVIEWER),
        "dept_b": _user("dept_b", dept_b, Role.DEPARTMENT_REVIEWER),
        "finance": _user("finance", finance, Role.FINANCE_REVIEWER),
        "nobody": _user("nobody"),
        "admin": _user("admin", is_superuser=True, is_staff=True),
    }
    seed = services.to_data(read_evaluation(SEED))
    return World(finance, dept_a, dept_b, unit_a1, unit_a2, unit_b1, users, seed)


def form_post(data: dict[str, Any], base_version: int, **changes: str) -> dict[str, Any]:
    """The POST body the edit page sends for `data`, with some inputs changed."""
    state = editing.state_from_data(data)
    post: dict[str, Any] = {"base_version": str(base_version)}
    for _, cells in state.sections:
        post.update({cell.name: cell.value for cell in cells})
    for prefix, rows in state.tables.items():
        post[f"{prefix}-row"] = [row.key for row in rows]
        for row in rows:
            post[f"{prefix}-{row.key}-orig"] = row.orig
            post.update({cell.name: cell.value for cell in row.cells + row.details})
    post.update(changes)
    return post


# The web tests whose outcome PostgreSQL can change, by file (or file::test), and what it can change.
# The rest exercise forms, pages, file readers and writers through the ORM's portable single-table
# queries; every view still runs on PostgreSQL once in the permission matrix, and every write path in
# the services, planning and chain tests.
ON_POSTGRESQL = {
    "test_append_only.py": "PostgreSQL's own triggers refuse UPDATE and DELETE of the trail",
    "test_backup.py": "restore in one transaction, sequences set after it (PostgreSQL's branch)",
    "test_migrations.py": "migrations with a PostgreSQL branch (triggers, indices, regrading)",
    "test_workflow_guards.py": "row locks (select_for_update) are real only on PostgreSQL",
    "test_services.py": "versions and optimistic locking inside transactions",
    "test_duplicates.py": "a unique constraint broken inside a transaction (PostgreSQL aborts it)",
    "test_moves.py": "a move locks the organisation row and updates the desk's rows",
    "test_planning.py": "the year's chain: locked records, JSON data through every stage",
    "test_chain_history.py": "one target's values kept as jsonb (keys reordered) across the stages",
    "test_detail.py": "the page's order must not come from the stored JSON's key order",
    "test_review.py": "diffs of two stored versions (jsonb key order)",
    "test_importing.py": "imports merged into stored JSON and read back",
    "test_library_actuals.py": "update_or_create and bulk_create of the indicator uses",
    "test_past_values.py": "earlier years' uses found across records",
    "test_stage_tasks.py": "reminders once a day: created_at__date in the time zone",
    "test_round_before_targets.py": "reminders once a day: created_at__date in the time zone",
    "test_throttle.py": "failures counted and pruned by time",
    "test_queries.py": "query counts, bulk batch sizes",
    "test_demo.py": "the demo `make run` loads, on a PostgreSQL DATABASE_URL too",
    "test_permission_matrix.py": "every view's queries once on PostgreSQL",
    "test_hostile_numbers.py::test_ids_years_and_targets_of_the_year_forms": "integers past int4 in columns",
    "test_hostile_numbers.py::test_url_integers_are_read_or_not_found": "integers past int4/int8 in lookups",
    "desk/test_anomalies.py": "the anomaly rules are SQL",
    "desk/test_dashboard.py": "aggregates, keyset paging",
    "desk/test_summary.py::test_figures_of_the_year": "aggregates over the rows",
    "desk/test_summary.py::test_a_department_sees_its_own": "aggregates inside a scope",
    "desk/test_summary.py::test_spot_check_gaps_and_anomalies_come_from_the_desk": "the desk's SQL",
    "desk/test_yoy_spotcheck.py": "year-over-year joins and sampling frames",
    "desk/test_jobs.py": "jobs locked by the worker; a worker in another process (PostgreSQL only)",
    "desk/test_batch.py": "findings and candidates as JSON, matched in the worker",
    "desk/test_opendata.py": "streamed with a server-side cursor on PostgreSQL",
    "desk/test_rows.py": "the rows follow the version in the same transaction",
}
WEB = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ON_POSTGRESQL's tests `postgresql`; a browser module's tests go to one xdist worker
    together (`--dist loadgroup`), so its module-scoped server and browser start once, not once on
    each worker."""
    for key in ON_POSTGRESQL:
        assert (WEB / key.split("::")[0]).exists(), f"ON_POSTGRESQL names a file that no longer exists: {key}"
    for item in items:
        if item.path.is_relative_to(WEB):
            name = item.path.relative_to(WEB).as_posix()
            if name in ON_POSTGRESQL or f"{name}::{getattr(item, 'originalname', item.name)}" in ON_POSTGRESQL:
                item.add_marker(pytest.mark.postgresql)
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group(item.module.__name__ if item.module else item.nodeid))


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The demo's database, migrated and loaded once for the whole run: the xdist workers share the
    first one's (a lock file in their common temporary folder makes the second wait for it)."""
    import fcntl

    from tests_support_web import build_demo_database

    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    with (shared / "demo-home.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return build_demo_database(shared)


@pytest.fixture(scope="module")
def server(demo_database: Path) -> Iterator[str]:
    """The real server with demo data (`jixiao serve --demo`), one per browser test module, each on its
    own copy of the demo's database."""
    from tests_support_web import demo_server

    with demo_server(database=demo_database) as url:
        yield url
