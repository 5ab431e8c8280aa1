"""`jixiao backup` / `jixiao restore`: everything survives a round trip; a wrong file changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from jixiao.core.workflow import Action
from jixiao.io.errors import InputError
from jixiao.web import backup
from jixiao.web.desk.models import SpotCheck, SpotCheckItem, SpotCheckScore
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.orgs.models import Organisation
from jixiao.web.planning.models import LibraryIndicator, Rectification, StageRecord, Task

from .conftest import CONFIRM, PASSWORD, World
from .test_planning import approve_all, declare


def _snapshot() -> dict[str, list[str]]:
    """Every row of every model the backup keeps, every field (times to the microsecond)."""
    return {
        model._meta.label: sorted(json.dumps(row, sort_keys=True, default=str) for row in model._base_manager.values())
        for model in backup.kept_models()
    }


def _year_and_desk_data(world: World, evaluation: Evaluation) -> None:
    """Rows of the year's other stages and of the bureau's desk, as their pages make them."""
    record = declare(world)
    approve_all(world, record)
    Rectification.objects.create(unit=world.unit_a1, department=world.dept_a, year=2025, source="self",
                                 problem="项目支出进度偏慢", deadline=dt.date(2026, 6, 30), created_by=world.users["finance"])
    Task.objects.create(kind="targets", year=2026, title="2026年绩效目标申报", scope=world.dept_a,
                        deadline=dt.date(2026, 3, 31), created_by=world.users["finance"])
    LibraryIndicator.objects.create(owner=world.dept_a, code="BM-001", name="培训人次", data={"name": "培训人次"})
    check = SpotCheck.objects.create(year=2025, name="2025年抽查", size=1, seed=7, frame=[], frame_digest="0" * 64,
                                     frame_rule="全部", created_by=world.users["finance"])
    item = SpotCheckItem.objects.create(spot_check=check, evaluation=evaluation, version_number=1, stratum="全部",
                                        reviewer=world.users["finance"], reviewed_at=timezone.now(), note="已复核")
    SpotCheckScore.objects.create(item=item, position=0, name="培训人次", weight_hundredths=1000,
                                  self_score_hundredths=900, review_score_hundredths=800)


@pytest.mark.django_db(transaction=True)
def test_round_trip(world: World, tmp_path: Path) -> None:
    first = world.evaluation(ready=True)
    services.transition(world.users["prep_a1"], first, Action.SUBMIT, **CONFIRM)
    services.add_comment(world.users["dept_a"], first, "请补充", "indicators[0]")
    second = world.evaluation(world.unit_b1, preparer="prep_b1")
    services.soft_delete(world.users["prep_b1"], second)
    _year_and_desk_data(world, first)
    before = _snapshot()
    assert all(before[label] for label in ("planning.StageRecord", "planning.StageVersion", "planning.Rectification",
                                           "planning.Notification", "desk.SpotCheckScore", "auth.User"))
    path = tmp_path / "backup.json"
    count = backup.backup(path)
    assert count == len(json.loads(path.read_text("utf-8"))) == sum(map(len, before.values()))
    # Change things after the backup; the restore must bring back exactly the backed-up state.
    services.add_comment(world.users["dept_a"], first, "备份之后")
    Organisation.objects.create(name="新单位", kind="unit", parent=world.dept_a)
    StageRecord.objects.update(state="draft")
    assert _snapshot() != before
    assert backup.restore(path) == count
    assert _snapshot() == before
    again = tmp_path / "again.json"
    backup.backup(again)
    assert again.read_text("utf-8") == path.read_text("utf-8")  # a restored backup backs up to the same file
    client = Client()
    assert client.post("/login/", {"username": "prep_a1", "password": PASSWORD}).status_code == 302
    assert client.get(f"/e/{first.pk}/").status_code == 200
    assert client.get(f"/plan/r/{StageRecord.objects.get().pk}/").status_code == 200
    # New rows get fresh ids after a restore (PostgreSQL sequences are reset).
    assert world.evaluation(world.unit_a2, preparer="prep_a2").pk > max(first.pk, second.pk)


def test_every_model_is_kept_or_named_with_its_reason() -> None:
    from django.apps import apps

    kept = {m._meta.label_lower for m in backup.kept_models()}
    for app in backup.APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label_lower
            assert (label in kept) != (label in backup.NOT_KEPT), label


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
