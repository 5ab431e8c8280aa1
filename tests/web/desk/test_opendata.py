"""Open data: CSV + datapackage.json of the approved evaluations, valid by the frictionless library, streamed."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli.app import app
from jixiao.web.desk import opendata
from jixiao.web.desk.models import IndicatorRow

from ..conftest import World
from .jobs_support import approved, submitted

pytestmark = pytest.mark.django_db


def test_the_package_is_valid_and_holds_only_published_results(world: World, tmp_path: Path) -> None:
    import frictionless

    evaluation = approved(world)
    submitted(world, world.unit_b1, "prep_b1")  # not approved: not published
    stats = opendata.write_package(2024, tmp_path)
    assert (stats.evaluations, stats.indicators) == (1, IndicatorRow.objects.filter(evaluation=evaluation).count())
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == ["evaluations", "indicators"]
    assert descriptor["resources"][1]["schema"]["foreignKeys"][0]["reference"]["resource"] == "evaluations"

    with (tmp_path / "evaluations.csv").open(encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert (row["unit"], row["total_score"], row["grade"]) == ("商务局本级", "85", "良")
    assert (row["budget_adjusted"], row["budget_executed"]) == ("3142.55", "3142.55")
    assert Decimal(row["budget_initial"]) > 0
    with (tmp_path / "indicators.csv").open(encoding="utf-8", newline="") as f:
        indicators = list(csv.DictReader(f))
    assert sum(Decimal(i["score"]) for i in indicators) + Decimal(10) == Decimal(row["total_score"])
    assert indicators[0]["name"] == "开办夜市数量" and indicators[0]["target"] == "4"
    assert not list(tmp_path.glob(".*"))  # no temporary files left


def test_a_changed_file_fails_validation(world: World, tmp_path: Path) -> None:
    import frictionless

    approved(world)
    opendata.write_package(2024, tmp_path)
    path = tmp_path / "indicators.csv"
    path.write_text(path.read_text("utf-8").replace(",开办夜市数量,", ",开办夜市数量x,"), "utf-8")
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_the_command(world: World, tmp_path: Path) -> None:
    import frictionless

    approved(world)
    result = CliRunner().invoke(app, ["opendata", "--year", "2024", "-o", str(tmp_path / "open")])
    assert result.exit_code == 0, result.output
    assert "自评 1 份" in result.output
    assert frictionless.validate(str(tmp_path / "open" / "datapackage.json")).valid
    empty = CliRunner().invoke(app, ["opendata", "--year", "2023", "-o", str(tmp_path / "none")])
    assert empty.exit_code == 0 and frictionless.validate(str(tmp_path / "none" / "datapackage.json")).valid


def test_numbers_are_plain_text() -> None:
    assert [opendata.number(Decimal(v)) for v in ("100.000000", "1.500000", "0E-6", "-2.25")] == ["100", "1.5", "0", "-2.25"]
    assert opendata.points(8500) == "85" and opendata.points(None) == ""


def test_the_database_writes_the_same_text_as_python(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL the numbers are formatted by the database (trim_scale); the files are byte for byte the
    ones Python's own formatting writes, awkward values included."""
    from jixiao.web.desk.models import EvaluationFigures

    evaluation = approved(world)
    first, second, third = IndicatorRow.objects.filter(evaluation=evaluation).order_by("position")[:3]
    IndicatorRow.objects.filter(pk=first.pk).update(target=Decimal("0E-6"), actual=Decimal("-2.250000"), met=None,
                                                    completion_rate_hundredths=None, name='引号"与,逗号')
    IndicatorRow.objects.filter(pk=second.pk).update(target=Decimal("1000000.000000"), actual=None,
                                                     score_hundredths=-5, name="换行\n之后", unit="")
    IndicatorRow.objects.filter(pk=third.pk).update(target=Decimal("0.000001"), completion_rate_hundredths=12345678901)
    EvaluationFigures.objects.filter(evaluation=evaluation).update(budget_initial=None)
    opendata.write_package(2024, tmp_path / "database")
    monkeypatch.setattr(opendata, "_in_sql", lambda: False)
    opendata.write_package(2024, tmp_path / "python")
    for name in ("evaluations.csv", "indicators.csv"):
        assert (tmp_path / "database" / name).read_bytes() == (tmp_path / "python" / name).read_bytes(), name
    with (tmp_path / "database" / "indicators.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["target"], r["actual"], r["met"], r["completion_rate"]) for r in rows[:3]] == [
        ("0", "-2.25", "", ""), ("1000000", "", rows[1]["met"], rows[1]["completion_rate"]),
        ("0.000001", rows[2]["actual"], rows[2]["met"], "123456789.01")]
    assert (rows[0]["name"], rows[1]["name"], rows[1]["score"]) == ('引号"与,逗号', "换行\n之后", "-0.05")
