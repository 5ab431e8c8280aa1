"""Field-by-field differences between two versions of an evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.core.labels import field_label, value_label


@dataclass(frozen=True, slots=True)
class Change:
    path: str
    label: str
    old: str | None
    new: str | None

    @property
    def kind(self) -> str:
        if self.old is None:
            return "新增"
        if self.new is None:
            return "删除"
        return "修改"


def flatten(data: Any, prefix: str = "") -> dict[str, str]:
    """Every leaf of the JSON as `path -> text`; lists of scalars stay one value."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(data, list) and any(isinstance(v, dict) for v in data):
        for index, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{index}]"))
    elif isinstance(data, list):
        out[prefix] = "；".join(str(v) for v in data)
    elif data is not None:
        out[prefix] = str(data)
    return out


def label_for(path: str, names: dict[str, str] | None = None) -> str:
    """A Chinese label for a field path (e.g. `indicators[2].actual` → `指标3（名称）·完成值`)."""
    return field_label(path, names)


def row_names(*datas: dict[str, Any]) -> dict[str, str]:
    """`indicators[2]` → the indicator's name (and the same for projects), for labels people recognise."""
    names: dict[str, str] = {}
    for data in datas:
        for path, rows in (("indicators", data.get("indicators")), ("expenditure.projects", (data.get("expenditure") or {}).get("projects"))):
            for i, item in enumerate(rows or []):
                if isinstance(item, dict) and item.get("name"):
                    names.setdefault(f"{path}[{i}]", str(item["name"]))
    return names


def _same(a: str | None, b: str | None) -> bool:
    """Equal text, or the same number written two ways ("860.00" and "860")."""
    if a == b:
        return True
    if a is None or b is None:
        return False
    try:
        return Decimal(a) == Decimal(b)
    except (InvalidOperation, ValueError):
        return False


def _shown(path: str, value: str | None) -> str | None:
    return None if value is None else value_label(path, value)


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    a, b = flatten(old), flatten(new)
    names = row_names(new, old)
    return [
        Change(path, label_for(path, names), _shown(path, a.get(path)), _shown(path, b.get(path)))
        for path in sorted(a.keys() | b.keys(), key=_order_key)
        if not _same(a.get(path), b.get(path))
    ]


def _order_key(path: str) -> tuple[str, ...]:
    # Numeric order for list indices so indicator 10 sorts after indicator 9.
    return tuple(part.zfill(6) if part.isdigit() else part for part in path.replace("[", ".").replace("]", "").split("."))
