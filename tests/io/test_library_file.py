"""The shipped starter library (jixiao/library/common.yaml): it reads, its codes are unique, and every
entry says where it comes from — the national framework, a real report of the corpus or an example —
and an entry taken from a document is found in that document (no indicator is made up)."""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.io.library_file import shipped_library

ROOT = Path(__file__).resolve().parents[2]
REAL_REPORTS = ROOT / "tests" / "audit" / "data" / "real-reports"
# 实例（r2-31_…） names a real report of the corpus; 实例/示例（examples/….yaml…） a file of examples/.
NAMED_FILE = re.compile(r"^(?:实例|示例)（(examples/[\w.-]+\.yaml|[\w.-]+)")


def _plain(text: str) -> str:
    """Text as an indicator name is compared: no spaces or ★ marks, half-width brackets."""
    return re.sub(r"[\s★]", "", text).replace("（", "(").replace("）", ")")


def test_the_starter_library_has_unique_codes_and_a_source_for_each_entry() -> None:
    entries = shipped_library().entries
    codes = [e.code for e in entries]
    assert len(entries) >= 40 and len(set(codes)) == len(codes)
    assert [e.code for e in entries if not e.source.startswith(("框架", "实例", "示例"))] == []
    assert {e.sector for e in entries if e.sector} >= {"卫生健康", "水利", "农业农村", "商务", "交通运输"}


def test_each_entry_from_a_document_is_in_that_document() -> None:
    missing = []
    for entry in shipped_library().entries:
        named = NAMED_FILE.match(entry.source)
        if entry.source.startswith("框架"):
            continue
        assert named, entry.code
        stem = named.group(1)
        path = ROOT / stem if stem.startswith("examples/") else REAL_REPORTS / f"{stem}.txt"
        assert path.is_file(), (entry.code, path)
        if _plain(entry.name) not in _plain(path.read_text("utf-8")):
            missing.append((entry.code, entry.name, stem))
    assert missing == []
