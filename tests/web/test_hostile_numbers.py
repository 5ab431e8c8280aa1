"""Hostile numbers through every numeric door of the web app: the edit form, the year's forms (targets,
monitoring, new records, rounds, rectification, adjustments), integers in URLs and query strings,
YAML/JSON evaluation files and .xlsx cells.

5,000-digit integers, 1e999999999, 1e30 weights, ², ٣ (Arabic-Indic), full-width digits, NaN, Infinity,
-0 …: never a 500; either a 4xx page that says why in Chinese, or the number read exactly as the one
parser (jixiao.core.numbers) reads it; and a refused request changes nothing saved. Each request runs
in a savepoint that is rolled back, so every example starts from the same saved world.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import HOSTILE_NUMBERS, hostile_numbers
from jixiao.core.numbers import NumberError, check_decimal, parse_decimal
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.planning.models import RecordKind, StageRecord

from .conftest import World, form_post
from .matrix_support import planning_body

EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CJK = re.compile("[\u4e00-\u9fff]")


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def client_of(world: World, name: str) -> Client:
    client = Client(raise_request_exception=False)  # a 500 must show as a status, not stop the test
    client.force_login(world.users[name])
    return client


def assert_kind(response: HttpResponseBase, what: str) -> None:
    """Not a 500; a refusal is a 4xx that says why in Chinese."""
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if 400 <= response.status_code < 500:
        body = response.content.decode()
        assert CJK.search(body) and "Traceback" not in body, f"{what}: {response.status_code} without a message"


def form_number(text: str) -> Decimal:
    """What the edit form reads from `text` (full-width digits and separators, 万元/% accepted), or NumberError."""
    text = text.strip().translate(str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")).replace(",", "")
    for suffix in ("万元", "%", "％"):
        text = text.removesuffix(suffix).strip()
    return parse_decimal(text)


def record_number(text: str) -> Decimal | None:
    """What the year's forms read from `text` (separators dropped; nothing left is no number), or NumberError."""
    text = text.strip().replace(",", "")
    return parse_decimal(text) if text else None


# ---- the edit form ------------------------------------------------------------------------------

EDIT_FIELDS = {  # input → where the saved version keeps it
    "budget.initial": ("budget", "initial"),
    "budget.executed": ("budget", "executed"),
    "ind-0-actual": ("indicators", 0, "actual"),
    "ind-1-weight": ("indicators", 1, "weight"),
    "ind-2-target": ("indicators", 2, "target"),
}


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    """The value at `path`, None where an empty input left it out."""
    for key in path:
        if isinstance(data, dict) and key not in data:
            return None
        data = data[key]
    return data


@EXAMPLES
@given(field=st.sampled_from(sorted(EDIT_FIELDS)), text=hostile_numbers)
def test_the_edit_form_reads_a_number_exactly_or_refuses_in_chinese(world: World, field: str, text: str) -> None:
    evaluation = Evaluation.objects.filter(unit=world.unit_a1).first() or world.evaluation(ready=True)
    before = evaluation.versions.get(number=1).data
    with rolled_back():
        response = client_of(world, "prep_a1").post(f"/e/{evaluation.pk}/edit/", form_post(before, 1, **{field: text}))
        assert_kind(response, f"{field}={text[:30]!r}")
        saved = Evaluation.objects.get(pk=evaluation.pk)
        try:
            expected: Decimal | None = form_number(text) if text.strip() else None
        except NumberError:
            assert response.status_code == 400 and saved.current_version == 1, (field, text[:30])
            return
        if response.status_code == 302:
            stored = _at(saved.versions.get(number=2).data, EDIT_FIELDS[field])
            assert (None if stored is None else Decimal(stored)) == expected, (field, text[:30], stored)
        else:
            assert response.status_code == 400 and saved.current_version == 1, (field, text[:30])
    assert Evaluation.objects.get(pk=evaluation.pk).versions.get(number=1).data == before


