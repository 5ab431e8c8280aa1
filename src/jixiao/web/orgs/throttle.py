"""Login throttling: after too many failures for a user name or from an address, refuse for a while.

Every door that takes a password (the site's login page, the admin's, anything later that calls
`django.contrib.auth.authenticate`) reaches the password check only through `ThrottledBackend`, so
the count and the lock are the same whichever door is knocked on. Names are counted as login
compares them: stripped and NFKC-normalised (full-width ``ａｄｍｉｎ`` is ``admin``), case kept, since
user names are case-sensitive in Django.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from jixiao.web.orgs.models import LoginFailure

LOCKED = "登录失败次数过多，请 15 分钟后再试，或联系管理员。"


def normalise_username(raw: object) -> str:
    """The name as Django's login form hands it to the backends (strip, then NFKC)."""
    return unicodedata.normalize("NFKC", str(raw or "").strip())[:150]


def client_address(request: HttpRequest | None) -> str:
    """The client's address. Behind N trusted reverse proxies (JIXIAO_PROXY_COUNT=N) it is the N-th
    address from the right of X-Forwarded-For: the proxies append, so anything further left is
    whatever the client chose to send."""
    if request is None:
        return ""
    hops = settings.JIXIAO_PROXY_COUNT
    if hops:
        forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if a.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def is_locked(username: str, address: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    recent = LoginFailure.objects.filter(at__gte=since)
    name = normalise_username(username)
    by_name = recent.filter(username=name).count() if name else 0
    by_address = recent.filter(address=address).count() if address else 0
    # An address gets more room than a name: several people may share one office gateway.
    return by_name >= settings.LOGIN_FAILURE_LIMIT or by_address >= settings.LOGIN_FAILURE_LIMIT * 4


def record_failure(username: str, address: str) -> None:
    LoginFailure.objects.create(username=normalise_username(username), address=address[:64])


def clear_failures(username: str) -> None:
    old = timezone.now() - timedelta(days=1)
    LoginFailure.objects.filter(Q(username=normalise_username(username)) | Q(at__lt=old)).delete()


class ThrottledBackend(ModelBackend):
    """Django's password backend behind the throttle: a locked name or address is refused before
    the password is looked at (the right password does not unlock it), a wrong one is counted."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> AbstractBaseUser | None:
        if password is None:
            return None
        name = normalise_username(username if username is not None else kwargs.get("username"))
        address = client_address(request)
        if is_locked(name, address):
            raise PermissionDenied(LOCKED)  # authenticate() stops here and reports a failed login
        user = super().authenticate(request, username=name, password=password, **kwargs)
        if user is None:
            record_failure(name, address)
        else:
            clear_failures(name)
        return user
