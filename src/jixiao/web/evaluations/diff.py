"""Field-by-field differences between two versions of an evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.web.evaluations.editing import INDICATORS, PROJECTS, SPECS


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


_ROW_LABELS = {spec.path: spec.label for spec in INDICATORS.columns + INDICATORS.details}
_PROJECT_LABELS = {spec.path: spec.label for spec in PROJECTS.columns + PROJECTS.details}


def label_for(path: str, names: dict[str, str] | None = None) -> str:
    """A Chinese label for a field path (e.g. `indicators[2].actual` → `指标3（名称）·完成值`)."""
    if path in SPECS:
        return SPECS[path].label
    for prefix, labels, noun in (("indicators[", _ROW_LABELS, "指标"), ("expenditure.projects[", _PROJECT_LABELS, "项目")):
        if path.startswith(prefix):
            index, _, rest = path[len(prefix):].partition("]")
            field = rest.lstrip(".")
            head = f"{noun}{int(index) + 1}" if index.isdigit() else noun
            if names and (name := names.get(f"{path[: len(prefix) + len(index) + 1]}")):
                head += f"（{name}）"
            return f"{head}·{labels.get(field, field)}" if field else head
    return path


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    a, b = flatten(old), flatten(new)
    names = {
        f"indicators[{i}]": str(item.get("name", "")) for i, item in enumerate(new.get("indicators") or old.get("indicators") or [])
    }
    changes = []
    for path in sorted(a.keys() | b.keys(), key=_order_key):
        if a.get(path) != b.get(path):
            changes.append(Change(path, label_for(path, names), a.get(path), b.get(path)))
    return changes


def _order_key(path: str) -> tuple[str, ...]:
    # Numeric order for list indices so indicator 10 sorts after indicator 9.
    return tuple(part.zfill(6) if part.isdigit() else part for part in path.replace("[", ".").replace("]", "").split("."))
