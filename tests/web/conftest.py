"""Fixtures for the web app: an organisation tree with a user in every role, and evaluations.

The web tests run on SQLite by default; `make test` runs them a second time on PostgreSQL by setting
DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test (pytest-django creates its own test database).
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


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The real server with demo data (`jixiao serve --demo`), one per browser test module."""
    from tests_support_web import demo_server

    with demo_server() as url:
        yield url
