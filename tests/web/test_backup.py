"""`jixiao backup` / `jixiao restore`: everything survives a round trip; a wrong file changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jixiao.core.workflow import Action
from jixiao.io.errors import InputError
from jixiao.web import backup
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import AuditEntry, Comment, Evaluation, EvaluationVersion
from jixiao.web.orgs.models import Membership, Organisation

from .conftest import CONFIRM, PASSWORD, World


def _snapshot() -> dict[str, object]:
    return {
        "orgs": sorted(Organisation.objects.values_list("name", "kind", "parent__name")),
        "users": sorted(User.objects.values_list("username", "password", "is_superuser")),
        "members": sorted(Membership.objects.values_list("user__username", "organisation__name", "role")),
        # Django's JSON keeps times to the millisecond.
        "evaluations": sorted((*row[:-1], row[-1] and row[-1].replace(microsecond=row[-1].microsecond // 1000 * 1000))
                              for row in Evaluation.objects.values_list("pk", "title", "state", "stage", "current_version",
                                                                        "total_hundredths", "deleted_at")),
        "versions": sorted((v.evaluation_id, v.number, json.dumps(v.data, sort_keys=True), v.created_by_id)
                           for v in EvaluationVersion.objects.all()),
        "comments": sorted(Comment.objects.values_list("evaluation_id", "field", "text")),
        "audit": AuditEntry.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_round_trip(world: World, tmp_path: Path) -> None:
    first = world.evaluation(ready=True)
    services.transition(world.users["prep_a1"], first, Action.SUBMIT, **CONFIRM)
    services.add_comment(world.users["dept_a"], first, "请补充", "indicators[0]")
    second = world.evaluation(world.unit_b1, preparer="prep_b1")
    services.soft_delete(world.users["prep_b1"], second)
    before = _snapshot()
    path = tmp_path / "backup.json"
    count = backup.backup(path)
    assert count == len(json.loads(path.read_text("utf-8"))) > 10
    # Change things after the backup; the restore must bring back exactly the backed-up state.
    services.add_comment(world.users["dept_a"], first, "备份之后")
    Organisation.objects.create(name="新单位", kind="unit", parent=world.dept_a)
    assert _snapshot() != before
    assert backup.restore(path) == count
    assert _snapshot() == before
    client = Client()
    assert client.post("/login/", {"username": "prep_a1", "password": PASSWORD}).status_code == 302
    assert client.get(f"/e/{first.pk}/").status_code == 200
    # New rows get fresh ids after a restore (PostgreSQL sequences are reset).
    assert world.evaluation(world.unit_a2, preparer="prep_a2").pk > max(first.pk, second.pk)


@pytest.mark.django_db
def test_restore_refuses_a_foreign_file(world: World, tmp_path: Path) -> None:
    world.evaluation()
    bad = tmp_path / "x.json"
    bad.write_text('[{"model": "auth.permission", "fields": {}}]', "utf-8")
    with pytest.raises(InputError, match="不是 jixiao 备份文件"):
        backup.restore(bad)
    bad.write_text("{not json", "utf-8")
    with pytest.raises(InputError, match="JSON"):
        backup.restore(bad)
    with pytest.raises(InputError, match="不存在"):
        backup.restore(tmp_path / "missing.json")
    assert Evaluation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_backup_file_is_private_and_replaced_whole(world: World, tmp_path: Path) -> None:
    import os
    import stat

    os.umask(0o022)
    target = tmp_path / "backup.json"
    target.write_text("an older backup", "utf-8")
    target.chmod(0o644)
    backup.backup(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text("utf-8"))
    assert [p.name for p in tmp_path.iterdir()] == ["backup.json"]  # no temporary file left behind


@pytest.mark.django_db(transaction=True)
def test_a_failed_backup_keeps_the_old_file(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "backup.json"
    target.write_text("[]", "utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        Path(str(kwargs["output"])).write_text("[{\"half", "utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "call_command", broken)
    with pytest.raises(OSError):
        backup.backup(target)
    assert target.read_text("utf-8") == "[]" and [p.name for p in tmp_path.iterdir()] == ["backup.json"]
