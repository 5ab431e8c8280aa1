"""The indicator library in the web app: the shipped common library plus departments' own entries."""

from __future__ import annotations

from typing import Any

from jixiao.core.library import LibraryEntry
from jixiao.core.library import search as search_entries
from jixiao.io.library_file import shipped_library
from jixiao.web.orgs.models import Organisation
from jixiao.web.planning.models import LibraryIndicator


def entries() -> list[LibraryEntry]:
    own = [LibraryEntry.model_validate(row.data) for row in LibraryIndicator.objects.all()]
    return own + shipped_library().entries


def as_json(entry: LibraryEntry) -> dict[str, Any]:
    return entry.model_dump(mode="json")


def search(query: str, limit: int = 15) -> list[LibraryEntry]:
    return search_entries(entries(), query, limit)


def import_entries(owner: Organisation, new: list[LibraryEntry]) -> int:
    """Add or replace an organisation's own entries by code."""
    for entry in new:
        LibraryIndicator.objects.update_or_create(
            owner=owner, code=entry.code, defaults={"name": entry.name, "data": entry.model_dump(mode="json")}
        )
    return len(new)
