"""`{{ user|person }}`: a person as the header shows them (full name, else the login id)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def person(user: Any) -> str:
    if user is None:
        return "—"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or getattr(user, "username", "") or "—")
