"""The year's later screens in a real browser (Debian's chromium, `jixiao serve --demo`): a self-evaluation
from approved targets offers no delete/move/add for their rows; next year's declaration shows last year's
target and actual beside each row; the bureau issues a monitoring round and a rectification task from the
one task form, and they reach the unit's to-do list. Screenshots at 390 and 1280 px."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests_support_web import BROWSER_TESTS, browser_login, launch_chromium, screenshot_folder
from web.conftest import SEED
from web.year_browser import approve_at_every_stage

pytestmark = BROWSER_TESTS

UNIT = "shangwu"


@pytest.fixture(scope="module")
def shots() -> Path:
    return screenshot_folder()


def _problem_list(path: Path, deadline: str) -> Path:
    """A one-row 整改清单 .xlsx for the demo's commerce unit, as `jixiao table` writes it."""
    from jixiao.core.rectification import RectificationList
    from jixiao.io.evaluation_file import read_evaluation
    from jixiao.io.rules_file import load_rules
    from jixiao.report.stage_tables import write_stage_table

    unit = read_evaluation(SEED).unit.name
    items = RectificationList.model_validate({"year": 2025, "items": [
        {"code": "1", "unit": unit, "source": "bureau_review", "problem": "自评报告未说明监控红灯原因", "deadline": deadline}]})
    write_stage_table(items, load_rules("national"), path)
    return path


def test_target_rows_fixed_past_values_and_stage_tasks(server: str, shots: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20000)
        page.on("dialog", lambda dialog: dialog.accept())

        def login(name: str) -> None:
            browser_login(page, server, name)

        def both_widths(name: str, part: str = "") -> None:
            """The whole page at both widths; `part`: that element alone too (a long page's table, legible)."""
            for width, height in ((1280, 900), (390, 844)):
                page.set_viewport_size({"width": width, "height": height})
                page.screenshot(path=str(shots / f"year-{name}-{width}.png"), full_page=True)
                if part:
                    page.locator(part).screenshot(path=str(shots / f"year-{name}-part-{width}.png"))
            page.set_viewport_size({"width": 1280, "height": 900})

        # the unit declares 2025's targets from the template; approved at every stage
        login(f"{UNIT}-tianbao")
        page.goto(server + "/plan/targets/new/")
        page.fill("#year", "2025")
        page.click("#create")
        page.check("#ind-table tbody tr:last-child input[name$='-delete']")  # the blank row
        page.click("#save")
        expect(page.locator(".msg.success")).to_be_visible()
        targets_url = page.url
        page.click("#submit")
        approve_at_every_stage(page, server, targets_url, UNIT)

        # the self-evaluation from the targets: no ✕/↑/↓ on their rows, no "add indicator"
        login(f"{UNIT}-tianbao")
        page.goto(targets_url)
        page.click("#start-evaluation")
        expect(page.locator("#chain-panel")).to_be_visible()
        rows = page.locator("#ind-table tbody.row")
        assert rows.count() >= 5
        expect(page.locator("#ind-table tbody.row.fixed")).to_have_count(rows.count())
        expect(page.locator("#ind-table [data-remove-row]")).to_have_count(0)
        expect(page.locator("#ind-table [data-move-row]")).to_have_count(0)
        expect(page.locator("#add-indicator")).to_have_count(0)
        expect(page.locator("#targets-fixed")).to_contain_text("不能在自评中增删")
        expect(page.locator("#ind-table .row-fixed").first).to_have_attribute("title", "此指标来自批准的绩效目标，不能在自评中删除或调整顺序")
        page.locator("input[name$='-actual']").first.fill("98")
        page.click("#save")
        expect(page.locator(".msg.success")).to_be_visible()
        both_widths("1-evaluation-from-targets", part="#ind-table")

        # next year's declaration: last year's target and actual beside each row
        page.goto(targets_url)
        page.click("#next-year")  # straight to the new declaration's form
        first_past = page.locator("#ind-table tbody tr").first.locator("td.past")
        expect(first_past).to_contain_text("2025 目标 ≥100个")
        expect(first_past).to_contain_text("2025 实际完成值 98个")
        both_widths("2-declaration-with-past")

        # the bureau issues the monitoring round and a rectification task from the one task form
        login("caizheng")
        page.goto(server + "/plan/tasks/new/")
        both_widths("3-task-form")
        soon = (dt.date.today() + dt.timedelta(days=3)).isoformat()
        page.select_option("#task-kind", "monitoring")
        page.fill("#task-year", "2025")
        page.fill("#task-title", "2025年年中绩效运行监控")
        page.fill("#task-deadline", soon)
        page.fill("#task-cut-off", "2025-06-30")
        page.click("#task-issue")
        expect(page.locator(".msg.success")).to_contain_text("2025年年中绩效运行监控")
        page.goto(server + "/plan/tasks/new/")
        page.select_option("#task-kind", "rectification")
        page.fill("#task-year", "2025")
        page.fill("#task-title", "2025年抽查问题整改")
        page.fill("#task-deadline", soon)
        page.select_option("#task-source", "spot_check")
        page.fill("#task-problem", "满意度指标设置不全")
        page.click("#task-issue")
        expect(page.locator(".msg.success")).to_contain_text("2025年抽查问题整改")
        # and a list of problems it kept in Excel, issued from the file
        page.goto(server + "/plan/rect/new/")
        page.set_input_files("#rect-import-file", str(_problem_list(shots / "整改清单-导入.xlsx", soon)))
        page.click("#rect-import")
        expect(page.locator(".msg.success")).to_contain_text("下发 1 项整改通知")
        expect(page.locator("#rectifications")).to_contain_text("自评报告未说明监控红灯原因")
        page.goto(server + "/plan/rect/new/")
        both_widths("3b-rectification-import", part="#rect-import-form")

        # both on the unit's to-do list, due soon
        login(f"{UNIT}-tianbao")
        page.click("#nav-todo")
        page.click("#tab-due_soon")
        expect(page.locator("#todo")).to_contain_text("绩效运行监控")
        expect(page.locator("#todo")).to_contain_text("满意度指标设置不全")
        expect(page.locator("#todo")).to_contain_text("问题整改")
        expect(page.locator("#todo")).to_contain_text("自评报告未说明监控红灯原因")
        both_widths("4-todo-monitoring-rectification")
        browser.close()
    assert not any(p.stat().st_size == 0 for p in shots.glob("year-*.png"))
