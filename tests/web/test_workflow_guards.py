"""Review actions are tied to the version their page showed; a save never lands after a submit;
whoever saved the submitted version cannot approve it. The race tests need the real PostgreSQL
server (`make webpg`); on SQLite they are skipped."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from jixiao.core.workflow import Action
from jixiao.web.evaluations import services
from jixiao.web.evaluations.guards import StaleVersion
from jixiao.web.evaluations.models import AuditEntry, Evaluation
from jixiao.web.orgs.models import Membership, Role

from .conftest import CONFIRM, CONFIRM_POST, World, form_post

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are only real on PostgreSQL (make webpg)"
)


def _post_action(world: World, name: str, evaluation: Evaluation, action: str, version: int | None, **data: str) -> int:
    post = dict(CONFIRM_POST, **data, **({"version": str(version)} if version is not None else {}))
    return int(world.client(name).post(reverse("evaluations:action", args=[evaluation.pk, action]), post).status_code)


def _resubmitted(world: World) -> tuple[Evaluation, int]:
    """Pending at the unit stage, seen by the unit head at version 1; then withdrawn, changed
    (version 2) and submitted again by the preparer."""
    evaluation = world.evaluation(ready=True)
    services.transition(world.users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    seen = Evaluation.objects.get(pk=evaluation.pk).current_version
    services.transition(world.users["prep_a1"], evaluation, Action.WITHDRAW)
    model = services.version_model(evaluation.versions.get())
    model.unit.functions = (model.unit.functions or "") + "（修订）"
    fresh = Evaluation.objects.get(pk=evaluation.pk)
    services.save_version(world.users["prep_a1"], fresh, model, base_version=1)
    services.transition(world.users["prep_a1"], fresh, Action.SUBMIT, **CONFIRM)
    return fresh, seen


def test_approve_from_an_old_page_is_409_and_changes_nothing(world: World) -> None:
    evaluation, seen = _resubmitted(world)
    response = world.client("head_a1").post(reverse("evaluations:action", args=[evaluation.pk, "approve"]),
                                            {**CONFIRM_POST, "version": str(seen)})
    assert response.status_code == 409
    body = response.content.decode()
    assert "第 1 版" in body and "第 2 版" in body and "刷新" in body
    after = Evaluation.objects.get(pk=evaluation.pk)
    assert (after.state, after.stage) == ("pending", "unit")
    assert not AuditEntry.objects.filter(evaluation=evaluation, action="approve").exists()
    assert _post_action(world, "head_a1", evaluation, "approve", after.current_version) == 302


@pytest.mark.parametrize("action,name,data", [
    ("approve", "head_a1", {}), ("return", "head_a1", {"reason": "请补充"}), ("withdraw", "prep_a1", {}),
])
def test_every_review_action_needs_the_current_version(world: World, action: str, name: str, data: dict[str, str]) -> None:
    evaluation, seen = _resubmitted(world)
    assert _post_action(world, name, evaluation, action, None, **data) == 409  # no version: refused too
    assert _post_action(world, name, evaluation, action, seen, **data) == 409
    assert Evaluation.objects.get(pk=evaluation.pk).state == "pending"
    assert _post_action(world, name, evaluation, action, evaluation.current_version, **data) == 302


def test_submit_from_an_old_page_is_409(world: World) -> None:
    evaluation = world.evaluation(ready=True)
    model = services.version_model(evaluation.versions.get())
    services.save_version(world.users["prep_a1"], evaluation, model, base_version=1)
    assert _post_action(world, "prep_a1", evaluation, "submit", 1) == 409
    assert Evaluation.objects.get(pk=evaluation.pk).state == "draft"


def test_service_refuses_a_stale_copy(world: World) -> None:
    evaluation, seen = _resubmitted(world)
    with pytest.raises(StaleVersion, match="第 1 版"):
        services.transition(world.users["head_a1"], evaluation, Action.APPROVE, version=seen, confirmed=True)


def test_a_save_checked_on_a_copy_read_before_submit_does_not_land(world: World) -> None:
    evaluation = world.evaluation(ready=True)
    stale_copy = Evaluation.objects.get(pk=evaluation.pk)  # the editor's request read it while still a draft
    services.transition(world.users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    model = services.version_model(evaluation.versions.get())
    with pytest.raises(services.NotEditable, match="待审核"):
        services.save_version(world.users["prep_a1"], stale_copy, model, base_version=1)
    after = Evaluation.objects.get(pk=evaluation.pk)
    assert after.current_version == 1 and after.versions.count() == 1 and after.state == "pending"


def test_save_after_submit_through_the_page_keeps_what_was_typed(world: World) -> None:
    evaluation = world.evaluation(ready=True)
    client = world.client("prep_a1")
    services.transition(world.users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    post = form_post(world.seed_data, 1, **{"ind-2-actual": "6.5"})
    response = client.post(reverse("evaluations:edit", args=[evaluation.pk]), post)
    assert response.status_code == 403  # the page itself is refused once pending


def test_the_saver_of_the_submitted_version_cannot_approve_it(world: World) -> None:
    both = world.users["prep_a1"]
    Membership.objects.create(user=both, organisation=world.unit_a1, role=Role.UNIT_HEAD)
    evaluation = world.evaluation(ready=True)
    services.transition(both, evaluation, Action.SUBMIT, **CONFIRM)
    response = world.client("prep_a1").post(reverse("evaluations:action", args=[evaluation.pk, "approve"]),
                                            {**CONFIRM_POST, "version": "1"})
    assert response.status_code == 403 and "不相容职务分离" in response.content.decode()
    assert Evaluation.objects.get(pk=evaluation.pk).stage == "unit"
    with pytest.raises(PermissionDenied, match="不相容职务分离"):
        services.transition(both, evaluation, Action.APPROVE, confirmed=True)
    # Another unit head may; so may the same person return it (returning approves nothing).
    assert _post_action(world, "head_a1", evaluation, "approve", 1) == 302


def _in_thread(target: object) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target()  # type: ignore[operator]
        except BaseException as error:  # handed to the test thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_race_save_blocked_behind_a_submit_does_not_land(world: World) -> None:
    evaluation = world.evaluation(ready=True)
    model = services.version_model(evaluation.versions.get())
    stale_copy = Evaluation.objects.get(pk=evaluation.pk)
    locked, release = threading.Event(), threading.Event()

    def submit_and_hold() -> None:
        with transaction.atomic():
            services.transition(world.users["prep_a1"], Evaluation.objects.get(pk=evaluation.pk), Action.SUBMIT, **CONFIRM)
            locked.set()
            release.wait(10)

    submitter, submit_errors = _in_thread(submit_and_hold)
    assert locked.wait(10)
    saver, save_errors = _in_thread(lambda: services.save_version(world.users["prep_a1"], stale_copy, model, 1))
    time.sleep(0.5)  # the save's UPDATE now waits for the submit's row lock
    assert saver.is_alive()
    release.set()
    submitter.join(10)
    saver.join(10)
    assert not submit_errors and len(save_errors) == 1 and isinstance(save_errors[0], services.NotEditable)
    after = Evaluation.objects.get(pk=evaluation.pk)
    assert (after.state, after.current_version, after.versions.count()) == ("pending", 1, 1)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_race_storm_save_vs_submit(world: World) -> None:
    """Forty tries of a save and a submit started together: either order is fine, but the submitted
    version is always the last one saved, and nothing is saved after the submit."""
    first = world.evaluation(ready=True)
    model = services.version_model(first.versions.get())
    Evaluation.objects.filter(pk=first.pk).update(deleted_at=timezone.now())
    for _ in range(40):
        evaluation = world.evaluation(ready=True)
        start = threading.Barrier(2)

        def save(evaluation: Evaluation = evaluation, start: threading.Barrier = start) -> None:
            copy = Evaluation.objects.get(pk=evaluation.pk)
            start.wait(5)
            services.save_version(world.users["prep_a1"], copy, model, 1)

        def submit(evaluation: Evaluation = evaluation, start: threading.Barrier = start) -> None:
            copy = Evaluation.objects.get(pk=evaluation.pk)
            start.wait(5)
            services.transition(world.users["prep_a1"], copy, Action.SUBMIT, **CONFIRM)

        threads = [_in_thread(save), _in_thread(submit)]
        for thread, _errors in threads:
            thread.join(20)
        after = Evaluation.objects.get(pk=evaluation.pk)
        submits = list(AuditEntry.objects.filter(evaluation=evaluation, action="submit").values_list("detail", flat=True))
        if after.state == "pending":
            assert submits and submits[0]["version"] == after.current_version
        last = AuditEntry.objects.filter(evaluation=evaluation).order_by("-at", "-id").first()
        assert last is not None and (after.state != "pending" or last.action == "submit")
        Evaluation.objects.filter(pk=evaluation.pk).update(deleted_at=timezone.now())  # room for the next try


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_race_two_approvals_of_one_stage_apply_once(world: World) -> None:
    Membership.objects.create(user=world.users["prep_a2"], organisation=world.unit_a1, role=Role.UNIT_HEAD)
    evaluation = world.evaluation(ready=True)
    services.transition(world.users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    start = threading.Barrier(2)

    def approve(name: str) -> None:
        copy = Evaluation.objects.get(pk=evaluation.pk)
        start.wait(5)
        services.transition(world.users[name], copy, Action.APPROVE, version=1, confirmed=True)

    runs = [_in_thread(lambda: approve("head_a1")), _in_thread(lambda: approve("prep_a2"))]
    for thread, _ in runs:
        thread.join(20)
    failures = [e for _, errors in runs for e in errors]
    assert len(failures) == 1  # the second finds the stage moved on
    after = Evaluation.objects.get(pk=evaluation.pk)
    assert after.stage == "department"
    assert AuditEntry.objects.filter(evaluation=evaluation, action="approve").count() == 1
