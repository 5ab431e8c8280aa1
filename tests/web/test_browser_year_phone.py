"""The declaration form on a phone, the round waiting for targets, and a 监控表 uploaded into its report —
in a real browser (Debian's chromium, the real server `jixiao serve --demo`).

At 390 px each indicator row of the declaration form is a card, its 往年目标与实际 right under the
indicator's name, and nothing needs a sideways scroll; at 1366 px the form stays a table. A round issued
before the unit's targets are approved is on the unit's to-do list with what to do first; once approved,
the unit downloads its 监控表, fills it in Excel and uploads it: a new version with a red light; a file
that changes a target is refused naming the row. Screenshots at both widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests_support_web import BROWSER_TESTS, browser_login, launch_chromium, screenshot_folder
from web.year_browser import PHONE, approve_at_every_stage, both_widths

pytestmark = BROWSER_TESTS

UNIT = "shangwu"  # the seed unit: its 2024 self-evaluation has 开办夜市数量 (target =4家, actual 4家)


@pytest.fixture(scope="module")
def shots() -> Path:
    return screenshot_folder()


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return dict(found)


def filled_form(downloaded: Path, out: Path, target: str | None = None) -> Path:
    """The downloaded 监控表 filled in as a unit does in Excel: execution to date, 完成数量's value and reasons."""
    from openpyxl import load_workbook

    wb = load_workbook(downloaded)
    ws = wb.active
    assert ws is not None
    cells = {str(c.value): c for row in ws.iter_rows() for c in row if c.value is not None}
    executed = cells["截至监控日执行数"]
    ws.cell(row=executed.row, column=executed.column + 1, value=45)
    row = cells["XM-001"].row
    ws.cell(row=row, column=6, value=20)
    ws.cell(row=row, column=9, value="偏差原因：设备到货延迟；纠偏措施：三季度集中安装")
    if target is not None:
        ws.cell(row=row, column=5, value=target)
    wb.save(out)
    return out


def test_phone_form_round_before_targets_and_upload(server: str, shots: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        page.set_default_timeout(15000)

        def login(name: str) -> None:
            browser_login(page, server, name)

        # 1. a declaration whose first indicator the unit already had last year
        login(f"{UNIT}-tianbao")
        page.goto(server + "/plan/")
        page.click("#new-targets")
        page.fill("#year", "2025")
        page.click("#create")
        page.fill("input[name='ind-0-name']", "开办夜市数量")
        page.click("#save")
        expect(page.locator(".msg.success")).to_be_visible()
        targets_url = page.url
        page.click("#edit")
        past = "#ind-table tbody tr:first-child td.past"
        expect(page.locator(past)).to_contain_text("2024 目标 =4家")
        expect(page.locator(past)).to_contain_text("2024 实际完成值 4家")

        # 2. wide: the table as it was, the history in its own column on the row's line
        assert page.evaluate("getComputedStyle(document.querySelector('#ind-table')).display") == "table"
        name_cell = box(page, "#ind-table tbody tr:first-child td.name")
        assert abs(box(page, past)["y"] - name_cell["y"]) < 2 and box(page, past)["x"] > name_cell["x"]
        page.screenshot(path=str(shots / "declaration-form-1366.png"), full_page=True)

        # 3. phone: a card per indicator, its history under the name, no sideways scroll
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        wrap = page.evaluate("(() => { const w = document.querySelector('#ind-table').closest('.table-wrap'); return [w.scrollWidth, w.clientWidth]; })()")
        assert wrap[0] <= wrap[1] + 1, wrap
        name_cell, history = box(page, "#ind-table tbody tr:first-child td.name"), box(page, past)
        target_cell = box(page, "#ind-table tbody tr:first-child input[name='ind-0-target']")
        assert history["x"] >= 0 and history["x"] + history["width"] <= 390
        assert name_cell["y"] < history["y"] < target_cell["y"], "the history sits under the name, above the figures"
        expect(page.locator("#ind-table tbody tr:first-child td.past")).to_be_in_viewport()
        rows = page.locator("#ind-table tbody tr").count()
        page.click("#add-row")
        expect(page.locator("#ind-table tbody tr")).to_have_count(rows + 1)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(shots / "declaration-form-390.png"), full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})

        # 4. the bureau issues the round while these targets are still a draft
        login("caizheng")
        page.goto(server + "/plan/rounds/new/")
        page.fill("#round-year", "2025")
        page.fill("#round-name", "2025年年中绩效运行监控")
        page.fill("#cut_off", "2025-06-30")
        page.fill("#deadline", "2025-07-15")
        page.click("#issue")
        expect(page.locator("#round-waiting")).to_contain_text("某某项目")
        both_widths(page, shots, "round-waiting")
        login(f"{UNIT}-tianbao")
        page.goto(server + "/plan/todo/?b=to_fill")
        waiting = page.locator("#todo tr", has_text="目标尚未审核通过")
        expect(waiting).to_have_count(1)
        expect(waiting.locator(".todo-note")).to_contain_text("尚未送审，暂不能填报监控表")
        expect(waiting).to_contain_text("已逾期")
        both_widths(page, shots, "todo-round-before-targets")
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        expect(waiting.locator(".todo-note")).to_be_in_viewport()  # the note is read without a sideways scroll
        page.set_viewport_size({"width": 1366, "height": 900})

        # 5. approved at every stage: the round's report exists; the unit fills the downloaded 监控表
        page.goto(targets_url)
        page.click("#submit")
        approve_at_every_stage(page, server, targets_url, UNIT)
        login(f"{UNIT}-tianbao")
        page.goto(server + "/plan/todo/")
        expect(page.locator("#todo tr", has_text="目标尚未审核通过")).to_have_count(0)
        page.locator("#todo a", has_text="2025 某某项目").first.click()
        expect(page.locator("#upload-form")).to_be_visible()
        with page.expect_download() as download:
            page.click("text=Excel")
        downloaded = tmp_path / "下载的监控表.xlsx"
        download.value.save_as(downloaded)
        page.set_input_files("#upload-file", str(filled_form(downloaded, tmp_path / "监控表.xlsx")))
        page.click("#upload")
        expect(page.locator(".msg.success")).to_contain_text("已由 监控表.xlsx 保存为第 2 版")
        expect(page.locator("#ind-XM-001 .light-red")).to_have_text("红灯")
        expect(page.locator("#ind-XM-001")).to_contain_text("设备到货延迟")
        both_widths(page, shots, "monitoring-uploaded")
        page.click("#edit")  # the monitoring form on a phone too: a card per indicator
        expect(page.locator("#value-XM-001")).to_have_value("20")
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(shots / "monitoring-form-390.png"), full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=str(shots / "monitoring-form-1366.png"), full_page=True)
        page.go_back()

        # 6. a filled-in form that changes a target is refused, naming the row; nothing saved
        report_url = page.url
        page.set_input_files("#upload-file", str(filled_form(downloaded, tmp_path / "改了目标.xlsx", target="≥60个")))
        page.click("#upload")
        expect(page.locator("main")).to_contain_text("改了目标.xlsx")
        expect(page.locator("main")).to_contain_text("指标“XM-001 开办夜市数量”的年度指标值为“≥60个”，与批准的目标")
        both_widths(page, shots, "monitoring-upload-refused")
        page.goto(report_url)
        expect(page.locator("h2 + p")).to_contain_text("第 2 版")
        browser.close()
    assert not any(p.stat().st_size == 0 for p in shots.glob("*.png"))
