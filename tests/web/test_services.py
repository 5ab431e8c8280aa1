"""Business rules: versions on every save, immutable versions, optimistic locking, workflow, soft delete."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from jixiao.core.workflow import Action, TransitionError
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import AuditEntry, EvaluationVersion

from .conftest import CONFIRM, World


def test_create_scores_with_the_core(world: World) -> None:
    evaluation = world.evaluation()
    assert (evaluation.total_hundredths, evaluation.grade, evaluation.current_version) == (8500, "良", 1)
    assert evaluation.error_count >= 1  # the seed's own stated adjustment rate of 100% is wrong
    version = evaluation.versions.get()
    assert version.data["budget"]["initial"] == "3142.55"
    assert services.version_model(version).indicators[3].actual is not None


def test_every_save_is_a_new_version_and_versions_are_immutable(world: World) -> None:
    evaluation = world.evaluation()
    model = services.version_model(evaluation.versions.get())
    model.indicators[2].actual = model.indicators[2].target
    services.save_version(world.users["prep_a1"], evaluation, model, base_version=1, note="补录")
    assert list(evaluation.versions.values_list("number", flat=True)) == [1, 2]
    assert evaluation.current_version == 2 and evaluation.total_hundredths > 8500
    first = EvaluationVersion.objects.get(evaluation=evaluation, number=1)
    first.note = "篡改"
    with pytest.raises(PermissionError, match="不可修改"):
        first.save()
    assert EvaluationVersion.objects.get(evaluation=evaluation, number=1).note != "篡改"


def test_concurrent_edit_is_a_conflict_not_an_overwrite(world: World) -> None:
    evaluation = world.evaluation()
    model = services.version_model(evaluation.versions.get())
    services.save_version(world.users["prep_a1"], evaluation, model, base_version=1)
    with pytest.raises(services.ConflictError, match=r"保存冲突.*第 1 版.*第 2 版"):
        services.save_version(world.users["prep_a1"], evaluation, model, base_version=1)
    assert evaluation.versions.count() == 2


def test_review_chain_and_locking(world: World) -> None:
    evaluation = world.evaluation(ready=True)
    users = world.users
    evaluation = services.transition(users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    model = services.version_model(evaluation.versions.get())
    with pytest.raises(PermissionDenied):  # pending: nobody may change it
        services.save_version(users["prep_a1"], evaluation, model, base_version=1)
    with pytest.raises(PermissionDenied):  # the department waits for the unit head
        services.transition(users["dept_a"], evaluation, Action.APPROVE, confirmed=True)
    evaluation = services.transition(users["head_a1"], evaluation, Action.APPROVE, confirmed=True)
    with pytest.raises(PermissionDenied):
        services.transition(users["dept_b"], evaluation, Action.APPROVE, confirmed=True)
    with pytest.raises(ValueError, match="退回理由"):
        services.transition(users["dept_a"], evaluation, Action.RETURN, reason="  ")
    evaluation = services.transition(users["dept_a"], evaluation, Action.RETURN, reason="指标3缺佐证", field="indicators[2]")
    assert evaluation.state == "returned"
    assert evaluation.comments.get(text__startswith="【退回】").field == "indicators[2]"
    services.save_version(users["prep_a1"], evaluation, model, base_version=1, note="补佐证")
    for name, action in (("prep_a1", Action.SUBMIT), ("head_a1", Action.APPROVE), ("dept_a", Action.APPROVE),
                         ("finance", Action.APPROVE)):
        evaluation = services.transition(users[name], evaluation, action, **CONFIRM)
    assert (evaluation.state, evaluation.stage) == ("approved", "")
    with pytest.raises(PermissionDenied):
        services.save_version(users["prep_a1"], evaluation, model, base_version=2)
    actions = list(AuditEntry.objects.filter(evaluation=evaluation).values_list("action", flat=True))
    assert actions == ["create", "submit", "approve", "return", "save", "submit", "approve", "approve", "approve"]


def test_withdraw_only_before_review(world: World) -> None:
    evaluation = world.evaluation(ready=True)
    evaluation = services.transition(world.users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    evaluation = services.transition(world.users["prep_a1"], evaluation, Action.WITHDRAW)
    assert evaluation.state == "withdrawn"
    evaluation = services.transition(world.users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    evaluation = services.transition(world.users["head_a1"], evaluation, Action.APPROVE, **CONFIRM)
    with pytest.raises(PermissionDenied):
        services.transition(world.users["prep_a1"], evaluation, Action.WITHDRAW)


def test_transition_error_is_raised_for_an_impossible_move(world: World) -> None:
    evaluation = world.evaluation()
    with pytest.raises((TransitionError, PermissionDenied)):
        services.transition(world.users["head_a1"], evaluation, Action.APPROVE)


def test_soft_delete_is_reversible_by_an_admin_only(world: World) -> None:
    evaluation = world.evaluation()
    services.soft_delete(world.users["prep_a1"], evaluation)
    evaluation.refresh_from_db()
    assert evaluation.deleted_at is not None and evaluation.versions.count() == 1
    with pytest.raises(PermissionDenied):
        services.restore(world.users["finance"], evaluation)
    services.restore(world.users["admin"], evaluation)
    evaluation.refresh_from_db()
    assert evaluation.deleted_at is None


def test_submitted_evaluations_cannot_be_deleted(world: World) -> None:
    evaluation = services.transition(world.users["prep_a1"], world.evaluation(ready=True), Action.SUBMIT, **CONFIRM)
    with pytest.raises(PermissionDenied):
        services.soft_delete(world.users["prep_a1"], evaluation)
