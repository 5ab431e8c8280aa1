"""`jixiao init --kind targets|monitoring`, and check / score on stage files, through the real command."""

import json
from pathlib import Path

from cli.conftest import Run

EXAMPLES = Path(__file__).parents[2] / "examples"


def init(jixiao: Run, kind: str, name: str) -> None:
    done = jixiao("init", "--kind", kind, "-o", name)
    assert done.returncode == 0, done.stderr


def test_targets_template_checks_clean_and_scores_as_a_table(jixiao: Run) -> None:
    init(jixiao, "targets", "t.yaml")
    checked = jixiao("check", "t.yaml")
    assert checked.returncode == 0 and "未发现问题" in checked.stdout
    shown = jixiao("score", "t.yaml")
    assert shown.returncode == 0 and "XM-001" in shown.stdout and "绩效指标（现行目标）" in shown.stdout


def test_monitoring_lights_in_json(jixiao: Run) -> None:
    init(jixiao, "monitoring", "m.yaml")
    data = json.loads(jixiao("score", "m.yaml", "--format", "json").stdout)
    assert data["stage"] == "monitoring" and data["lights"]["budget"] == "yellow"
    assert [i["light"] for i in data["lights"]["indicators"]].count("red") == 1


def test_check_against_targets_finds_a_changed_target(jixiao: Run, tmp_path: Path) -> None:
    init(jixiao, "targets", "t.yaml")
    init(jixiao, "monitoring", "m.yaml")
    text = (tmp_path / "m.yaml").read_text("utf-8").replace('name: 完成数量, comparator: ">=", target: 100', 'name: 完成数量, comparator: ">=", target: 60')
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    done = jixiao("check", "m.yaml", "--targets", "t.yaml")
    assert done.returncode == 1 and "C002" in done.stdout and "第" in done.stdout


def test_a_stage_file_with_an_error_exits_1_and_bad_input_exits_2(jixiao: Run, tmp_path: Path) -> None:
    init(jixiao, "targets", "t.yaml")
    text = (tmp_path / "t.yaml").read_text("utf-8").replace("unit: 个, weight: 20", "weight: 20")
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    done = jixiao("check", "t.yaml")
    assert done.returncode == 1 and "G001" in done.stdout
    (tmp_path / "bad.yaml").write_text("stage: targets\nyear: 二〇二五\n", encoding="utf-8")
    bad = jixiao("check", "bad.yaml")
    assert bad.returncode == 2 and "bad.yaml" in bad.stderr and "Traceback" not in bad.stderr
    wrong = jixiao("check", EXAMPLES / "xinshi-commerce-2024.yaml", "--targets", EXAMPLES / "xinshi-commerce-2024.yaml")
    assert wrong.returncode == 2 and "应为绩效目标申报文件" in wrong.stderr


def test_the_forms_written_by_table_are_read_back_by_every_command(jixiao: Run, tmp_path: Path) -> None:
    init(jixiao, "targets", "t.yaml")
    init(jixiao, "monitoring", "m.yaml")
    for name in ("t", "m"):
        for suffix in (".xlsx", ".docx"):
            written = jixiao("table", f"{name}.yaml", "-o", f"{name}{suffix}")
            assert written.returncode == 0, written.stderr
            assert jixiao("check", f"{name}{suffix}").returncode == 0
            from_yaml = json.loads(jixiao("score", f"{name}.yaml", "--format", "json").stdout)
            from_form = json.loads(jixiao("score", f"{name}{suffix}", "--format", "json").stdout)
            assert from_form == from_yaml
    again = jixiao("table", "t.docx", "-o", "again.xlsx")
    assert again.returncode == 0 and "绩效目标申报表" in again.stderr
    checked = jixiao("check", "m.docx", "--targets", "t.xlsx")
    assert checked.returncode == 0, checked.stdout


def test_a_broken_form_exits_2_naming_the_file(jixiao: Run, tmp_path: Path) -> None:
    init(jixiao, "targets", "t.yaml")
    assert jixiao("table", "t.yaml", "-o", "t.docx").returncode == 0
    (tmp_path / "t.docx").write_bytes((tmp_path / "t.docx").read_bytes()[:500])
    done = jixiao("check", "t.docx")
    assert done.returncode == 2 and "t.docx" in done.stderr and "Traceback" not in done.stderr


# ---- the rectification list (问题整改清单) ----------------------------------------------------