def test_every_hostile_number_in_a_weight_is_refused_or_read_exactly(world: World) -> None:
    evaluation = world.evaluation(ready=True)
    data = evaluation.versions.get(number=1).data
    client = client_of(world, "prep_a1")
    for text in HOSTILE_NUMBERS:
        with rolled_back():
            response = client.post(f"/e/{evaluation.pk}/edit/", form_post(data, 1, **{"ind-1-weight": text}))
            assert_kind(response, repr(text[:30]))
            if response.status_code == 302:
                weight = Evaluation.objects.get(pk=evaluation.pk).versions.get(number=2).data["indicators"][1]["weight"]
                assert Decimal(weight) == form_number(text), text[:30]


# ---- the year's forms (计划: targets, monitoring, new records, rounds, rectification, adjustments) ----

@pytest.fixture
def records(world: World) -> dict[str, StageRecord]:
    """A draft declaration and, from an approved one, a monitoring report to fill in."""
    prep = world.client("prep_a1")
    for year in (2030, 2031):
        assert prep.post("/plan/targets/new/", {"unit": world.unit_a1.pk, "year": year}).status_code == 302
    draft, locked = StageRecord.objects.filter(kind=RecordKind.TARGETS).order_by("year")
    assert prep.post(f"/plan/r/{locked.pk}/action/submit/").status_code == 302
    for reviewer in ("head_a1", "dept_a", "finance"):
        assert world.client(reviewer).post(f"/plan/r/{locked.pk}/action/approve/").status_code == 302
    issued = world.client("finance").post("/plan/rounds/new/", {
        "scope": world.finance.pk, "year": 2031, "cut_off": "2031-06-30", "deadline": "2031-07-15"})
    assert issued.status_code == 302
    return {"draft": draft, "locked": StageRecord.objects.get(pk=locked.pk),
            "monitoring": StageRecord.objects.get(kind=RecordKind.MONITORING)}


RECORD_FIELDS = {  # input → (record, where its data keeps it)
    "budget_total": ("draft", ("budget", "total")),
    "ind-0-target": ("draft", ("indicators", 0, "target")),
    "ind-1-weight": ("draft", ("indicators", 1, "weight")),
    "ind-0-last_year_actual": ("draft", ("indicators", 0, "last_year_actual")),
    "executed_to_date": ("monitoring", ("budget", "executed_to_date")),
    "ind-0-value_to_date": ("monitoring", ("indicators", 0, "value_to_date")),
    "ind-0-expected": ("monitoring", ("indicators", 0, "expected")),
}


@EXAMPLES
@given(field=st.sampled_from(sorted(RECORD_FIELDS)), text=hostile_numbers)
def test_the_record_forms_read_a_number_exactly_or_refuse_in_chinese(world: World, records: dict[str, StageRecord],
                                                                     field: str, text: str) -> None:
    label, path = RECORD_FIELDS[field]
    record = records[label]
    post = planning_body({label: record}, label)
    if label == "monitoring":  # the report's own required figures, so only the hostile one can fail
        post.update({"executed_to_date": "10", **{f"ind-{n}-value_to_date": "1" for n in range(len(record.data["indicators"]))}})
    post[field] = text
    with rolled_back():
        response = client_of(world, "prep_a1").post(f"/plan/r/{record.pk}/edit/", post)
        assert_kind(response, f"{field}={text[:30]!r}")
        saved = StageRecord.objects.get(pk=record.pk)
        try:
            expected = record_number(text)
        except NumberError:
            assert response.status_code == 400 and saved.current_version == record.current_version, (field, text[:30])
            return
        if response.status_code == 302:
            stored = _at(saved.data, path)
            assert (None if stored is None else Decimal(str(stored))) == expected, (field, text[:30], stored)
        else:
            assert saved.current_version == record.current_version
    assert StageRecord.objects.get(pk=record.pk).data == record.data


def test_every_hostile_number_in_a_target_is_refused_or_read_exactly(world: World, records: dict[str, StageRecord]) -> None:
    record = records["draft"]
    client = client_of(world, "prep_a1")
    for text in HOSTILE_NUMBERS:
        post = {**planning_body({"draft": record}, "draft"), "ind-0-target": text}
        with rolled_back():
            response = client.post(f"/plan/r/{record.pk}/edit/", post)
            assert_kind(response, repr(text[:30]))
            try:
                expected = record_number(text)
            except NumberError:
                assert response.status_code == 400, text[:30]
                continue
            if response.status_code == 302:
                stored = StageRecord.objects.get(pk=record.pk).data["indicators"][0].get("target")
                assert (None if stored is None else Decimal(str(stored))) == expected, text[:30]


