"""The hostile-file set uploaded through the web app: a 400 page in Chinese naming the file and the sheet,
quickly, and nothing saved is changed."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hostile import far_cell_xlsx, unpacking_bomb_xlsx
from jixiao.web.evaluations.models import Evaluation

from .conftest import World

HOSTILE = [("远处.xlsx", far_cell_xlsx, "XFD1048576"), ("炸弹.xlsx", unpacking_bomb_xlsx, "解压后过大")]


@pytest.mark.parametrize(("name", "make", "says"), HOSTILE)
def test_import_into_an_evaluation_is_refused_and_nothing_changes(world: World, name: str, make: object, says: str) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    started = time.perf_counter()
    response = client.post(reverse("evaluations:import", args=[evaluation.pk]), {
        "file": SimpleUploadedFile(name, make()), "base_version": "1"})  # type: ignore[operator]
    assert time.perf_counter() - started < 10
    page = response.content.decode()
    assert response.status_code == 400 and says in page and name in page
    fresh = Evaluation.objects.get(pk=evaluation.pk)
    assert fresh.current_version == 1 and fresh.versions.count() == 1


@pytest.mark.parametrize(("name", "make", "says"), HOSTILE)
def test_a_new_evaluation_from_a_hostile_file_is_refused(world: World, name: str, make: object, says: str) -> None:
    client = world.client("prep_a1")
    response = client.post(reverse("evaluations:new"), {
        "unit": str(world.unit_a1.pk), "file": SimpleUploadedFile(name, make())})  # type: ignore[operator]
    page = response.content.decode()
    assert response.status_code == 400 and says in page and name in page
    assert not Evaluation.objects.exists()