def test_rectification_template_checks_clean_and_shows_the_items(jixiao: Run) -> None:
    init(jixiao, "rectification", "r.yaml")
    checked = jixiao("check", "r.yaml")
    assert checked.returncode == 0 and "未发现问题" in checked.stdout
    shown = jixiao("score", "r.yaml")
    assert shown.returncode == 0 and "ZG-2024-003" in shown.stdout and "已销号 1，未销号 2（其中逾期 0）" in shown.stdout
    data = json.loads(jixiao("score", "r.yaml", "--format", "json").stdout)
    assert data["stage"] == "rectification" and data["as_of"] == "2025-09-30" and data["open"] == ["ZG-2024-002", "ZG-2024-003"]


def test_rectification_overdue_as_of_a_date_and_a_closed_item_without_review(jixiao: Run, tmp_path: Path) -> None:
    init(jixiao, "rectification", "r.yaml")
    late = json.loads(jixiao("check", "r.yaml", "--as-of", "2026-01-05", "--format", "json").stdout)
    assert late["overdue"] == ["ZG-2024-002", "ZG-2024-003"] and [f["code"] for f in late["findings"]] == ["R009", "R009"]
    text = (tmp_path / "r.yaml").read_text("utf-8").replace("    review_note: 经核对申报表，问题已整改到位，同意销号\n", "")
    text = text.replace("deadline: 2025-12-31", "deadline: 2025-04-30")
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    done = jixiao("check", "r.yaml")
    assert done.returncode == 1, done.stdout
    assert "R007" in done.stdout and "R004" in done.stdout and "第" in done.stdout
    wrong = jixiao("check", "r.yaml", "--as-of", "2025-02-30")
    assert wrong.returncode == 2 and "--as-of" in wrong.stderr and "不是日期" in wrong.stderr


def test_a_rectification_file_with_a_bad_value_exits_2_with_its_line(jixiao: Run, tmp_path: Path) -> None:
    init(jixiao, "rectification", "r.yaml")
    text = (tmp_path / "r.yaml").read_text("utf-8").replace("deadline: 2025-10-31", "deadline: 十月底")
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    done = jixiao("check", "r.yaml")
    line = next(n for n, body in enumerate(text.splitlines(), start=1) if "十月底" in body)
    assert done.returncode == 2 and f"第{line}行" in done.stderr and "Traceback" not in done.stderr


def test_the_rectification_list_as_a_form_reads_back_by_every_command(jixiao: Run) -> None:
    init(jixiao, "rectification", "r.yaml")
    from_yaml = json.loads(jixiao("score", "r.yaml", "--format", "json").stdout)
    for suffix in (".xlsx", ".docx"):
        written = jixiao("table", "r.yaml", "-o", f"r{suffix}")
        assert written.returncode == 0 and "已生成问题整改清单" in written.stderr, written.stderr
        assert jixiao("check", f"r{suffix}").returncode == 0
        assert json.loads(jixiao("score", f"r{suffix}", "--format", "json").stdout) == from_yaml
    dated = jixiao("table", "r.yaml", "-o", "later.xlsx", "--as-of", "2026-01-05")
    assert dated.returncode == 0
    again = json.loads(jixiao("check", "later.xlsx", "--format", "json").stdout)
    assert again["as_of"] == "2026-01-05" and again["overdue"] == ["ZG-2024-002", "ZG-2024-003"]


def _without_codes(path: Path) -> None:
    """jixiao's form with its 指标编码 column emptied, as many official forms come (no code column)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "指标编码")
    for row in range(header, ws.max_row + 1):
        if ws.cell(row, 1).coordinate not in ws.merged_cells:
            ws.cell(row, 1).value = None
    wb.save(path)


def test_a_monitoring_form_without_codes_is_matched_to_the_targets_by_name(jixiao: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    init(jixiao, "targets", "t.yaml")
    init(jixiao, "monitoring", "m.yaml")
    assert jixiao("table", "m.yaml", "-o", "m.xlsx").returncode == 0
    assert jixiao("table", "t.yaml", "-o", "t.xlsx").returncode == 0
    _without_codes(tmp_path / "m.xlsx")
    _without_codes(tmp_path / "t.xlsx")
    for targets in ("t.yaml", "t.xlsx"):  # the targets with codes, or a code-less form too
        done = jixiao("check", "m.xlsx", "--targets", targets)
        assert done.returncode == 0 and "C001" not in done.stdout, done.stdout
    wb = load_workbook(tmp_path / "m.xlsx")
    ws = wb.active
    assert ws is not None
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == "完成数量")
    ws.cell(row, 5).value = 60  # the target typed over on the form
    wb.save(tmp_path / "m.xlsx")
    changed = jixiao("check", "m.xlsx", "--targets", "t.yaml")
    assert changed.returncode == 1 and "C002" in changed.stdout and f"E{row}" in changed.stdout
