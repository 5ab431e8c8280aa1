"""Backup and restore of everything the web app holds, as one JSON file (Django's serialisers)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction
from django.db.models import Model

from jixiao.io.errors import InputError, Problem

# Django's JSON writes times to the millisecond: a backup restored and backed up again would not be
# the same file. This format (jixiao.web.exact_json, registered in settings) keeps the microseconds;
# the file stays plain JSON that Django's own reader loads.
EXACT_JSON = "jixiao-json"

# Every model of jixiao's own apps is kept, with Django's users and groups, except those named here.
# A model added later is kept without anyone remembering to list it (tests/web/test_backup.py holds
# that every model is kept or named below with its reason).
APPS = ("orgs", "evaluations", "desk", "planning")
NOT_KEPT = {
    # transient
    "orgs.loginfailure": "登录失败计数，临时数据",
    # derived from the current versions, written anew by restore
    "desk.evaluationfigures": "由自评当前版本重新生成",
    "desk.indicatorrow": "由自评当前版本重新生成",
    "desk.findingrow": "由自评当前版本重新生成",
    "desk.anomalyrow": "由自评当前版本重新生成",
    "desk.narrativeband": "由自评当前版本重新生成",
    # background jobs: their uploads and results are files under var/, and a restored "running" job
    # would have no task behind it; a batch is run again
    "desk.job": "后台任务及其文件不在备份内，可重新运行",
    "desk.batchdocument": "后台任务及其文件不在备份内，可重新运行",
}


def kept_models() -> list[type[Model]]:
    """The models whose rows the backup holds, in an order loaddata can resolve (Django sorts by
    natural keys only; the fixture loads in one transaction with constraints checked at the end)."""
    from django.apps import apps

    models: list[type[Model]] = [apps.get_model("auth", "group"), apps.get_model("auth", "user")]
    for app in APPS:
        models += [m for m in apps.get_app_config(app).get_models() if _label(m) not in NOT_KEPT]
    return models


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def backup(path: Path) -> int:
    """Write the backup; returns the number of records.

    The file holds password hashes: it is created 0600 and written under a temporary name in the
    same folder, then renamed into place, so a crash or a full disk never leaves a half backup
    under the real name (nor replaces a good one with it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mode 0600
    os.close(fd)
    try:
        try:
            call_command("dumpdata", *(_label(m) for m in kept_models()), format=EXACT_JSON, natural_foreign=True,
                         indent=1, output=temporary, verbosity=0)
        except CommandError as exc:  # Django wraps an unwritable path: hand the OSError on, the CLI says it in Chinese
            if isinstance(exc.__context__, OSError):
                raise exc.__context__ from None
            raise
        os.chmod(temporary, 0o600)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        count = len(json.loads(Path(temporary).read_text("utf-8")))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def restore(path: Path) -> int:
    """Replace everything with the backup's contents (in one transaction); returns the number of records."""
    if not path.exists():
        raise InputError(str(path), [Problem("文件不存在")])
    try:
        records = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(str(path), [Problem(f"不是 jixiao 备份文件（JSON 无法解析：{error}）")]) from None
    except RecursionError:
        raise InputError(str(path), [Problem("不是 jixiao 备份文件（嵌套层次过深）")]) from None
    labels = {_label(m) for m in kept_models()}
    if not isinstance(records, list) or any(not isinstance(r, dict) or r.get("model") not in labels for r in records):
        raise InputError(str(path), [Problem("不是 jixiao 备份文件（含有未知的记录类型）")])
    try:
        _replace_all(path)
    except (DeserializationError, DatabaseError, ValidationError) as error:
        # The transaction rolled back: the data held before is untouched.
        raise InputError(
            str(path), [Problem(f"备份文件中的记录无效，未做任何更改：{error}")]
        ) from None
    _reset_sequences()
    return len(records)


def _replace_all(path: Path) -> None:
    fixture = path if path.suffix == ".json" else None
    with transaction.atomic():
        _allow_rewriting_the_trail()
        _delete_everything()
        if fixture is None:
            import shutil

            tmp = Path(tempfile.mkdtemp(prefix="jixiao-restore-")) / "backup.json"
            shutil.copyfile(path, tmp)
            fixture = tmp
        call_command("loaddata", str(fixture), verbosity=0)
        # The desk's rows are derived from the current versions: written anew, not kept in the backup.
        from jixiao.web.desk.rows import rebuild
        from jixiao.web.evaluations.models import Evaluation

        rebuild(Evaluation.objects.iterator(chunk_size=500))
        _allow_rewriting_the_trail(False)


def _allow_rewriting_the_trail(allow: bool = True) -> None:
    """Restore replaces the append-only tables (versions, comments, audit log): on PostgreSQL their
    triggers let this one transaction through, and nothing else. SET LOCAL ends with the transaction
    (and is undone with a rolled-back savepoint); it is switched off again explicitly when restore
    runs inside a longer transaction."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('jixiao.restoring', %s, true)", ["on" if allow else "off"])


def _reset_sequences() -> None:
    """PostgreSQL keeps id counters apart from the rows: move them past the restored ids."""
    from django.core.management.color import no_style
    from django.db import connection

    models = kept_models()
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _delete_everything() -> None:
    """Empty every table the backup replaces, and the derived and transient ones, dependents first:
    most references are PROTECT, so a referenced row can only go once what refers to it has gone.
    References within one table (an organisation's parent, a record's targets) are cleared first."""
    from django.apps import apps
    from django.contrib.sessions.models import Session

    models: list[type[Model]] = [apps.get_model("auth", "user"), apps.get_model("auth", "group"), Session]
    for app in APPS:
        models += list(apps.get_app_config(app).get_models())
    for model in _dependents_first(models):
        rows = model._base_manager.all()
        own = [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is model]
        if own:
            rows.update(**{name: None for name in own})
        rows.delete()


def _dependents_first(models: list[type[Model]]) -> list[type[Model]]:
    """Order models so that each comes before every model it refers to (a topological sort)."""
    refers: dict[type[Model], set[type[Model]]] = {
        m: {f.related_model for f in m._meta.concrete_fields
            if f.is_relation and f.related_model in models and f.related_model is not m}
        for m in models
    }
    ordered: list[type[Model]] = []
    placed: set[type[Model]] = set()

    def place(model: type[Model], path: tuple[type[Model], ...] = ()) -> None:
        if model in placed:
            return
        if model in path:  # a cycle between two tables: no order deletes them; say which
            raise RuntimeError(f"circular references between {[m._meta.label for m in path]}")
        for referrer in (m for m in models if model in refers[m]):
            place(referrer, (*path, model))
        placed.add(model)
        ordered.append(model)

    for model in models:
        place(model)
    return ordered
