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

from jixiao.io.errors import InputError, Problem

# Users, organisations, memberships, evaluations with all versions, comments, audit log, year settings.
# Sessions and login failures are transient and not kept.
MODELS = [
    "auth.group", "auth.user", "orgs.organisation", "orgs.membership",
    "evaluations.yearsetting", "evaluations.evaluation", "evaluations.evaluationversion",
    "evaluations.comment", "evaluations.auditentry",
]


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
            call_command("dumpdata", *MODELS, natural_foreign=True, indent=1, output=temporary, verbosity=0)
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
    if not isinstance(records, list) or any(not isinstance(r, dict) or r.get("model") not in MODELS for r in records):
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
        from django.contrib.auth import get_user_model
        from django.contrib.sessions.models import Session

        from jixiao.web.evaluations.models import AuditEntry, Comment, Evaluation, EvaluationVersion, YearSetting
        from jixiao.web.orgs.models import LoginFailure, Membership, Organisation

        for model in (AuditEntry, Comment, EvaluationVersion, Evaluation, YearSetting, Membership, LoginFailure, Session):
            model.objects.all().delete()
        # Organisations reference each other: clear the references first.
        Organisation.objects.update(parent=None, department=None)
        Organisation.objects.all().delete()
        get_user_model().objects.all().delete()
        if fixture is None:
            import shutil

            tmp = Path(tempfile.mkdtemp(prefix="jixiao-restore-")) / "backup.json"
            shutil.copyfile(path, tmp)
            fixture = tmp
        call_command("loaddata", str(fixture), verbosity=0)
        # The desk's rows are derived from the current versions: written anew, not kept in the backup.
        from jixiao.web.desk.rows import rebuild

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
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [apps.get_model(label) for label in MODELS]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
