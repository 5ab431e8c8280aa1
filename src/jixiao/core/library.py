"""The indicator library (指标库): common indicators by category and sector, and departments' own.

An entry says what an indicator is (name, 一级/二级, comparator, unit), its typical values and
their basis, and where it comes from. Declaring a target picks an entry; the target keeps the
entry's code in `library_code`, so uses of the same indicator can be found across units and years.
"""

from __future__ import annotations

from pydantic import Field

from jixiao.core.model import Comparator, Level1, NonEmptyStr, Strict
from jixiao.core.targets import Basis, Code


class LibraryEntry(Strict):
    code: Code
    name: NonEmptyStr = Field(description="指标名称（三级指标）")
    level1: Level1 = Field(description="一级指标")
    level2: NonEmptyStr = Field(description="二级指标")
    category: NonEmptyStr = Field(description="类别：共性指标 / 行业指标 / 部门指标")
    sector: str | None = Field(None, description="行业（领域），如 卫生健康、交通运输")
    comparator: Comparator | None = Field(None, description="常用比较符")
    unit: str | None = Field(None, description="计量单位")
    typical: list[str] = Field(default_factory=list, description="常见指标值，如 ≥95%")
    basis: Basis | None = Field(None, description="常见设定依据")
    definition: str | None = Field(None, description="指标解释")
    source: NonEmptyStr = Field(description="出处（文件、报告或示例）")


class Library(Strict):
    title: NonEmptyStr
    entries: list[LibraryEntry]


def bigrams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def search(entries: list[LibraryEntry], query: str, limit: int = 15) -> list[LibraryEntry]:
    """Entries whose name (or sector, 二级指标) matches the query, best first.

    A name containing the whole query ranks first; otherwise shared two-character pieces count, so
    "免疫接种" finds "适龄儿童国家免疫规划疫苗接种率" and "满意" finds every satisfaction indicator.
    """
    query = "".join(query.split())
    if not query:
        return []
    wanted = bigrams(query)
    scored: list[tuple[float, str, LibraryEntry]] = []
    for entry in entries:
        haystack = f"{entry.name}{entry.level2}{entry.sector or ''}"
        if query in entry.name:
            score = 2.0 + len(query) / max(len(entry.name), 1)
        elif query in haystack:
            score = 1.5
        else:
            shared = len(wanted & bigrams(haystack))
            score = shared / len(wanted) if wanted else 0.0
        if score >= 0.5:
            scored.append((score, entry.name, entry))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [entry for _, _, entry in scored[:limit]]


def similarity(a: str, b: str) -> float:
    """How alike two names are (shared two-character pieces over the smaller set): 1.0 for the same name."""
    left, right = bigrams(a), bigrams(b)
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))


def similar_names(name: str, candidates: list[str], threshold: float = 0.5, limit: int = 5) -> list[str]:
    """The candidates most like `name` (not `name` itself), best first: "乡村道路维修" finds
    "乡村道路养护维修项目", so a new project's targets can start from a like project's."""
    scored = sorted(((similarity(name, c), c) for c in set(candidates) if c != name), key=lambda sc: (-sc[0], sc[1]))
    return [c for score, c in scored if score >= threshold][:limit]
