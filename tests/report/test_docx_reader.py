"""The Word 自评表 read back: a value typed into the table changes the score, a bad one is named by
table, row and column, and another stage's Word form says what it is."""

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from jixiao.core.evaluate import Result, evaluate
from jixiao.core.rules import RuleSet
from jixiao.io.errors import InputError
from jixiao.io.inputs import read_input
from jixiao.io.rules_file import load_rules
from jixiao.report.stage_tables import write_stage_table
from jixiao.report.write import write_table
from stage_builders import declaration


def word_table(result: Result, path: Path, name: str) -> tuple[Any, int]:
    """The 自评表 written as .docx, opened for editing; the table row (0-based) of the indicator `name`."""
    write_table(result, path)
    doc = Document(str(path))
    row = next(n for n, r in enumerate(doc.tables[0].rows) if r.cells[3].text == name)
    return doc, row


def short_of_full_marks(result: Result) -> int:
    """An indicator (its index) that did not reach its target and so lost points."""
    return next(n for n, (ind, scored) in enumerate(zip(result.evaluation.indicators, result.scorecard.indicators, strict=True))
                if ind.target is not None and ind.comparator in (">=", "=") and scored.score < scored.weight)


def refused(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_input(path)
    return str(caught.value)


def test_a_value_typed_into_the_word_table_changes_the_score(seed: Result, national: RuleSet, tmp_path: Path) -> None:
    out = tmp_path / "filled.docx"
    index = short_of_full_marks(seed)
    doc, row = word_table(seed, out, seed.evaluation.indicators[index].name)
    weight = seed.scorecard.indicators[index].weight
    target = seed.evaluation.indicators[index].target
    doc.tables[0].cell(row, 5).text = str(target)  # the user types the actual value that meets the target
    doc.save(str(out))
    back = evaluate(read_input(out), national)
    assert back.scorecard.indicators[index].score == weight
    stale = [f for f in back.findings if f.code == "I011"]  # the stated score on the form no longer agrees
    assert stale and stale[0].quote == f"表格1第{row + 1}行第4列"


def test_a_bad_number_names_table_row_and_column(seed: Result, tmp_path: Path) -> None:
    out = tmp_path / "bad.docx"
    doc, row = word_table(seed, out, seed.evaluation.indicators[0].name)
    doc.tables[0].cell(row, 6).text = "十分"
    doc.save(str(out))
    assert f"表格1第{row + 1}行第7列：分值应为数字，实际为“十分”" in refused(out)


def test_a_word_declaration_is_not_a_self_evaluation(tmp_path: Path) -> None:
    out = tmp_path / "申报表.docx"
    write_stage_table(declaration(), load_rules("national"), out)
    message = refused(out)
    assert "这是项目支出绩效目标申报表（Word 文档），不是绩效自评数据" in message and "--targets" in message


def test_the_stated_execution_rate_reads_as_percent_from_word(results: dict[str, Result], tmp_path: Path) -> None:
    for name, result in results.items():
        out = tmp_path / f"{name}.docx"
        write_table(result, out)
        stated = read_input(out).budget.stated
        assert stated is not None and stated.execution_rate is not None, name
        assert abs(stated.execution_rate - result.scorecard.budget.execution_rate) < Decimal("0.01"), name
