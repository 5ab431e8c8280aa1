"""Login throttling: after too many failures for a user name or from an address, refuse for a while."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from jixiao.web.orgs.models import LoginFailure


def is_locked(username: str, address: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    recent = LoginFailure.objects.filter(at__gte=since)
    by_name = recent.filter(username=username).count() if username else 0
    by_address = recent.filter(address=address).count()
    # An address gets more room than a name: several people may share one office gateway.
    return by_name >= settings.LOGIN_FAILURE_LIMIT or by_address >= settings.LOGIN_FAILURE_LIMIT * 4


def record_failure(username: str, address: str) -> None:
    LoginFailure.objects.create(username=username[:150], address=address[:64])


def clear_failures(username: str) -> None:
    old = timezone.now() - timedelta(days=1)
    LoginFailure.objects.filter(Q(username=username) | Q(at__lt=old)).delete()
