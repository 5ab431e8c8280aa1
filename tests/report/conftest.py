"""Shared fixtures: every example scored once; the seed's report written once per session
(LibreOffice is slow, so the PDF is converted only once per worker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.core.evaluate import Result, evaluate
from jixiao.core.rules import RuleSet
from jixiao.io.inputs import read_input

EXAMPLES = Path(__file__).parents[2] / "examples"
SEED = EXAMPLES / "xinshi-commerce-2024.yaml"
PROJECT = EXAMPLES / "rural-roads-project-2024.yaml"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="session")
def results(national: RuleSet) -> dict[str, Result]:
    return {path.stem: evaluate(read_input(path), national) for path in EXAMPLE_FILES}


@pytest.fixture(scope="session")
def seed(results: dict[str, Result]) -> Result:
    return results[SEED.stem]


@pytest.fixture(scope="session")
def project(results: dict[str, Result]) -> Result:
    return results[PROJECT.stem]


@pytest.fixture(scope="session")
def seed_docx(seed: Result, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from jixiao.report.write import write_report

    out = tmp_path_factory.mktemp("docx") / "seed.docx"
    write_report(seed, out)
    return out


@pytest.fixture(scope="session")
def seed_pdf(seed: Result, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from jixiao.report.write import write_report

    out = tmp_path_factory.mktemp("pdf") / "seed.pdf"
    write_report(seed, out)
    return out
