"""The finance bureau's desk in a real browser (Debian's chromium, the real server `jixiao serve --demo`):
the bureau's 财政审核人 filters the dashboard, the charts are drawn, the .xlsx export downloads and reads
back with openpyxl; a department's reviewer sees only its units. Screenshots at 1366 and 390 px."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from tests_support_web import BROWSER_TESTS, DEMO_PASSWORD, launch_chromium, screenshot_folder

pytestmark = BROWSER_TESTS


def test_dashboard_filter_chart_and_export(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    shots: Path = screenshot_folder()
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        page.set_default_timeout(20000)
        errors: list[str] = []  # script errors and failed loads (CSP refusals show here), the favicon aside
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
        page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)

        def login(name: str) -> None:
            page.context.clear_cookies()
            page.goto(server + "/login/")
            page.fill("input[name=username]", name)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("button[type=submit]")
            expect(page.locator("header .who")).to_be_visible()

        login("caizheng")
        page.click("header >> text=绩效管理台")
        expect(page.locator("h1")).to_contain_text("绩效管理台")
        charts = page.locator("svg.chart")
        expect(charts).to_have_count(5)
        assert charts.first.bounding_box()["width"] > 200  # drawn, not collapsed
        assert page.locator("svg.chart rect").count() > 10
        all_rows = page.locator(".desk-list tbody tr").count()
        assert all_rows >= 6
        page.screenshot(path=str(shots / "desk-dashboard-1366.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(shots / "desk-dashboard-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll on a phone
        page.set_viewport_size({"width": 1366, "height": 900})

        # Filter: one department's units only, then export exactly what is shown.
        page.select_option("select[name=department]", label="新市区教育局（主管部门）")
        page.click("#desk-filters button")
        expect(page.locator(".desk-list tbody tr")).not_to_have_count(all_rows)
        shown = sorted(page.locator(".desk-list tbody tr td:nth-child(2)").all_inner_texts())
        with page.expect_download() as download:
            page.click("#desk-export")
        book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        sheet = book["自评列表"]
        exported = sorted(str(r[2]) for r in sheet.iter_rows(min_row=2, values_only=True))
        assert exported == shown
        assert all(isinstance(r[5], (int, float)) for r in sheet.iter_rows(min_row=2, values_only=True))

        # The anomalies, explained and linked to each unit concerned.
        page.click(".desk-tabs >> text=异常分析")
        expect(page.locator("#D010")).to_contain_text("年中到年末的异常跳变")
        expect(page.locator("#D010 a[href^='/e/']").first).to_be_visible()
        page.screenshot(path=str(shots / "desk-anomalies-1366.png"), full_page=True)

        # A department's reviewer: only its units, whatever the address asks for.
        login("shangwu-bumen")
        page.goto(server + "/desk/")
        expect(page.locator("h1")).to_contain_text("本部门所属单位")
        text = page.locator(".desk-list").inner_text()
        assert "学校" not in text and "幼儿园" not in text
        assert errors == []
        browser.close()
