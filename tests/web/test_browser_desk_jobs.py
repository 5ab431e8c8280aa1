"""In a real browser against `jixiao serve --demo` (gunicorn + the db_worker it supervises, SQLite): the
finance reviewer uploads two reports, the worker audits them, the findings show in the batch and beside the
unit's evaluation; a summary report is made in the background and downloaded."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests_support_web import CHROMIUM
from web.year_browser import both_widths

from .test_browser import PASSWORD, shots  # noqa: F401  (a module fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"),
]

SEED = Path(__file__).parents[1] / "audit" / "data" / "seed.txt"
SEED_UNIT = "乌鲁木齐高新技术产业开发区(乌鲁木齐市新市区)商务局"
DESKTOP = {"width": 1280, "height": 900}


def test_batch_audit_and_summary_in_the_background(server: str, shots: Path, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    from tests_support_web import launch_chromium

    text = SEED.read_text("utf-8")
    first = tmp_path / "商务局2024年自评报告.txt"
    first.write_text(text, "utf-8")
    second = tmp_path / "一中自评报告.txt"
    second.write_text(text.replace(SEED_UNIT, "新市区第一中学", 1), "utf-8")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        page.set_default_timeout(20000)
        page.goto(server + "/login/")
        page.fill("input[name=username]", "caizheng")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(server + "/desk/jobs/")
        page.click("#batch-new-link")
        page.set_input_files("input[type=file][name=files]", [str(first), str(second)])
        page.click("#batch-submit")
        expect(page.locator("#job-status")).to_have_text("已完成", timeout=90000)  # the worker did it
        table = page.locator("#batch-table")
        expect(table.locator("tr.batch-doc")).to_have_count(2)
        expect(table).to_contain_text("B006")
        expect(table).to_contain_text("新市区第一中学")
        expect(page.locator("#job-steps")).to_have_text("2 / 2")
        page.screenshot(path=str(shots / "desk-batch-1366.png"), full_page=True)
        batch_url = page.url
        # the auditor's errors in the unit's report: a rectification notice, filled in
        page.locator("#batch-table a.rectify-link").first.click()
        expect(page.locator("#rect-source")).to_have_value("audit")
        expect(page.locator("#rect-problem")).to_have_value(re.compile("^商务局2024年自评报告.txt 审查发现："))
        both_widths(page, shots, "desk-rectify-from-audit", DESKTOP)
        page.goto(batch_url)
        page.locator("#batch-table a", has_text="查看该单位的自评").first.click()
        expect(page.locator("#batch-audits")).to_contain_text("B006")
        expect(page.locator("#batch-audits")).to_contain_text("商务局2024年自评报告.txt")
        expect(page.locator("#rectify-link")).to_be_visible()  # the reviewer's door from the self-evaluation
        page.screenshot(path=str(shots / "desk-batch-beside-evaluation.png"), full_page=True)
        both_widths(page, shots, "desk-evaluation-rectify-link", DESKTOP)

        page.goto(server + "/desk/jobs/")
        page.select_option("#start-summary select[name=format]", "xlsx")
        page.fill("#start-summary input[name=year]", "2024")
        page.click("#start-summary button")
        expect(page.locator("#job-status")).to_have_text("已完成", timeout=90000)
        with page.expect_download() as download:
            page.click("#job-download")
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        overview = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=2, values_only=True)}
        assert overview["年度"] == 2024 and overview["自评份数"] == 6
        page.goto(server + "/desk/jobs/")
        expect(page.locator("#jobs-table")).to_contain_text("批量审查自评报告")
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(shots / "desk-jobs-390.png"), full_page=True)
        browser.close()


def _login(page: object, base: str, username: str) -> None:
    page.goto(base + "/login/")  # type: ignore[attr-defined]
    page.fill("input[name=username]", username)  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]


def test_a_report_whose_unit_is_unsure_waits_for_a_person_to_confirm(server: str, shots: Path, tmp_path: Path) -> None:  # noqa: F811
    """“新市区一中” is not any unit's name: the batch offers the nearest units, and 确认 attaches the report."""
    from playwright.sync_api import expect, sync_playwright

    from tests_support_web import launch_chromium

    report = tmp_path / "一中的报告.txt"
    report.write_text(SEED.read_text("utf-8").replace(SEED_UNIT, "新市区一中", 1), "utf-8")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(20000)
        _login(page, server, "caizheng")
        page.goto(server + "/desk/batch/new/")
        page.set_input_files("input[type=file][name=files]", [str(report)])
        page.click("#batch-submit")
        expect(page.locator("#job-status")).to_have_text("已完成", timeout=90000)
        expect(page.locator("#batch-unsure")).to_contain_text("1 份报告的单位需要确认")
        row = page.locator("tr.batch-doc").first
        expect(row.locator(".batch-match .badge")).to_have_text("待确认")
        choice = row.locator("select[name=unit]")
        first = choice.locator("option").nth(1)  # the most similar unit, offered first
        expect(first).to_contain_text("新市区第一中学")
        choice.select_option(label=first.inner_text())
        page.screenshot(path=str(shots / "desk-batch-confirm-before.png"), full_page=True)
        row.locator("button", has_text="确认").click()
        row = page.locator("tr.batch-doc").first
        expect(row.locator(".batch-match .badge")).to_have_text("已确认")
        expect(row.locator(".batch-match")).to_contain_text("新市区第一中学")
        expect(page.locator("#batch-unsure")).to_have_count(0)
        page.screenshot(path=str(shots / "desk-batch-confirm-after.png"), full_page=True)
        row.locator("a", has_text="查看该单位的自评").click()
        expect(page.locator("#batch-audits")).to_contain_text("一中的报告.txt")  # beside that unit's evaluation
        browser.close()


def test_a_departments_reports_as_pdfs_in_one_zip(server: str, shots: Path, tmp_path: Path) -> None:  # noqa: F811
    """The department's reviewer packs its reports: the .zip downloaded holds one real PDF per unit, and no other unit."""
    import zipfile

    from playwright.sync_api import expect, sync_playwright
    from pypdf import PdfReader

    from tests_support_web import launch_chromium

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        page.set_default_timeout(20000)
        _login(page, server, "jiaoyu-bumen")
        page.goto(server + "/desk/jobs/")
        page.fill("#start-pdfs input[name=year]", "2024")
        page.click("#start-pdfs button")
        expect(page.locator("#job-status")).to_have_text("已完成", timeout=240000)  # LibreOffice, a few at a time
        page.screenshot(path=str(shots / "desk-pdfs-done.png"), full_page=True)
        with page.expect_download() as download:
            page.click("#job-download")
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.suffix == ".zip"
        with zipfile.ZipFile(saved) as archive:
            names = archive.namelist()
            assert names and all(name.endswith(".pdf") for name in names)
            texts = {}
            for name in names:
                pdf = tmp_path / "one.pdf"
                pdf.write_bytes(archive.read(name))
                reader = PdfReader(pdf)
                assert len(reader.pages) >= 1
                texts[name] = "".join(page_.extract_text() or "" for page_ in reader.pages)
        assert any("新市区第一中学" in name or "新市区第一中学" in text for name, text in texts.items())
        assert len(names) == 3 and not any("商务" in name for name in names)  # 教育局's three units only
        browser.close()
