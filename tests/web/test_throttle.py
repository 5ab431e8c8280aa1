"""Every door that takes a password is throttled the same way, counted on the normalised name."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from jixiao.web.orgs.models import LoginFailure
from jixiao.web.orgs.throttle import normalise_username

from .conftest import PASSWORD, World

ADMIN_LOGIN = "/admin/login/"


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_admin_login_is_throttled_and_recorded(world: World) -> None:
    client = Client()
    for _ in range(30):
        client.post(ADMIN_LOGIN, {"username": "admin", "password": "wrong", "next": "/admin/"})
    assert LoginFailure.objects.filter(username="admin").count() >= settings.LOGIN_FAILURE_LIMIT
    client.post(ADMIN_LOGIN, {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert not _logged_in(client)


def test_site_login_lock_also_closes_the_admin_door(world: World) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        Client().post(reverse("login"), {"username": "admin", "password": "wrong"})
    client = Client()
    client.post(ADMIN_LOGIN, {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert not _logged_in(client)
    # ... and the other way round: failures at the admin lock the site's login page.
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        Client(REMOTE_ADDR="10.0.0.9").post(ADMIN_LOGIN, {"username": "dept_a", "password": "wrong"})
    response = Client().post(reverse("login"), {"username": "dept_a", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.parametrize("variant", [" prep_a1", "prep_a1 ", "ｐｒｅｐ＿ａ１", "\u3000prep_a1"])
def test_name_variants_share_one_count(world: World, variant: str) -> None:
    assert normalise_username(variant) == "prep_a1"
    for i in range(settings.LOGIN_FAILURE_LIMIT):
        name = variant if i % 2 else "prep_a1"
        Client(REMOTE_ADDR=f"10.0.1.{i}").post(reverse("login"), {"username": name, "password": "wrong"})
    assert LoginFailure.objects.filter(username="prep_a1").count() == settings.LOGIN_FAILURE_LIMIT
    client = Client(REMOTE_ADDR="10.0.2.1")
    response = client.post(reverse("login"), {"username": variant, "password": PASSWORD})
    assert response.status_code == 429 and not _logged_in(client)


def test_the_right_password_does_not_clear_a_lock(world: World) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        Client().post(reverse("login"), {"username": "prep_a1", "password": "wrong"})
    client = Client(REMOTE_ADDR="10.0.3.1")
    client.post(ADMIN_LOGIN, {"username": "ｐｒｅｐ_a1", "password": PASSWORD})
    assert not _logged_in(client)
    assert LoginFailure.objects.filter(username="prep_a1").count() >= settings.LOGIN_FAILURE_LIMIT


def test_forwarded_address_is_used_only_behind_a_configured_proxy(world: World, settings: object) -> None:
    from django.test import RequestFactory

    from jixiao.web.orgs.throttle import client_address

    request = RequestFactory().get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2")
    settings.JIXIAO_PROXY_COUNT = 0  # type: ignore[attr-defined]
    assert client_address(request) == "10.9.9.9"
    settings.JIXIAO_PROXY_COUNT = 1  # type: ignore[attr-defined]
    assert client_address(request) == "2.2.2.2"  # the left one is whatever the client sent
