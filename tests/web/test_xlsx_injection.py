"""The web 自评表 download writes user text as text (no live formula from a name starting with "=")."""

from __future__ import annotations

from io import BytesIO

import openpyxl
from django.urls import reverse

from jixiao.web.evaluations import services

from .conftest import World

HOSTILE = '=HYPERLINK("http://evil.example/","点击")'


def test_web_table_download_has_no_formula(world: World) -> None:
    data = dict(world.seed_data, unit=dict(world.seed_data["unit"], name=world.unit_a1.name))
    data["indicators"] = [dict(data["indicators"][0], name=HOSTILE), *data["indicators"][1:]]
    evaluation = services.create_evaluation(world.users["prep_a1"], world.unit_a1, services.load_model(data))
    response = world.client("prep_a1").get(reverse("evaluations:download", args=[evaluation.pk, "xlsx"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    found = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in found if c.data_type == "f"]
    assert HOSTILE in [c.value for c in found]
