"""What every page's header needs to know about the signed-in user."""

from __future__ import annotations

from django.http import HttpRequest

from jixiao.web.permissions import reviews_anything


def navigation(request: HttpRequest) -> dict[str, bool]:
    return {"nav_reviewer": reviews_anything(request.user)}
