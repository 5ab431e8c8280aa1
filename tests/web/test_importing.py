"""Importing into an evaluation merges: the app's own files round-trip with no field changed (property
tests over every example and random evaluations, for .xlsx, YAML and JSON), what a file cannot carry
is kept and listed, the diff is shown before saving, and another unit's or year's file is refused."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.io.evaluation_file import read_evaluation
from jixiao.web.evaluations import importing, services
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.orgs.models import Membership, Role

from .conftest import World

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))
FORMATS = ("xlsx", "docx", "yaml", "json")
cjk = st.text(alphabet=st.sampled_from("预算绩效自评问题原因措施佐证资料年度重点工作完成情况，。、"), min_size=1, max_size=30)
amount = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


def _example(path: Path) -> dict[str, Any]:
    return services.to_data(read_evaluation(path))


def _reimport(current: dict[str, Any], fmt: str) -> dict[str, Any]:
    """Export the current data in `fmt`, read the file back and merge it into the current data."""
    body = importing.export_bytes(services.load_model(current), fmt, "national")
    imported = services.to_data(importing.read_upload(SimpleUploadedFile(f"自评.{fmt}", body)))
    trip = importing.round_trip(services.load_model(current), fmt, "national")
    return services.to_data(services.load_model(importing.merge3(current, trip, imported)))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_round_trips_with_no_field_changed(example: Path, fmt: str) -> None:
    current = _example(example)
    assert _reimport(current, fmt) == current


@st.composite
def evaluations(draw: st.DrawFn) -> dict[str, Any]:
    """An example with random narrative, mid-year values, evidence, reasons, dates and budget figures."""
    data = _example(draw(st.sampled_from(EXAMPLES)))
    data["narrative"] = {"problems": draw(st.lists(cjk, max_size=3)), "causes": draw(st.lists(cjk, max_size=3)),
                         "measures": draw(st.lists(cjk, max_size=3)), "key_work": draw(cjk)}
    data["filled_date"] = draw(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2025, 12, 31))).isoformat()
    data["unit"]["supervising_department"] = draw(cjk)
    data["budget"]["adjustment_explanation"] = draw(cjk)
    initial = draw(amount)
    data["budget"].update(initial=str(initial), adjusted=str(initial + draw(amount)))
    for indicator in data["indicators"]:
        indicator["evidence"] = draw(cjk)
        indicator["deviation_reason"] = draw(cjk)
        if indicator.get("kind", "quantitative") == "quantitative":
            indicator["mid_year"] = str(draw(amount))
    return services.to_data(services.load_model(data))


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(current=evaluations())
def test_random_evaluations_round_trip_with_no_field_changed(fmt: str, current: dict[str, Any]) -> None:
    assert _reimport(current, fmt) == current


def test_the_xlsx_cannot_carry_the_narrative_and_says_so() -> None:
    current = _example(EXAMPLES[-1])  # the seed: narrative, mid-year values, evidence …
    trip = importing.round_trip(services.load_model(current), "xlsx", "national")
    kept = importing.not_carried(current, trip)
    assert "存在的主要问题" in kept and "指标·年中值" in kept and "指标·佐证资料" in kept
    assert importing.not_carried(current, importing.round_trip(services.load_model(current), "yaml", "national")) == []


def _xlsx_with_actual(body: bytes, old: str, new: Decimal) -> bytes:
    """The 自评表 with one indicator's 实际完成值 changed, as a user would do it in Excel."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book.active
    assert sheet is not None
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, (int, float)) and Decimal(str(cell.value)) == Decimal(old) and cell.column > 5:
                cell.value = float(new)
                out = io.BytesIO()
                book.save(out)
                return out.getvalue()
    raise AssertionError("value not found")


def _preview(client: Client, evaluation: Evaluation, filename: str, body: bytes) -> Any:
    return client.post(reverse("evaluations:import", args=[evaluation.pk]),
                                   {"file": SimpleUploadedFile(filename, body), "base_version": str(evaluation.current_version)})


def _token(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


def test_reimporting_the_downloaded_xlsx_keeps_everything_and_applies_the_edit(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    body = client.get(reverse("evaluations:download", args=[evaluation.pk, "xlsx"])).content
    before = evaluation.versions.get(number=1).data
    # Unchanged: the preview shows no changes and lists what the file cannot carry.
    page = _preview(client, evaluation, "自评表.xlsx", body).content.decode()
    assert 'id="no-changes"' in page and "存在的主要问题" in page and "佐证资料" in page
    # One value changed in Excel: exactly that field changes; the narrative, mid-year values … stay.
    actual = before["indicators"][3]["actual"]
    response = _preview(client, evaluation, "自评表.xlsx", _xlsx_with_actual(body, actual, Decimal(66)))
    page = response.content.decode()
    assert response.status_code == 200 and "指标4（引进企业数量）·完成值" in page and "66" in page
    assert Evaluation.objects.get(pk=evaluation.pk).current_version == 1  # nothing saved before confirming
    url = reverse("evaluations:import-confirm", args=[evaluation.pk])
    response = client.post(url, {"token": _token(page), "confirm": "1"}, follow=True)
    msgs = [line for line in response.content.decode().splitlines() if "class=\"msg" in line]
    assert any("保存为第 2 版" in m and "已保留原值" in m for m in msgs), msgs
    after = evaluation.versions.get(number=2).data
    assert Decimal(after["indicators"][3]["actual"]) == 66
    after["indicators"][3]["actual"] = actual
    assert after == before
    # The token is spent: confirming again changes nothing.
    client.post(url, {"token": _token(page), "confirm": "1"})
    assert Evaluation.objects.get(pk=evaluation.pk).current_version == 2


def test_cancel_saves_nothing(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    data = dict(evaluation.versions.get().data, attachment_no="附件9")
    page = _preview(client, evaluation, "new.yaml", importing.data_bytes(data, "yaml")).content.decode()
    assert "附件编号" in page and "附件9" in page
    client.post(reverse("evaluations:import-confirm", args=[evaluation.pk]), {"token": _token(page), "cancel": "1"})
    assert Evaluation.objects.get(pk=evaluation.pk).current_version == 1


def test_another_units_or_years_file_is_refused_and_an_admin_is_asked(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    own = evaluation.versions.get().data
    other = dict(own, unit=dict(own["unit"], name="第一中学"))
    response = _preview(client, evaluation, "other.yaml", importing.data_bytes(other, "yaml"))
    page = response.content.decode()
    assert response.status_code == 400 and "文件属于“第一中学”" in page and "不能把其他单位的数据导入本单位" in page
    response = _preview(client, evaluation, "y.json", importing.data_bytes(dict(own, year=2023), "json"))
    assert response.status_code == 400 and "2023" in response.content.decode()
    # An admin (here also the unit's preparer, so allowed to edit) sees the warning and must tick to confirm.
    Membership.objects.create(user=world.users["admin"], organisation=world.unit_a1, role=Role.PREPARER)
    admin = world.client("admin")
    page = _preview(admin, evaluation, "other.yaml", importing.data_bytes(other, "yaml")).content.decode()
    assert 'id="other-unit"' in page and 'id="confirm-unit"' in page
    url = reverse("evaluations:import-confirm", args=[evaluation.pk])
    admin.post(url, {"token": _token(page), "confirm": "1"})
    assert Evaluation.objects.get(pk=evaluation.pk).current_version == 1
    page = _preview(admin, evaluation, "other.yaml", importing.data_bytes(other, "yaml")).content.decode()
    admin.post(url, {"token": _token(page), "confirm": "1", "confirm_unit": "1"})
    assert Evaluation.objects.get(pk=evaluation.pk).current_version == 2
