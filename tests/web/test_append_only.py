"""Versions, comments and the audit log are append-only: read-only in the admin, refused a second save,
refused UPDATE and DELETE by PostgreSQL itself — except inside `jixiao restore`. An evaluation's state
changes only through the workflow, never in the admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from jixiao.core.workflow import Action
from jixiao.web import backup
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import AuditEntry, Comment, Evaluation, EvaluationVersion

from .conftest import CONFIRM, World

TRAIL = [EvaluationVersion, Comment, AuditEntry]
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")


def _trail(world: World) -> Evaluation:
    evaluation = world.evaluation(ready=True)
    services.transition(world.users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    services.add_comment(world.users["head_a1"], evaluation, "请核对第三项", "indicators[2]")
    return evaluation


@pytest.mark.parametrize("model", TRAIL, ids=lambda m: m.__name__)
def test_the_admin_shows_the_trail_and_offers_no_add_change_or_delete(world: World, model: type) -> None:
    _trail(world)
    admin = world.client("admin")
    record = model.objects.first()
    name = model._meta.model_name
    listing = admin.get(f"/admin/evaluations/{name}/")
    page = listing.content.decode()
    assert listing.status_code == 200 and str(model._meta.verbose_name_plural) in page
    assert str(record.evaluation) in page and "object (" not in page  # readable names, not "AuditEntry object (3)"
    assert f"/admin/evaluations/{name}/add/" not in page
    assert admin.get(f"/admin/evaluations/{name}/add/").status_code == 403
    assert admin.get(f"/admin/evaluations/{name}/{record.pk}/delete/").status_code == 403
    detail = admin.get(f"/admin/evaluations/{name}/{record.pk}/change/")
    shown = detail.content.decode()
    assert detail.status_code == 200 and 'name="_save"' not in shown and str(record) in shown  # view only
    assert admin.post(f"/admin/evaluations/{name}/{record.pk}/change/", {}).status_code == 403
    assert admin.post(f"/admin/evaluations/{name}/", {"action": "delete_selected", "_selected_action": [record.pk],
                                                      "post": "yes"}).status_code in (200, 302)
    assert model.objects.filter(pk=record.pk).exists()


def test_the_admin_cannot_set_an_evaluations_state(world: World) -> None:
    evaluation = _trail(world)
    admin = world.client("admin")
    url = f"/admin/evaluations/evaluation/{evaluation.pk}/change/"
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"title": evaluation.title, "year": evaluation.year, "unit": evaluation.unit_id,
                                "state": "approved", "stage": "", "rules": "national", "kind": "department"})
    assert response.status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.state == "pending" and evaluation.stage == "unit"
    assert admin.get("/admin/evaluations/evaluation/add/").status_code == 403


def test_a_trail_record_cannot_be_saved_twice(world: World) -> None:
    _trail(world)
    for model in TRAIL:
        record = model.objects.first()
        with pytest.raises(PermissionError):
            record.save()


def test_whoever_wrote_the_trail_cannot_be_deleted(world: World) -> None:
    _trail(world)
    with pytest.raises(ProtectedError):
        world.users["head_a1"].delete()


@on_postgresql
@pytest.mark.parametrize("model", TRAIL, ids=lambda m: m.__name__)
@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_postgresql_refuses_to_rewrite_the_trail(world: World, model: type, statement: str) -> None:
    _trail(world)
    count = model.objects.count()
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=model._meta.db_table))
    assert model.objects.count() == count


@on_postgresql
def test_postgresql_refuses_the_orm_too(world: World) -> None:
    evaluation = _trail(world)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(evaluation=evaluation).update(action="approve")
    with pytest.raises(DatabaseError), transaction.atomic():
        Comment.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_restore_still_replaces_everything_and_the_trail_stays_closed_after(world: World, tmp_path: Path) -> None:
    evaluation = _trail(world)
    path = tmp_path / "backup.json"
    backup.backup(path)
    services.add_comment(world.users["head_a1"], evaluation, "备份之后的意见")
    assert backup.restore(path) > 10
    assert not Comment.objects.filter(text="备份之后的意见").exists()
    assert Comment.objects.filter(text="请核对第三项").exists()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
            Comment.objects.all().delete()
