"""Who may see and do what: every view and download, every role, and guessed ids."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.core.workflow import Action
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.permissions import visible_evaluations

from .conftest import CONFIRM, World, form_post

READ_VIEWS = [
    ("evaluations:detail", {}),
    ("evaluations:history", {}),
    ("evaluations:download", {"fmt": "yaml"}),
    ("evaluations:download", {"fmt": "json"}),
]

# Who sees an evaluation of unit_a1 (department A, finance bureau).
SEES_A1 = {"prep_a1": True, "head_a1": True, "dept_a": True, "finance": True, "admin": True,
           "prep_a2": False, "prep_b1": False, "dept_b": False, "nobody": False}


@pytest.mark.parametrize("name,sees", sorted(SEES_A1.items()))
@pytest.mark.parametrize("view,kwargs", READ_VIEWS)
def test_read_views_are_scoped(world: World, name: str, sees: bool, view: str, kwargs: dict[str, str]) -> None:
    evaluation = world.evaluation()
    response = world.client(name).get(reverse(view, kwargs={"pk": evaluation.pk, **kwargs}))
    assert response.status_code == (200 if sees else 404)
    if not sees:
        assert world.seed_data["unit"]["functions"][:20].encode() not in response.content


def test_download_contains_the_data_for_those_in_scope(world: World) -> None:
    evaluation = world.evaluation()
    body = world.client("dept_a").get(reverse("evaluations:download", kwargs={"pk": evaluation.pk, "fmt": "json"}))
    assert "3142.55" in body.content.decode()
    assert "attachment" in body["Content-Disposition"]


@pytest.mark.parametrize("view,kwargs,method", [
    ("evaluations:detail", {}, "get"), ("evaluations:edit", {}, "get"), ("evaluations:edit", {}, "post"),
    ("evaluations:preview", {}, "post"), ("evaluations:history", {}, "get"),
    ("evaluations:download", {"fmt": "yaml"}, "get"), ("evaluations:import", {}, "post"),
    ("evaluations:action", {"action": "submit"}, "post"), ("evaluations:action", {"action": "approve"}, "post"),
    ("evaluations:comment", {}, "post"), ("evaluations:delete", {}, "post"),
    ("evaluations:row", {"table": "ind"}, "get"),
])
def test_guessed_ids_are_404(world: World, view: str, kwargs: dict[str, str], method: str) -> None:
    other = world.evaluation(world.unit_b1, preparer="prep_b1")
    missing = Evaluation.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    client = world.client("prep_a1")
    for pk in (other.pk, missing):
        response = getattr(client, method)(reverse(view, kwargs={"pk": pk, **kwargs}), {"text": "x", "reason": "x"})
        assert response.status_code == 404, (view, pk)
    other.refresh_from_db()
    assert other.current_version == 1 and other.state == "draft" and not other.comments.exists()


def test_anonymous_users_are_sent_to_login(world: World) -> None:
    evaluation = world.evaluation()
    for url in (reverse("evaluations:list"), reverse("evaluations:detail", args=[evaluation.pk]),
                reverse("evaluations:download", args=[evaluation.pk, "yaml"])):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_list_shows_only_the_scope(world: World) -> None:
    world.evaluation()
    world.evaluation(world.unit_a2, preparer="prep_a2")
    world.evaluation(world.unit_b1, preparer="prep_b1")
    counts = {name: visible_evaluations(world.users[name]).count() for name in SEES_A1}
    assert counts == {"prep_a1": 1, "head_a1": 1, "prep_a2": 1, "prep_b1": 1, "dept_a": 2, "dept_b": 1,
                      "finance": 3, "admin": 3, "nobody": 0}
    page = world.client("dept_b").get(reverse("evaluations:list")).content.decode()
    assert "第一中学" in page and "招商服务中心" not in page


def test_reviewers_cannot_edit_and_preparers_cannot_review(world: World) -> None:
    evaluation = world.evaluation(ready=True)
    for name in ("head_a1", "dept_a", "finance"):
        client = world.client(name)
        assert client.get(reverse("evaluations:edit", args=[evaluation.pk])).status_code == 403
        post = form_post(world.seed_data, 1)
        assert client.post(reverse("evaluations:edit", args=[evaluation.pk]), post).status_code == 403
    services.transition(world.users["prep_a1"], evaluation, Action.SUBMIT, **CONFIRM)
    response = world.client("prep_a1").post(reverse("evaluations:action", args=[evaluation.pk, "approve"]))
    assert response.status_code == 403
    # The department cannot approve at the unit head's stage.
    assert world.client("dept_a").post(reverse("evaluations:action", args=[evaluation.pk, "approve"])).status_code == 403
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.stage) == ("pending", "unit")


def test_only_preparers_of_a_unit_can_create_there(world: World) -> None:
    assert world.client("dept_a").get(reverse("evaluations:new")).status_code == 403
    response = world.client("prep_a1").post(reverse("evaluations:new"), {"unit": world.unit_b1.pk, "year": "2025"})
    assert response.status_code == 400
    assert not Evaluation.objects.filter(unit=world.unit_b1).exists()


def test_trash_is_for_admins_only(world: World) -> None:
    evaluation = world.evaluation()
    services.soft_delete(world.users["prep_a1"], evaluation)
    assert world.client("finance").get(reverse("evaluations:trash")).status_code == 403
    assert world.client("prep_a1").post(reverse("evaluations:trash"), {"pk": evaluation.pk}).status_code == 403
    assert world.client("prep_a1").get(reverse("evaluations:detail", args=[evaluation.pk])).status_code == 404
    admin = world.client("admin")
    assert "商务局本级" in admin.get(reverse("evaluations:trash")).content.decode()
    assert admin.post(reverse("evaluations:trash"), {"pk": evaluation.pk}).status_code == 302
    assert world.client("prep_a1").get(reverse("evaluations:detail", args=[evaluation.pk])).status_code == 200


def test_admin_site_is_for_superusers(world: World) -> None:
    world.evaluation()
    admin = world.client("admin")
    for url in ("/admin/", "/admin/orgs/organisation/", "/admin/orgs/membership/", "/admin/evaluations/evaluation/",
                "/admin/evaluations/yearsetting/add/", "/admin/evaluations/evaluationversion/"):
        assert admin.get(url).status_code == 200, url
    assert world.client("finance").get("/admin/orgs/organisation/").status_code == 302


def test_year_setting_refuses_an_unknown_rule_set(world: World) -> None:
    from django.core.exceptions import ValidationError

    from jixiao.web.evaluations.models import YearSetting

    YearSetting(year=2024, rules="guangxi").full_clean()
    with pytest.raises(ValidationError):
        YearSetting(year=2025, rules="no-such-rules").full_clean()


@pytest.mark.parametrize("name", ["head_a1", "dept_a", "finance"])
def test_reviewers_cannot_use_the_preparers_endpoints(world: World, name: str) -> None:
    evaluation = world.evaluation()
    client = world.client(name)
    post = form_post(evaluation.versions.get().data, 1)
    assert client.post(reverse("evaluations:preview", args=[evaluation.pk]), post).status_code == 403
    assert client.get(reverse("evaluations:row", args=[evaluation.pk, "ind"])).status_code == 403
    assert client.post(reverse("evaluations:import", args=[evaluation.pk]), {"base_version": "1"}).status_code == 403
    assert client.post(reverse("evaluations:delete", args=[evaluation.pk])).status_code == 403
    assert client.post(reverse("evaluations:action", args=[evaluation.pk, "submit"])).status_code == 403
    evaluation.refresh_from_db()
    assert (evaluation.current_version, evaluation.state, evaluation.deleted_at) == (1, "draft", None)
