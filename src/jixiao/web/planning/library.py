"""The indicator library in the web app: the shipped common library plus departments' own entries."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from jixiao.core.library import LibraryEntry, similar_names
from jixiao.core.library import search as search_entries
from jixiao.io.library_file import shipped_library
from jixiao.web.orgs.models import Organisation
from jixiao.web.planning.models import LibraryIndicator, RecordKind, StageRecord


def entries() -> list[LibraryEntry]:
    own = [LibraryEntry.model_validate(row.data) for row in LibraryIndicator.objects.all()]
    return own + shipped_library().entries


def code_by_name() -> dict[str, str]:
    """Library code of each indicator name (a department's own entry before the common one): an
    indicator typed with a library entry's exact name is that entry, picked or not."""
    found: dict[str, str] = {}
    for entry in entries():
        found.setdefault(entry.name.strip(), entry.code)
    return found


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


def own_entries(user: User | AnonymousUser) -> QuerySet[LibraryIndicator]:
    """The entries of the departments (or the bureau) this user reviews for: the ones they may edit."""
    from jixiao.web.planning.services import reviewer_scope

    return LibraryIndicator.objects.filter(owner__in=reviewer_scope(user)).select_related("owner").order_by("owner__name", "code")


def save_entry(owner: Organisation, entry: LibraryEntry, pk: int | None = None) -> LibraryIndicator:
    """A new entry, or the entry `pk` changed; a code used twice in one library is refused."""
    clash = LibraryIndicator.objects.filter(owner=owner, code=entry.code)
    if (clash.exclude(pk=pk) if pk is not None else clash).exists():
        raise ValueError(f"编码“{entry.code}”已在{owner.name}的指标库中使用，请换一个编码。")
    row = LibraryIndicator(pk=pk, owner=owner, code=entry.code, name=entry.name, data=entry.model_dump(mode="json"))
    row.save()
    return row


def similar_projects(user: User | AnonymousUser, record: StageRecord) -> list[dict[str, Any]]:
    """Indicators of declarations with names like this one's (that the user may see), to start from:
    each project with its year and its targets in force, those already in this declaration left out."""
    from jixiao.core.targets import TargetDeclaration, apply_adjustments
    from jixiao.web.planning.services import model_of, shown, stage_records

    others = stage_records(user).filter(kind=RecordKind.TARGETS).exclude(pk=record.pk).order_by("-year", "-id")
    titles = list(others.values_list("title", flat=True).distinct()[:2000])
    like = similar_names(record.title, titles)
    current = model_of(record)
    have = {ind.name for ind in current.indicators}
    found = []
    for title in like:
        other = others.filter(title=title).first()
        if other is None:
            continue
        declaration = model_of(other)
        assert isinstance(declaration, TargetDeclaration)
        indicators = [
            {"ind": ind, "shown": shown(ind.comparator, ind.target, ind.target_text, ind.unit),
             "fill": json.dumps({"level1": ind.level1.value, "level2": ind.level2, "name": ind.name, "kind": ind.kind.value,
                      "comparator": ind.comparator.value if ind.comparator else "", "target": str(ind.target) if ind.target is not None else "",
                      "target_text": ind.target_text or "", "unit": ind.unit or "", "library_code": ind.library_code or ""}, ensure_ascii=False)}
            for ind in apply_adjustments(declaration).indicators if ind.name not in have
        ]
        if indicators:
            found.append({"record": other, "indicators": indicators})
    return found
