"""The reviewer reads the whole evaluation on its page (issue 9, item 6), in a real browser against the
real server: the narrative and each indicator's deviation reason are there, a finding in the side panel
links to its field and the field shows the finding beside it. Screenshots at 390, 768 and 1366 px."""

from __future__ import annotations

from pathlib import Path

from tests_support_web import BROWSER_TESTS, DEMO_PASSWORD, launch_chromium, screenshot_folder

pytestmark = BROWSER_TESTS


def test_reviewer_reads_the_whole_evaluation_and_follows_a_finding(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    shots: Path = screenshot_folder()
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(15000)
        page.goto(server + "/login/")
        page.fill("input[name=username]", "caizheng")  # the finance bureau: 第一中学 waits for its review
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.goto(server + "/?tab=waiting")
        page.click("main table tbody a")
        expect(page.locator("#state")).to_have_text("待审核")

        # The whole evaluation, read-only: 基本信息, the narrative, each indicator's reasons and evidence.
        expect(page.locator("#v-unit-supervising_department")).to_contain_text("教育局")
        expect(page.locator("#v-narrative-key_work")).to_contain_text("立德树人")
        expect(page.locator("#v-indicators-2-deviation_reason")).to_contain_text("顺延至次年")
        expect(page.locator("#v-indicators-2-evidence")).not_to_contain_text("未填写")
        expect(page.locator("#v-narrative-problems li").first).to_be_visible()
        assert page.locator("section.view :is(input, textarea, select)").count() == 0  # read-only

        # A finding in the side panel links to its field; the field shows it beside the value.
        finding = page.locator("#results .findings a").first
        href = finding.get_attribute("href")
        assert href == "#v-indicators-2-mid_year", href
        finding.click()
        assert page.evaluate("location.hash") == href
        field = page.locator(href)
        expect(field).to_be_in_viewport()
        expect(field.locator(".notes")).to_contain_text("I007")
        assert page.evaluate(f"getComputedStyle(document.querySelector('{href}')).outlineStyle") == "solid"

        for width in (390, 768, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate(f"document.querySelector('{href}').scrollIntoView()")
            page.screenshot(path=str(shots / f"review-finding-{width}.png"))
            page.screenshot(path=str(shots / f"review-full-{width}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, width  # no sideways scroll
        browser.close()
