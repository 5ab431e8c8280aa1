"""The models and their migrations agree: a change of choices or fields without its migration fails here,
not on a user's `jixiao serve` (which migrates) or in production."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

SEED = Path(__file__).resolve().parents[2] / "examples" / "xinshi-commerce-2024.yaml"


@pytest.mark.django_db
def test_no_model_change_is_missing_its_migration() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"a model change has no migration (run `django-admin makemigrations`):\n{out.getvalue()}"
                    f"\n(exit {exit_.code})")


# ---- 0005: summaries stored before an ungradable total was ungradable are recomputed ---------------

BEFORE = [("evaluations", "0004_append_only")]
AFTER = [("evaluations", "0005_regrade_summaries")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate the test database to `targets`; the historical apps there."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_0005_recomputes_a_stored_grade_the_total_cannot_have() -> None:
    from django.db import connection

    from jixiao.io.evaluation_file import read_evaluation
    from jixiao.web.evaluations import services

    old = _migrate(BEFORE)
    try:
        unit = old.get_model("orgs", "Organisation").objects.create(name="商务局本级", kind="unit")
        seed = services.to_data(read_evaluation(SEED))
        over = dict(seed, indicators=[dict(seed["indicators"][0], weight="15"), *seed["indicators"][1:]])  # 105 分
        broken = dict(seed, indicators="not a list")  # a version this release cannot read: left as it is
        evaluation = old.get_model("evaluations", "Evaluation").objects.create(
            unit=unit, year=2024, title="商务局本级", current_version=2, total_hundredths=10571, grade="优",
        )
        versions = old.get_model("evaluations", "EvaluationVersion").objects
        # What the app stored before: version 1 as saved (gradable, right), version 2 with weights of
        # 105 still graded 优; version 3 of another evaluation holds data that no longer loads.
        good = services.summary_columns(services.score(services.load_model(seed)))
        versions.create(evaluation=evaluation, number=1, data=seed, state="draft", **good)
        versions.create(evaluation=evaluation, number=2, data=over, state="draft", total_hundredths=10571,
                        grade="优", error_count=0, warning_count=0)
        other = old.get_model("evaluations", "Evaluation").objects.create(
            unit=unit, year=2023, title="商务局本级", current_version=1, total_hundredths=9000, grade="优",
        )
        versions.create(evaluation=other, number=1, data=broken, state="draft", total_hundredths=9000, grade="优")

        new = _migrate(AFTER)
        rows = {(v.evaluation_id, v.number): v for v in new.get_model("evaluations", "EvaluationVersion").objects.all()}
        expected = services.summary_columns(services.score(services.load_model(over)))
        assert expected["grade"] == ""  # the engine of today: 105 分 cannot be graded
        assert {c: getattr(rows[evaluation.pk, 2], c) for c in expected} == expected
        assert {c: getattr(rows[evaluation.pk, 1], c) for c in good} == good
        assert (rows[other.pk, 1].grade, rows[other.pk, 1].total_hundredths) == ("优", 9000)
        stored = new.get_model("evaluations", "Evaluation").objects.get(pk=evaluation.pk)
        assert {c: getattr(stored, c) for c in expected} == expected
        assert new.get_model("evaluations", "Evaluation").objects.get(pk=other.pk).grade == "优"

        # Backwards is a no-op, and the append-only trigger is back in force once the migration is done.
        _migrate(BEFORE)
        assert old.get_model("evaluations", "EvaluationVersion").objects.get(pk=rows[evaluation.pk, 2].pk).grade == ""
        if connection.vendor == "postgresql":
            from django.db import InternalError, ProgrammingError, transaction

            with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
                old.get_model("evaluations", "EvaluationVersion").objects.update(grade="优")
    finally:
        _migrate(_latest())


def _latest() -> list[tuple[str, str]]:
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).graph.leaf_nodes()


# ---- planning 0002: evaluations stored before the chain get their targets -------------------------

@pytest.mark.django_db(transaction=True)
def test_planning_0002_turns_existing_evaluations_into_targets_entered_at_self_evaluation() -> None:
    from jixiao.io.evaluation_file import read_evaluation
    from jixiao.web.evaluations import services

    everything_else = [node for node in _latest() if node[0] != "planning"]
    before, after = [("planning", "0001_initial"), *everything_else], [("planning", "0002_targets_from_evaluations"), *everything_else]
    old = _migrate(before)
    try:
        unit = old.get_model("orgs", "Organisation").objects.create(name="商务局本级", kind="unit")
        seed = services.to_data(read_evaluation(SEED))
        evaluations = old.get_model("evaluations", "Evaluation").objects
        versions = old.get_model("evaluations", "EvaluationVersion").objects
        good = evaluations.create(unit=unit, year=2024, title="商务局本级", current_version=2)
        draft = dict(seed, indicators=[dict(seed["indicators"][0], target="1"), *seed["indicators"][1:]])
        versions.create(evaluation=good, number=1, data=draft, state="draft")  # an older version: not the one used
        versions.create(evaluation=good, number=2, data=seed, state="approved")
        broken = evaluations.create(unit=unit, year=2023, title="商务局本级", current_version=1)
        versions.create(evaluation=broken, number=1, data=dict(seed, indicators="not a list"), state="draft")

        new = _migrate(after)
        records = new.get_model("planning", "StageRecord").objects
        record = records.get(kind="targets", unit_id=unit.pk)  # one: the unreadable evaluation is skipped
        assert (record.year, record.state, record.data["entered_at"]) == (2024, "approved", "self_evaluation")
        assert [i["name"] for i in record.data["indicators"]] == [i["name"] for i in seed["indicators"]]
        assert record.data["indicators"][0]["target"] == seed["indicators"][0]["target"]
        assert new.get_model("planning", "StageVersion").objects.get(record_id=record.pk).note == "由自评（第 2 版）补录"
        uses = new.get_model("planning", "IndicatorUse").objects.filter(record_id=record.pk, code=record.data["indicators"][3]["code"])
        assert sorted((u.use, u.shown) for u in uses) == [("actual", "72家"), ("target", "≥70家")]

        # Backwards keeps the declarations; forwards again adds nothing.
        _migrate(before)
        _migrate(after)
        assert records.filter(kind="targets").count() == 1
    finally:
        _migrate(_latest())
