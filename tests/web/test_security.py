"""Login throttling, CSRF, hashed passwords, session expiry, production settings, Chinese error pages."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD, World


def test_login_and_logout(world: World) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "prep_a1", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("evaluations:list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("evaluations:list")).status_code == 302


def test_login_is_throttled_after_repeated_failures(world: World) -> None:
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "prep_a1", "password": "wrong"})
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    response = client.post(reverse("login"), {"username": "prep_a1", "password": PASSWORD})
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not locked out yet.
    assert client.post(reverse("login"), {"username": "dept_a", "password": PASSWORD}).status_code == 302


def test_passwords_are_hashed_with_pbkdf2(db: None, settings: Any) -> None:
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # Django's default list, as in production
    user = User.objects.create_user("someone", password=PASSWORD)
    assert PASSWORD not in user.password and user.password.startswith("pbkdf2_sha256$")
    assert user.check_password(PASSWORD)


def test_csrf_is_enforced(world: World) -> None:
    evaluation = world.evaluation()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["prep_a1"])
    response = client.post(reverse("evaluations:action", args=[evaluation.pk, "submit"]))
    assert response.status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.state == "draft"
    assert client.post(reverse("login"), {"username": "prep_a1", "password": PASSWORD}).status_code == 403


def test_session_and_cookie_settings() -> None:
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY and "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert not settings.DEBUG


def test_production_settings_from_the_environment() -> None:
    code = ("import django, json; from django.conf import settings; django.setup();"
            "print(json.dumps([settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE]))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jixiao.web.settings", "JIXIAO_HTTPS": "1", "JIXIAO_SECRET_KEY": "k" * 50}
    env.pop("JIXIAO_DEBUG", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[false, true, true]"


def test_unknown_pages_are_chinese_404_without_debug_details(world: World) -> None:
    client = world.client("prep_a1")
    response = client.get("/e/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "Traceback" not in body and "urlpatterns" not in body
