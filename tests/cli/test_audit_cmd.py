"""`jixiao audit` as a user runs it: formats read back, exit codes, batches that survive bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from audit.conftest import SEED, corrected, zip_bomb
from cli.conftest import Run


def test_json_shape_and_exit_code(jixiao: Run) -> None:
    done = jixiao("audit", SEED, "--format", "json")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    [doc] = data["documents"]
    assert doc["path"] == str(SEED) and doc["error"] is None
    facts = doc["facts"]
    assert facts["unit_name"].endswith("商务局") and facts["year"] == 2024
    assert set(facts["budget"]) == {"initial", "adjustment", "adjusted", "executed", "adjustment_rate", "execution_rate"}
    assert facts["budget"]["adjustment_rate"] == 100  # stated, not computed
    assert [i["weight"] for i in facts["indicators"]] == [10, 20, 15, 30, 15]
    assert [i["score"] for i in facts["indicators"]] == [10, 20, 0, 30, 15]
    assert facts["total_score"] == 85 and facts["grade"] == "良" and facts["execution_score"] == 10
    assert set(facts["indicators"][0]) >= {"name", "comparator", "target", "unit", "mid_year", "actual", "completion_rate", "weight", "score"}
    b006 = next(f for f in doc["findings"] if f["code"] == "B006")
    assert b006 == {
        "code": "B006", "severity": "error", "message": b006["message"], "field": "budget.stated.adjustment_rate",
        "line": 53, "quote": "预算调整率 100%", "expected": 0, "actual": 100, "related": b006["related"],
    }
    assert {"line": 53, "quote": "年中调增数 0 万元"} in b006["related"]
    assert doc["computed"]["total_score"] == 85 and doc["computed"]["grade"] == "良"


def test_table_lists_errors_first_with_line_and_quote(jixiao: Run) -> None:
    done = jixiao("audit", SEED)
    assert done.returncode == 1
    out = done.stdout
    assert "报告所述：综合得分 85 分，等级 良；按规则计算：85 分，等级 良" in out
    assert out.index("B006") < out.index("B004")  # errors before warnings
    assert "原文：本次评价实际完成值为102.86%" in out


def test_clean_report_exits_zero(jixiao: Run, tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_text(corrected(SEED.read_text("utf-8")), encoding="utf-8")
    done = jixiao("audit", path, "--format", "json")
    assert done.returncode == 0, done.stdout
    assert json.loads(done.stdout)["documents"][0]["counts"]["error"] == 0


def test_batch_goes_on_after_bad_files_and_exits_two(jixiao: Run, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SEED, folder / "sub" / "seed.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    zip_bomb(folder / "bomb.docx", megabytes=20)
    done = jixiao("audit", folder, "--format", "json")
    assert done.returncode == 2
    docs = {Path(d["path"]).name: d for d in json.loads(done.stdout)["documents"]}
    assert set(docs) == {"seed.txt", "empty.txt", "photo.pdf", "bomb.docx"}
    assert docs["seed.txt"]["error"] is None and docs["seed.txt"]["facts"]["total_score"] == 85
    assert "文件为空" in docs["empty.txt"]["error"]["message"]
    assert "PNG" in docs["photo.pdf"]["error"]["message"]
    assert "压缩炸弹" in docs["bomb.docx"]["error"]["message"]
    assert "Traceback" not in done.stderr and "4 份文件" in done.stderr


def test_xlsx_summary_and_sheet_per_document(jixiao: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    clean = tmp_path / "clean.txt"
    clean.write_text(corrected(SEED.read_text("utf-8")), encoding="utf-8")
    out = tmp_path / "audit.xlsx"
    done = jixiao("audit", SEED, clean, "--format", "xlsx", "-o", out)
    assert done.returncode == 1, done.stderr
    book = load_workbook(out, read_only=True)
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) == 3
    rows = list(book["汇总"].iter_rows(values_only=True))
    assert rows[0][:7] == ("文件", "单位", "年度", "所述总分", "所述等级", "计算总分", "计算等级")
    assert rows[1][2:9] == (2024, 85, "良", 85, "良", 5, 8)  # numbers, not text: sortable and summable
    assert rows[2][7] == 0
    seed_sheet = list(book[book.sheetnames[1]].iter_rows(values_only=True))
    codes = [r[1] for r in seed_sheet[2:]]
    assert codes[:1] == ["B006"] and "A002" in codes
    book.close()


def test_html_summary_and_sections(jixiao: Run, tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a word file")
    done = jixiao("audit", SEED, bad, "--format", "html", "-o", out)
    assert done.returncode == 2
    page = out.read_text("utf-8")
    assert page.count("<section") == 2 and "<table class=\"summary\">" in page
    assert "B006" in page and "预算调整率 100%" in page and "无法读取" in page
    assert page.rstrip().endswith("</html>")


def test_xlsx_needs_output(jixiao: Run) -> None:
    done = jixiao("audit", SEED, "--format", "xlsx")
    assert done.returncode == 2 and "-o" in done.stderr


def test_rules_option(jixiao: Run) -> None:
    done = jixiao("audit", SEED, "--rules", "guangxi", "--format", "json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["documents"][0]["computed"]["rules"] == "guangxi"


def test_no_documents_found(jixiao: Run, tmp_path: Path) -> None:
    done = jixiao("audit", tmp_path)
    assert done.returncode == 2 and "没有找到" in done.stderr


def test_parallel_batch_keeps_order_and_results(jixiao: Run, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    clean = corrected(SEED.read_text("utf-8"))
    for i in range(40):
        (folder / f"r{i:02d}.txt").write_text(clean if i % 2 else SEED.read_text("utf-8"), encoding="utf-8")
    (folder / "r07.txt").write_bytes(b"")
    done = jixiao("audit", folder, "--format", "json", "--jobs", "2")
    assert done.returncode == 2
    docs = json.loads(done.stdout)["documents"]
    assert [Path(d["path"]).name for d in docs] == [f"r{i:02d}.txt" for i in range(40)]
    assert [d["counts"]["error"] > 0 for d in docs if d["error"] is None] == [i % 2 == 0 for i in range(40) if i != 7]
    assert docs[7]["error"] is not None
