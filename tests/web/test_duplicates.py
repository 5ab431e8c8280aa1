"""One live evaluation per unit, year, kind and project: a database constraint, and a Chinese message
linking the existing evaluation on create, import and restore."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from jixiao.web.evaluations import importing, services
from jixiao.web.evaluations.models import Evaluation

from .conftest import World


def test_the_database_refuses_a_second_live_evaluation(world: World) -> None:
    first = world.evaluation()
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(unit=first.unit, year=first.year, kind=first.kind, project="", title="重复")
    services.soft_delete(world.users["prep_a1"], first)
    second = world.evaluation()  # a deleted one does not count
    assert second.pk != first.pk
    with pytest.raises(services.DuplicateError, match="不能重复新建"):
        services.restore(world.users["admin"], first)


def test_creating_a_duplicate_says_so_and_links_the_existing_one(world: World) -> None:
    first = world.evaluation()
    with pytest.raises(services.DuplicateError, match="已有 2024 年"):
        world.evaluation()
    client = world.client("prep_a1")
    body = importing.data_bytes(first.versions.get().data, "yaml")
    response = client.post(reverse("evaluations:new"), {"unit": str(world.unit_a1.pk), "file": SimpleUploadedFile("again.yaml", body)})
    page = response.content.decode()
    assert response.status_code == 409 and "不能重复新建" in page
    assert f'href="{reverse("evaluations:detail", args=[first.pk])}"' in page
    response = client.post(reverse("evaluations:new"), {"unit": str(world.unit_a1.pk), "year": "2024"})
    assert response.status_code == 409 and 'id="existing-link"' in response.content.decode()
    assert Evaluation.objects.count() == 1
    # Another year, or a project of the same unit, is a different evaluation.
    assert client.post(reverse("evaluations:new"), {"unit": str(world.unit_a1.pk), "year": "2023"}).status_code == 302


def test_projects_of_one_unit_are_told_apart_by_name(world: World) -> None:
    data = dict(world.seed_data, unit=dict(world.seed_data["unit"], name=world.unit_a1.name), kind="project")
    user = world.users["prep_a1"]
    roads = services.create_evaluation(user, world.unit_a1, services.load_model(dict(data, project={"name": "农村公路"})))
    bridges = services.create_evaluation(user, world.unit_a1, services.load_model(dict(data, project={"name": "桥梁维修"})))
    assert (roads.project, bridges.project) == ("农村公路", "桥梁维修")
    with pytest.raises(services.DuplicateError, match="农村公路"):
        services.create_evaluation(user, world.unit_a1, services.load_model(dict(data, project={"name": "农村公路"})))
    # Renaming one project to the other's name in an edit is refused the same way.
    with pytest.raises(services.DuplicateError):
        services.save_version(user, bridges, services.load_model(dict(data, project={"name": "农村公路"})), 1)
