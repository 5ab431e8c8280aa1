"""A unit moved to another department: the new department sees, reviews and sums its evaluations, the
old one no longer does — lists, detail, review actions, the desk's rows — and the move is logged."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.urls import reverse

from jixiao.core.workflow import Action
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import AuditEntry, Evaluation
from jixiao.web.orgs.models import Organisation
from jixiao.web.orgs.moves import COPIES, NOT_COPIES

from .conftest import CONFIRM, CONFIRM_POST, World


def _at_department_stage(world: World) -> tuple[Evaluation, Evaluation]:
    pending = world.evaluation(ready=True)
    pending = services.transition(world.users["prep_a1"], pending, Action.SUBMIT, **CONFIRM)
    pending = services.transition(world.users["head_a1"], pending, Action.APPROVE, **CONFIRM)
    assert pending.stage == "department" and pending.department_id == world.dept_a.pk
    draft = services.create_evaluation(world.users["prep_a1"], world.unit_a1, services.load_model(
        dict(world.seed_data, unit=dict(world.seed_data["unit"], name=world.unit_a1.name), year=2023)))
    return pending, draft


def _move_in_the_admin(world: World, unit: Organisation, to: Organisation) -> None:
    url = f"/admin/orgs/organisation/{unit.pk}/change/"
    response = world.client("admin").post(url, {
        "name": unit.name, "code": unit.code, "kind": unit.kind, "parent": to.pk,
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_new_department_takes_over_and_the_old_one_lets_go(world: World) -> None:
    pending, draft = _at_department_stage(world)
    old, new = world.client("dept_a"), world.client("dept_b")
    assert pending.title in old.get(reverse("evaluations:list")).content.decode()
    _move_in_the_admin(world, world.unit_a1, world.dept_b)

    for evaluation in (pending, draft):
        assert old.get(reverse("evaluations:detail", args=[evaluation.pk])).status_code == 404
        assert new.get(reverse("evaluations:detail", args=[evaluation.pk])).status_code == 200
    assert "待我审核（0）" in old.get(reverse("evaluations:list")).content.decode()
    listing = new.get(reverse("evaluations:list"), {"tab": "waiting"}).content.decode()
    assert "待我审核（1）" in listing and pending.title in listing
    # The old department's approve is refused (not found); the new one's goes through.
    url = reverse("evaluations:action", args=[pending.pk, "approve"])
    seen = {"version": str(pending.current_version), **CONFIRM_POST}
    assert old.post(url, seen).status_code == 404
    assert Evaluation.objects.get(pk=pending.pk).stage == "department"
    new.post(url, seen)
    assert Evaluation.objects.get(pk=pending.pk).stage == "finance"


def test_every_copy_moves_in_the_same_save_and_the_log_says_so(world: World) -> None:
    pending, draft = _at_department_stage(world)
    _move_in_the_admin(world, world.unit_a1, world.dept_b)
    for label, path in COPIES.items():
        rows = apps.get_model(label).objects.filter(**{path: world.unit_a1})
        assert not rows.exclude(department_id=world.dept_b.pk).exists(), label
    assert set(apps.get_model("desk.EvaluationFigures").objects.filter(evaluation__unit=world.unit_a1)
               .values_list("department_id", flat=True)) == {world.dept_b.pk}
    for evaluation in (pending, draft):
        entry = AuditEntry.objects.filter(evaluation=evaluation, action="move").get()
        assert entry.actor == world.users["admin"] and "商务局" in entry.what and "教育局" in entry.what
    # Untouched: the other units of the old department.
    other = world.evaluation(world.unit_a2, preparer="prep_a2")
    assert other.department_id == world.dept_a.pk


def test_moving_back_and_saving_unchanged_log_only_real_moves(world: World) -> None:
    pending, _ = _at_department_stage(world)
    world.unit_a1.save()  # no move
    assert not AuditEntry.objects.filter(action="move").exists()
    world.unit_a1.parent = world.dept_b
    world.unit_a1.save()
    world.unit_a1.parent = world.dept_a
    world.unit_a1.save()
    assert Evaluation.objects.get(pk=pending.pk).department_id == world.dept_a.pk
    assert AuditEntry.objects.filter(evaluation=pending, action="move").count() == 2


def test_every_department_field_is_a_known_copy_or_known_not_to_be() -> None:
    """A model that gains a copied department must be re-homed on a move (add it to COPIES)."""
    found = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.name == "department" and isinstance(field, models.ForeignKey) and field.related_model is Organisation
    }
    assert found == set(COPIES) | set(NOT_COPIES), found ^ (set(COPIES) | set(NOT_COPIES))