@EXAMPLES
@given(text=hostile_numbers, door=st.sampled_from(["targets_new.year", "targets_new.unit", "round.year", "round.scope",
                                                   "rect.year", "rect.unit", "adjust.target", "task.year",
                                                   "task.scope"]))
def test_ids_years_and_targets_of_the_year_forms(world: World, records: dict[str, StageRecord], text: str,
                                                  door: str) -> None:
    """"٣" is not unit 3 and "٢٠٢٥" not the year 2025: ids and years are ASCII digits or refused."""
    unit, finance = str(world.unit_a1.pk), str(world.finance.pk)
    form, field = door.split(".")
    url, user, post = {
        "targets_new": ("/plan/targets/new/", "prep_a1", {"unit": unit, "year": "2040"}),
        "round": ("/plan/rounds/new/", "finance", {"scope": finance, "year": "2031", "cut_off": "2031-09-30",
                                                    "deadline": "2031-10-15"}),
        "rect": ("/plan/rect/new/", "dept_a", {"unit": unit, "year": "2024", "problem": "未设满意度指标",
                                               "deadline": "2033-01-31"}),
        "task": ("/plan/tasks/new/", "finance", {"scope": finance, "kind": "targets", "year": "2034",
                                                "deadline": "2033-12-31"}),
        "adjust": (f"/plan/r/{records['locked'].pk}/adjust/", "prep_a1",
                   {"code": records["locked"].data["indicators"][0]["code"], "reason": "上级调减"}),
    }[form]
    post = {**post, field: text}
    ascii_int = re.fullmatch(r"[0-9]{1,15}", text.strip()) is not None
    with rolled_back():
        response = client_of(world, user).post(url, post)
        assert_kind(response, f"{door}={text[:30]!r}")
        if field in ("unit", "scope") and not ascii_int:
            assert response.status_code == 404, (door, text[:30])  # never another organisation's id read from ٣
        if field == "year" and not ascii_int:
            assert response.status_code == 400, (door, text[:30])
        if field == "target" and response.status_code == 302:
            asked = StageRecord.objects.get(pk=records["locked"].pk).data["adjustments"][-1].get("target")
            assert (None if asked is None else Decimal(str(asked))) == record_number(text)


# ---- integers in URLs and query strings -----------------------------------------------------------

URLS = ["/e/{n}/", "/e/{n}/history/", "/e/{n}/download.yaml", "/plan/r/{n}/", "/plan/rounds/{n}/", "/plan/rect/{n}/",
        "/e/{pk}/history/?a={n}&b=1", "/e/{pk}/download.yaml?version={n}", "/e/{pk}/?version={n}", "/?year={n}",
        "/?page={n}", "/plan/r/{record}/adjust/{n}/approve/"]


@EXAMPLES
@given(url=st.sampled_from(URLS), n=st.one_of(hostile_numbers, st.integers(min_value=-(10**40), max_value=10**40).map(str)))
def test_url_integers_are_read_or_not_found(world: World, records: dict[str, StageRecord], url: str, n: str) -> None:
    evaluation = Evaluation.objects.filter(unit=world.unit_a1).first() or world.evaluation()
    path = url.format(n=quote(n, safe=""), pk=evaluation.pk, record=records["locked"].pk)
    client = client_of(world, "finance")
    with rolled_back():
        response = client.post(path) if "/adjust/" in path else client.get(path)
        assert_kind(response, path[:80])


# ---- evaluation files (YAML, JSON) and .xlsx cells ----------------------------------------------

def file_number(raw: str, fmt: str) -> Decimal:
    """The weight as the file states it: what YAML or JSON reads `raw` as (YAML takes 1_000 for 1000),
    a text then read by the one parser; NumberError when it is no bounded number."""
    loaded = _loaded(raw, fmt)
    if isinstance(loaded, str):
        return parse_decimal(loaded)
    if isinstance(loaded, bool) or not isinstance(loaded, int | float):
        raise NumberError("不是数字")
    return check_decimal(Decimal(str(loaded)))


