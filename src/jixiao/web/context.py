"""What every page's header needs to know about the signed-in user."""

from __future__ import annotations

from django.http import HttpRequest

from jixiao.web.permissions import reviews_anything


def navigation(request: HttpRequest) -> dict[str, bool]:
    from jixiao.web.desk.analytics_db import desk_scope

    return {"nav_reviewer": reviews_anything(request.user), "nav_desk": desk_scope(request.user) is not None}
