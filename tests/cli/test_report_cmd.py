import json
import os
import shutil
from pathlib import Path

import yaml
from docx import Document

from cli.conftest import Run

EXAMPLES = Path(__file__).parents[2] / "examples"
SEED = EXAMPLES / "xinshi-commerce-2024.yaml"  # its narrative contradicts two indicators (A004): --allow-errors


def _with_error(tmp_path: Path) -> Path:
    """The seed with its fund sources no longer adding up (B002, an error the report cannot fix)."""
    data = yaml.safe_load(SEED.read_text("utf-8"))
    data["budget"]["sources"]["own_level"]["initial"] = 2900
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_report_docx_from_the_seed(jixiao: Run, tmp_path: Path) -> None:
    done = jixiao("report", SEED, "-o", "seed.docx", "--allow-errors")
    assert done.returncode == 0, done.stderr
    assert "报告中采用计算值" in done.stderr and "综合得分 85 分，等级 良" in done.stderr
    text = "\n".join(p.text for p in Document(str(tmp_path / "seed.docx")).paragraphs)
    assert "评价结果为“良”" in text


def test_report_md_and_html(jixiao: Run, tmp_path: Path) -> None:
    for name in ("seed.md", "seed.html", "seed.txt"):
        done = jixiao("report", SEED, "-o", name, "--no-charts", "--allow-errors")
        assert done.returncode == 0, done.stderr
        assert "综合得分85分" in (tmp_path / name).read_text("utf-8")


def test_batch_folder_with_progress(jixiao: Run, tmp_path: Path) -> None:
    done = jixiao("report", EXAMPLES, "-o", "out/", "--format", "md", "--allow-errors")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{p.stem}.md" for p in EXAMPLES.glob("*.yaml"))
    assert "生成报告" in done.stderr and "4/4" in done.stderr


def test_errors_stop_the_report_unless_allowed(jixiao: Run, tmp_path: Path) -> None:
    broken = _with_error(tmp_path)
    done = jixiao("report", broken, "-o", "broken.docx")
    assert done.returncode == 1
    assert "B002" in done.stderr and "--allow-errors" in done.stderr
    assert not (tmp_path / "broken.docx").exists()
    allowed = jixiao("report", broken, "-o", "broken.docx", "--allow-errors", "--no-charts")
    assert allowed.returncode == 0, allowed.stderr
    box = Document(str(tmp_path / "broken.docx")).tables[0].cell(0, 0).text
    assert "数据校验发现以下错误" in box and "B002" in box


