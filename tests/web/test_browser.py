"""End to end in a real browser (Debian's chromium via Playwright) against the real server (`jixiao serve
--demo`, gunicorn, SQLite): prepare, submit, return with a comment, fix, resubmit, approve at every stage."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests_support_web import BROWSER_TESTS, DEMO_PASSWORD, browser_login, launch_chromium, screenshot_folder

PASSWORD = DEMO_PASSWORD

pytestmark = BROWSER_TESTS


@pytest.fixture(scope="module")
def shots() -> Path:
    return screenshot_folder()


def test_prepare_review_return_fix_approve(server: str, shots: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.set_default_timeout(15000)
        dialogs: list[str] = []

        def accept(dialog: Any) -> None:  # submit, approve and delete ask once more
            dialogs.append(dialog.message)
            dialog.accept()

        page.on("dialog", accept)

        def login(name: str) -> None:
            browser_login(page, server, name)

        def act(name: str, detail: str, button: str, reason: str = "") -> None:
            login(name)
            page.goto(detail)
            if reason:
                page.fill("#return-reason", reason)
                page.select_option("#workflow select[name=field]", "indicators[2]")
            if button == "#approve" and page.locator("#confirm-findings").count():
                page.check("#confirm-findings")  # the open findings are listed; the reviewer confirms
            page.click(button)
            expect(page.locator(".msg.success")).to_be_visible()
            if button == "#approve":
                assert "确定审核通过" in dialogs[-1]

        def submit_with_warnings() -> None:
            expect(page.locator("#submit-warnings")).to_contain_text("I009")
            page.check("#confirm-warnings")
            page.fill("#submit-reason", "满意度调查明年开展，其余警告已核对")
            page.click("#submit")
            expect(page.locator("#state")).to_have_text("待审核")
            assert dialogs and "确定送审" in dialogs[-1] and "单位审核" in dialogs[-1]

        # The preparer changes an indicator's actual value and sees the score and grade change as they type.
        login("shangwu-tianbao")
        page.click("main table tbody a")
        detail = page.url
        page.click("#edit-link")
        expect(page.locator("#total-score")).to_have_text("85")
        expect(page.locator("#grade")).to_have_text("良")
        page.fill("input[name='ind-2-actual']", "7")
        expect(page.locator("#total-score")).to_have_text("100")
        expect(page.locator("#grade")).to_have_text("优")
        page.screenshot(path=str(shots / "1-edit-live-score.png"), full_page=False)
        page.fill("input[name='ind-1-weight']", "二十")  # a bad value: a field error, nothing saved
        page.click("#save")
        expect(page.locator(".has-error .err").first).to_contain_text("应为数字")
        expect(page.locator("input[name='ind-1-weight']")).to_have_value("二十")
        page.fill("input[name='ind-1-weight']", "20")
        # The new value makes the report's stated figures stale; they stay until the preparer clears them.
        page.fill("input[name='budget.stated.adjustment_rate']", "")
        page.fill("input[name='stated.total_score']", "")
        page.select_option("select[name='stated.grade']", "")
        page.locator("input[name='ind-2-stated.score']").evaluate("e => e.closest('details').open = true")
        page.fill("input[name='ind-2-stated.completion_rate']", "")
        page.fill("input[name='ind-2-stated.score']", "")
        # The narrative said 下降8% and a task of 240亿元 against the indicators (A004, errors that stop 送审).
        key_work = page.locator("textarea[name='narrative.key_work']")
        key_work.fill(key_work.input_value().replace("同比下降8%", "同比增长7%")
                      .replace("完成区上任务240亿元的101.9%", "完成区上任务241亿元的101.5%"))
        page.click("#save")
        expect(page.locator(".msg.success")).to_contain_text("第 2 版")
        page.goto(detail)
        submit_with_warnings()

        # Unit head approves; the department returns it with a comment on indicator 3.
        act("shangwu-danwei", detail, "#approve")
        act("shangwu-bumen", detail, "#return", reason="指标3完成值请附统计局数据佐证")
        expect(page.locator("#state")).to_have_text("被退回")
        page.screenshot(path=str(shots / "2-returned.png"), full_page=True)

        # The preparer sees the reason, fixes, resubmits.
        login("shangwu-tianbao")
        page.goto(detail)
        expect(page.locator("#comments")).to_contain_text("指标3完成值请附统计局数据佐证")
        page.click("#edit-link")
        page.fill("input[name='ind-2-actual']", "7.2")
        key_work.fill(key_work.input_value().replace("同比增长7%", "同比增长7.2%"))
        page.click("#save")
        expect(page.locator(".msg.success")).to_contain_text("第 3 版")
        page.goto(detail)
        submit_with_warnings()

        act("shangwu-danwei", detail, "#approve")
        act("shangwu-bumen", detail, "#approve")
        act("caizheng", detail, "#approve")
        expect(page.locator("#state")).to_have_text("已审核")
        page.screenshot(path=str(shots / "3-approved.png"), full_page=True)

        # History shows the three versions and the diff of the fix.
        page.goto(re.sub(r"/$", "/history/?a=2&b=3", detail))
        expect(page.locator("#diff")).to_contain_text("完成值")
        expect(page.locator("#diff")).to_contain_text("7.2")
        page.screenshot(path=str(shots / "4-history.png"), full_page=True)

        # The finance reviewer downloads the approved data and the report; both carry the fix.
        page.goto(detail)
        with page.expect_download() as download:
            page.click("#dl-yaml")
        text = Path(download.value.path()).read_text("utf-8")
        assert "actual: '7.2'" in text
        with page.expect_download() as download:
            page.click("#dl-docx")
        assert download.value.suggested_filename.endswith(".docx")
        report = report_text(Path(download.value.path()))
        assert "综合得分100分" in report and "评价结果为“优”" in report
        assert "本次评价完成值为7.2%" in report.replace(" ", ""), report[:3000]
        browser.close()


def report_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)
