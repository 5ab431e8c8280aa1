"""In a real browser against `jixiao serve --demo` (gunicorn + the db_worker it supervises, SQLite): the
finance reviewer uploads two reports, the worker audits them, the findings show in the batch and beside the
unit's evaluation; a summary report is made in the background and downloaded."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from .test_browser import CHROMIUM, PASSWORD, server, shots  # noqa: F401  (module fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"),
]

SEED = Path(__file__).parents[1] / "audit" / "data" / "seed.txt"
SEED_UNIT = "乌鲁木齐高新技术产业开发区(乌鲁木齐市新市区)商务局"


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
        page.locator("#batch-table a", has_text="查看该单位的自评").first.click()
        expect(page.locator("#batch-audits")).to_contain_text("B006")
        expect(page.locator("#batch-audits")).to_contain_text("商务局2024年自评报告.txt")
        page.screenshot(path=str(shots / "desk-batch-beside-evaluation.png"), full_page=True)

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