def test_batch_goes_on_after_a_bad_file(jixiao: Run, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.yaml")
    (folder / "bad.yaml").write_text("year: [", encoding="utf-8")
    done = jixiao("report", folder, "-o", "out/", "--format", "md", "--allow-errors")
    assert done.returncode == 2
    assert (tmp_path / "out" / "seed.md").exists() and not (tmp_path / "out" / "bad.md").exists()
    assert "bad.yaml" in done.stderr
    assert "完成：2 个文件，1 个未生成" in done.stderr  # it said "完成：2 个文件" as if both were made


def test_broken_template_tag(jixiao: Run, tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("{{ unit_name }} {%p if %}")
    doc.save(str(tmp_path / "mine.docx"))
    done = jixiao("report", SEED, "-o", "x.docx", "--template", "mine.docx", "--no-charts", "--allow-errors")
    assert done.returncode == 2
    assert "mine.docx" in done.stderr and "模板标签有语法错误" in done.stderr and "Traceback" not in done.stderr


def test_unknown_template_name_and_format(jixiao: Run) -> None:
    done = jixiao("report", SEED, "-o", "x.docx", "--template", "nowhere", "--allow-errors")
    assert done.returncode == 2 and "default、sichuan" in done.stderr
    done = jixiao("report", SEED, "-o", "x.odt", "--allow-errors")
    assert done.returncode == 2 and "不支持的报告格式" in done.stderr


def test_pdf_without_libreoffice_names_the_package(jixiao: Run, tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "report", str(SEED), "-o", "x.pdf", "--allow-errors"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={"PATH": str(tmp_path), "PYTHONIOENCODING": "utf-8", "HOME": os.environ.get("HOME", "/tmp")},
    )
    assert done.returncode == 2
    assert "libreoffice-writer-nogui" in done.stderr and not (tmp_path / "x.pdf").exists()


def test_table_xlsx_then_score_and_report_from_it(jixiao: Run, tmp_path: Path) -> None:
    done = jixiao("table", SEED, "-o", "t.xlsx", "--allow-errors")
    assert done.returncode == 0, done.stderr
    scored = jixiao("score", "t.xlsx", "--format", "json")
    assert scored.returncode == 0, scored.stderr
    assert '"total_score": 85' in scored.stdout
    report = jixiao("report", "t.xlsx", "-o", "from-table.md", "--allow-errors")
    assert report.returncode == 0, report.stderr
    assert "综合得分85分" in (tmp_path / "from-table.md").read_text("utf-8")
    assert jixiao("table", SEED, "-o", "t.docx", "--allow-errors").returncode == 0
    assert jixiao("table", SEED, "-o", "t.csv", "--allow-errors").returncode == 2


def test_broken_xlsx_is_exit_2(jixiao: Run, tmp_path: Path) -> None:
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really")
    done = jixiao("check", "bad.xlsx")
    assert done.returncode == 2 and "bad.xlsx" in done.stderr and "Excel" in done.stderr


def test_batch_pdf_converts_in_one_libreoffice_run(jixiao: Run, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("xinshi-commerce-2024.yaml", "rural-roads-project-2024.yaml"):
        shutil.copy(EXAMPLES / name, folder / name)
    done = jixiao("report", folder, "-o", "pdf/", "--format", "pdf", "--no-charts", "--allow-errors")
    assert done.returncode == 0, done.stderr
    assert "转换 PDF" in done.stderr
    pdfs = sorted((tmp_path / "pdf").iterdir())
    assert [p.name for p in pdfs] == ["rural-roads-project-2024.pdf", "xinshi-commerce-2024.pdf"]
    assert all(p.read_bytes()[:5] == b"%PDF-" for p in pdfs)


def _scores(data: dict) -> tuple:  # type: ignore[type-arg]
    """What a scoring says: every indicator's score, the execution score, the totals and the grade."""
    return ([i["score"] for i in data["indicators"]], data["execution_score"], data["indicator_total"],
            data["total_score"], data["grade"])


def test_every_example_as_a_word_table_scores_as_its_yaml(jixiao: Run, tmp_path: Path) -> None:
    for example in sorted(EXAMPLES.glob("*.yaml")):
        word = f"{example.stem}.docx"
        assert jixiao("table", example, "-o", word, "--allow-errors").returncode == 0
        from_yaml = json.loads(jixiao("score", example, "--format", "json").stdout)
        scored = jixiao("score", word, "--format", "json")
        assert scored.returncode == 0, scored.stderr
        from_word = json.loads(scored.stdout)
        assert _scores(from_word) == _scores(from_yaml), example.stem
        assert (from_word["unit_name"], from_word["year"], from_word["kind"]) == (from_yaml["unit_name"], from_yaml["year"], from_yaml["kind"])
        checked = jixiao("check", word, "--format", "json")
        assert checked.returncode in (0, 1) and "findings" in json.loads(checked.stdout)
    again = jixiao("table", f"{SEED.stem}.docx", "-o", "again.xlsx", "--allow-errors")
    assert again.returncode == 0 and "综合得分 85 分" in again.stderr
    report = jixiao("report", f"{SEED.stem}.docx", "-o", "from-word.md", "--allow-errors")
    assert report.returncode == 0 and "综合得分85分" in (tmp_path / "from-word.md").read_text("utf-8")


def test_a_folder_batch_leaves_word_files_alone(jixiao: Run, tmp_path: Path) -> None:
    """A folder's .docx are as often the reports made from its data: only named Word files are read."""
    (tmp_path / "data").mkdir()
    shutil.copy(SEED, tmp_path / "data" / SEED.name)
    assert jixiao("report", f"data/{SEED.name}", "-o", "data/seed-report.docx", "--allow-errors").returncode == 0
    done = jixiao("report", "data", "-o", "out/", "--format", "md", "--allow-errors")
    assert done.returncode == 0 and sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{SEED.stem}.md"]


def test_another_stages_file_given_to_report_says_what_it_is(jixiao: Run, tmp_path: Path) -> None:
    made = {"t.yaml": ("targets", None), "m.yaml": ("monitoring", None), "r.yaml": ("rectification", None),
            "t.xlsx": ("targets", "t.yaml"), "m.docx": ("monitoring", "m.yaml"), "r.docx": ("rectification", "r.yaml")}
    called = {"targets": "绩效目标申报", "monitoring": "绩效运行监控", "rectification": "问题整改清单"}
    for name, (kind, source) in made.items():
        if source is None:
            assert jixiao("init", "--kind", kind, "-o", name).returncode == 0
        else:
            assert jixiao("table", source, "-o", name).returncode == 0
    for name, (kind, _) in made.items():
        done = jixiao("report", name, "-o", f"{name}.md")
        assert done.returncode == 2, (name, done.stderr)
        assert "这是" in done.stderr and called[kind] in done.stderr and "不是绩效自评数据" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and not (tmp_path / f"{name}.md").exists()
    wrong = jixiao("check", SEED, "--targets", "m.docx")
    assert wrong.returncode == 2 and "这是绩效运行监控文件，这里应为绩效目标申报文件" in wrong.stderr
