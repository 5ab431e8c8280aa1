"""Helpers for the desk's job tests: a private JOBS_DIR, the real worker run in-process, approvals."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from jixiao.core.workflow import Action
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import Evaluation

from ..conftest import CONFIRM, World


def run_worker() -> None:
    """django-tasks' own `db_worker`, in batch mode: every queued task, then exit."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


def approved(world: World) -> Evaluation:
    """unit_a1's evaluation through every stage to 已审核."""
    evaluation = world.evaluation(ready=True)
    for name, action in (("prep_a1", Action.SUBMIT), ("head_a1", Action.APPROVE), ("dept_a", Action.APPROVE),
                         ("finance", Action.APPROVE)):
        evaluation = services.transition(world.users[name], evaluation, action, **CONFIRM)
    return evaluation


def submitted(world: World, unit: Any, preparer: str) -> Evaluation:
    evaluation = world.evaluation(unit, preparer=preparer, ready=True)
    return services.transition(world.users[preparer], evaluation, Action.SUBMIT, **CONFIRM)