def _loaded(raw: str, fmt: str) -> Any:
    body = _json_with({"indicators": [{}]}, raw) if fmt == "json" else _yaml_with({"indicators": [{}]}, raw)
    try:
        data = json.loads(body) if fmt == "json" else yaml.safe_load(body)
    except ValueError:  # json: an integer of more than 4,300 digits
        return None
    return data["indicators"][0]["weight"]


def _json_with(data: dict[str, Any], raw: str) -> bytes:
    """The evaluation as JSON with the first indicator's weight written as `raw`, verbatim (a bare
    number when it looks like one, so json reads 1e999999999 as infinity and 5,000 digits as an int)."""
    marker = "__HOSTILE__"
    data = json.loads(json.dumps(data))
    data["indicators"][0]["weight"] = marker
    bare = re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|NaN|-?Infinity", raw) is not None
    return json.dumps(data, ensure_ascii=False).replace(f'"{marker}"', raw if bare else json.dumps(raw)).encode()


def _yaml_with(data: dict[str, Any], raw: str) -> bytes:
    """The evaluation as YAML with the first indicator's weight written as `raw`, unquoted when YAML allows."""
    marker = "__HOSTILE__"
    data = json.loads(json.dumps(data))
    data["indicators"][0]["weight"] = marker
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    plain = raw.strip() and re.fullmatch(r"[0-9A-Za-z.+\-²٣０-９_]+", raw) is not None
    return text.replace(marker, raw if plain else json.dumps(raw)).encode()


@EXAMPLES
@given(text=hostile_numbers, fmt=st.sampled_from(["json", "yaml"]))
def test_evaluation_files_with_hostile_numbers(world: World, text: str, fmt: str) -> None:
    body = _json_with(world.seed_data, text) if fmt == "json" else _yaml_with(world.seed_data, text)
    with rolled_back():
        response = client_of(world, "prep_a1").post("/new/", {"unit": world.unit_a1.pk,
                                                              "file": SimpleUploadedFile(f"自评.{fmt}", body)})
        assert_kind(response, f"{fmt} weight {text[:30]!r}")
        created = Evaluation.objects.filter(unit=world.unit_a1).first()
        if response.status_code == 302:
            assert created is not None
            weight = Decimal(created.versions.get(number=1).data["indicators"][0]["weight"])
            assert weight == file_number(text, fmt), text[:30]
        else:
            assert created is None


@pytest.fixture
def workbook(world: World) -> tuple[Evaluation, bytes, tuple[int, int]]:
    """unit_a1's evaluation, its 自评表 as downloaded, and the cell of the first indicator's 分值."""
    evaluation = world.evaluation()
    body = world.client("prep_a1").get(f"/e/{evaluation.pk}/download.xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    weight = Decimal(evaluation.versions.get(number=1).data["indicators"][0]["weight"])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, int | float) and Decimal(str(cell.value)) == weight and cell.column > 5:
                return evaluation, body, (cell.row, cell.column)
    raise AssertionError("分值 not found in the 自评表")


def _xlsx_with(body: bytes, at: tuple[int, int], value: object) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book.active
    assert sheet is not None
    sheet.cell(*at).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(hostile_numbers, st.sampled_from([1e30, 1e308, -0.0, 2**70, -5, 0.1 + 0.2])))
def test_xlsx_cells_with_hostile_numbers(world: World, workbook: tuple[Evaluation, bytes, tuple[int, int]],
                                         value: object) -> None:
    evaluation, body, at = workbook
    upload = SimpleUploadedFile("自评表.xlsx", _xlsx_with(body, at, value))
    with rolled_back():
        response = client_of(world, "prep_a1").post(f"/e/{evaluation.pk}/import/", {"file": upload, "base_version": "1"})
        assert_kind(response, f"xlsx 分值 {value!r:.30}")
        assert response.status_code in (200, 400), response.status_code
        assert Evaluation.objects.get(pk=evaluation.pk).current_version == 1  # a preview saves nothing
