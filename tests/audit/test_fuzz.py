"""Hypothesis: arbitrary bytes and text, and mutated reports, never crash and never hang the reader."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.conftest import SEED
from jixiao.audit import audit_lines
from jixiao.audit.extract import extract_bytes
from jixiao.audit.normalise import normalise
from jixiao.io.errors import InputError
from jixiao.io.rules_file import load_rules

RULES = load_rules("national")
SEED_LINES = SEED.read_text("utf-8").splitlines()
REPORT_CHARS = st.sampled_from(list("0123456789.,%:;()万元亿家个人分年月日 ，。：；（）％０１２３４５６７８９一二三四五六七八九十百-\n|")) | st.characters()
FAST = settings(max_examples=60, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.md", "a.pdf", "a.docx", "a"]))
def test_any_bytes_extract_or_input_error(raw: bytes, name: str) -> None:
    try:
        doc = extract_bytes(raw, name)
    except InputError as error:
        assert error.problems and error.problems[0].message
    else:
        assert isinstance(doc.lines, list)


@FAST
@given(st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04"]), st.binary(max_size=3000))
def test_damaged_containers(head: bytes, tail: bytes) -> None:
    with contextlib.suppress(InputError):
        extract_bytes(head + tail, "x.pdf" if head.startswith(b"%") else "x.docx")


@FAST
@given(st.lists(st.text(REPORT_CHARS, max_size=120), max_size=40), st.booleans())
def test_any_text_audits(lines: list[str], pdf: bool) -> None:
    audit = audit_lines(lines, "fuzz.txt", RULES, pdf=pdf)
    text = normalise(lines, pdf=pdf)
    assert len(text.src) == len(text.norm)
    for f in audit.findings:
        assert f.message


@st.composite
def mutated_seed(draw: st.DrawFn) -> list[str]:
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 12))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        action = draw(st.sampled_from(["delete_line", "cut", "insert", "split", "duplicate"]))
        if action == "delete_line":
            del lines[i]
        elif action == "cut" and line:
            a = draw(st.integers(0, len(line)))
            b = draw(st.integers(a, min(len(line), a + 20)))
            lines[i] = line[:a] + line[b:]
        elif action == "insert":
            pos = draw(st.integers(0, len(line)))
            lines[i] = line[:pos] + draw(st.text(REPORT_CHARS, max_size=12)) + line[pos:]
        elif action == "split" and line:
            pos = draw(st.integers(0, len(line)))
            lines[i : i + 1] = [line[:pos], line[pos:]]
        else:
            lines.insert(i, line)
        if not lines:
            lines = [""]
    return lines


@FAST
@given(mutated_seed(), st.booleans())
def test_mutated_seed_audits(lines: list[str], pdf: bool) -> None:
    audit = audit_lines(lines, "mutated.txt", RULES, pdf=pdf)
    for f in audit.findings:
        assert f.message and (f.line is None or 1 <= f.line <= len(lines))


def test_seed_path_exists() -> None:
    assert Path(SEED).exists()
