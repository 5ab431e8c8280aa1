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
