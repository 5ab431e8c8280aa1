"""The year's chain end to end in a real browser (Debian's chromium, the real server `jixiao serve --demo`):
declare targets (one picked from the indicator library) → approve at every stage → the bureau issues a
monitoring round → the unit reports, a red light → a target adjustment approved → the self-evaluation
starts from the targets → a rectification item is closed. Screenshots at 390 and 1366 px."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pytest

from tests_support_web import BROWSER_TESTS, browser_login, launch_chromium
from web.year_browser import approve_at_every_stage
from web.year_browser import both_widths as shoot

pytestmark = BROWSER_TESTS

UNIT = "shangwu"


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("JIXIAO_SCREENSHOTS") or tempfile.mkdtemp(prefix="jixiao-year-shots-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_declare_approve_monitor_adjust_evaluate_rectify(server: str, shots: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(15000)
        page.on("dialog", lambda dialog: dialog.accept())

        def login(name: str) -> None:
            browser_login(page, server, name)

        def both_widths(name: str) -> None:
            shoot(page, shots, name)

        # 1. the unit declares its targets; one more indicator is picked from the library as you type
        login(f"{UNIT}-tianbao")
        page.goto(server + "/plan/")
        page.click("#new-targets")
        page.fill("#year", "2025")
        page.click("#create")
        expect(page.locator("#stage-form")).to_be_visible()
        rows = page.locator("#ind-table tbody tr")
        last = rows.nth(rows.count() - 1)
        name = last.locator("input[name$='-name']")
        name.fill("满意")
        expect(page.locator("#library option[value='服务对象满意度']")).to_have_count(1)
        name.fill("服务对象满意度")
        expect(last.locator("input[name$='-level2']")).to_have_value("服务对象满意度指标")
        expect(last.locator("input[name$='-unit']")).to_have_value("%")
        expect(last.locator("select[name$='-level1']")).to_have_value("满意度")
        last.locator("input[name$='-target']").fill("85")
        last.locator("input[name$='-weight']").fill("0")
        page.click("#save")
        expect(page.locator(".msg.success")).to_be_visible()
        targets_url = page.url
        expect(page.locator("#indicators")).to_contain_text("服务对象满意度")
        page.click("#submit")
        expect(page.locator("#state")).to_have_text("待审核")

        # 2. reviewed at the unit, the department and the bureau; then locked
        approve_at_every_stage(page, server, targets_url, UNIT)
        expect(page.locator("#state")).to_have_text("已审核")
        expect(page.locator("#locked")).to_be_visible()

        # 3. the bureau issues the mid-year round to everyone
        page.goto(server + "/plan/")
        page.click("#new-round")
        page.fill("#round-year", "2025")
        page.fill("#round-name", "2025年年中绩效运行监控")
        page.fill("#cut_off", "2025-06-30")
        page.fill("#deadline", "2025-07-15")
        page.click("#issue")
        expect(page.locator("#round-lights")).to_contain_text("某某项目")
        round_url = page.url

        # 4. the unit reports: half the budget time gone, a fifth of the count done → red
        login(f"{UNIT}-tianbao")
        page.goto(server + "/plan/")
        expect(page.locator("#todo")).to_contain_text("绩效运行监控")
        page.locator("#todo a", has_text="2025").first.click()
        page.click("#edit")
        page.fill("#executed_to_date", "45")
        page.fill("#value-XM-001", "20")
        page.fill("#reason-XM-001", "上半年设备到货延迟")
        page.fill("#action-XM-001", "三季度集中安装")
        for code, value in (("XM-002", "96"), ("XM-003", "100"), ("XM-004", "45"), ("XM-005", "520"), ("XM-007", "92")):
            page.fill(f"#value-{code}", value)
        page.click("#save")
        expect(page.locator("#ind-XM-001 .light-red")).to_have_text("红灯")
        both_widths("1-monitoring-red")
        page.click("#submit")
        for reviewer in (f"{UNIT}-danwei", "shangwu-bumen", "caizheng"):
            login(reviewer)
            page.goto(server + "/plan/")
            page.locator("#todo a", has_text="2025").first.click()
            page.click("#approve")
            expect(page.locator(".msg.success")).to_be_visible()
        page.goto(round_url)
        expect(page.locator("#round-lights .light-red")).to_have_count(1)
        both_widths("2-round-lights")

        # 5. the unit asks to lower the lagging target; the bureau approves
        login(f"{UNIT}-tianbao")
        page.goto(targets_url)
        page.select_option("#adjust-code", "XM-001")
        page.fill("#adjust-target", "60")
        page.fill("#adjust-reason", "上级调减采购任务量")
        page.click("#request-adjustment")
        expect(page.locator("#adjustments")).to_contain_text("待审批")
        login("caizheng")
        page.goto(targets_url)
        page.click("#approve-adjustment-0")
        expect(page.locator("#adjustments")).to_contain_text("已批准")
        expect(page.locator("#ind-XM-001")).to_contain_text("≥100个 → ≥60个")
        both_widths("3-targets-adjusted")

        # 6. the self-evaluation starts from the approved targets and the monitoring values
        login(f"{UNIT}-tianbao")
        page.goto(targets_url)
        page.click("#start-evaluation")
        expect(page.locator(".msg.success")).to_contain_text("目标值不可在自评中修改")
        body = page.content()
        assert re.search(r'value="60(\.0+)?"', body), "the approved target is in the self-evaluation"
        assert re.search(r'value="20(\.0+)?"', body), "the monitoring value is carried over"
        target_cell = page.locator("input[name='ind-0-target']")
        expect(target_cell).to_have_attribute("readonly", "")
        expect(target_cell).to_have_class(re.compile("locked"))
        expect(page.locator("input[name='ind-0-actual']")).to_be_editable()
        expect(page.locator("#chain-adjustments")).to_contain_text("≥100个 → ≥60个")
        expect(page.locator("#chain-adjustments")).to_contain_text("已批准")
        both_widths("3b-self-evaluation-locked")

        # 7. a rectification item: notice → plan → feedback → closed
        login("shangwu-bumen")
        page.goto(server + "/plan/")
        page.click("#new-rect")
        page.fill("#rect-problem", "年中监控完成数量红灯，采购计划编制不实")
        page.fill("#rect-deadline", (dt.date.today() + dt.timedelta(days=60)).isoformat())  # a notice is not issued already overdue
        page.click("#rect-create")
        item_url = page.url
        login(f"{UNIT}-tianbao")
        page.goto(item_url)
        for action, text in (("plan", "重新编制采购计划"), ("feedback", "已按新计划完成采购")):
            page.fill("#rect-text", text)
            page.click(f"#rect-{action}")
            expect(page.locator(".msg.success")).to_be_visible()
        login("shangwu-bumen")
        page.goto(item_url)
        page.fill("#rect-text", "核实无误，同意销号")
        page.click("#rect-close")
        expect(page.locator("#rect-state")).to_have_text("已销号")
        expect(page.locator("#rect-steps tbody tr")).to_have_count(4)  # notice, plan, feedback, closing
        both_widths("3c-rectification-steps")
        page.goto(server + "/plan/")
        both_widths("4-home")

        # 8. the bureau issues the self-evaluation task; the unit's to-do screen shows it due soon
        login("caizheng")
        page.goto(server + "/plan/todo/")
        page.click("#new-task")
        page.select_option("#task-kind", "self_evaluation")
        page.fill("#task-year", "2025")
        page.fill("#task-title", "2025年项目支出绩效自评")
        page.fill("#task-deadline", (dt.date.today() + dt.timedelta(days=3)).isoformat())
        page.click("#task-issue")
        expect(page.locator(".msg.success")).to_contain_text("2025年项目支出绩效自评")
        login(f"{UNIT}-tianbao")
        page.click("#nav-todo")
        page.click("#tab-due_soon")
        expect(page.locator("#todo")).to_contain_text("绩效自评")
        expect(page.locator("#todo .bucket-due_soon").first).to_have_text("即将到期")
        expect(page.locator("#unread")).to_contain_text("2025年项目支出绩效自评")
        both_widths("5-todo")

        # 9. the department adds its own library entry; next year's like-named project picks a like project's indicator
        login("shangwu-bumen")
        page.goto(server + "/plan/library/")
        page.click("#library-new")
        page.fill("#entry-code", "SW-001")
        page.fill("#entry-name", "设备安装完成率")
        page.fill("#entry-level2", "质量指标")
        page.fill("#entry-unit", "%")
        page.fill("#entry-typical", "≥90%、100%")
        page.fill("#entry-source", "商务局2025年目标")
        page.click("#entry-save")
        expect(page.locator("#own-library")).to_contain_text("设备安装完成率")
        both_widths("6-library-own")
        login(f"{UNIT}-tianbao")
        page.goto(server + "/plan/targets/new/")
        page.fill("#year", "2026")
        page.click("#create")
        page.fill("#project_name", "某某项目二期")
        page.check("#ind-table tbody tr:last-child input[name$='-delete']")  # the blank row
        page.check("input[name='ind-0-delete']")  # 完成数量: not in this project, so it is suggested from the like one
        page.click("#save")
        page.click("#edit")
        expect(page.locator("#similar")).to_contain_text("2025 年 某某项目")
        page.locator("#similar .use-similar").first.click()
        expect(page.locator("#similar .use-similar").first).to_have_text("已选用")
        expect(page.locator("#ind-table tbody tr:last-child input[name$='-name']")).to_have_value("完成数量")
        both_widths("7-similar-projects")
        browser.close()
    assert not any(p.stat().st_size == 0 for p in shots.glob("*.png"))
