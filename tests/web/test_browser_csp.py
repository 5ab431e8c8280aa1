"""The edit page works under the Content-Security-Policy in a real browser: live scoring (htmx),
adding, moving and removing rows (site.js), the delete confirmation — and no policy violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests_support_web import CHROMIUM

from .test_browser import PASSWORD, shots  # noqa: F401  (a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"),
]


def test_edit_page_runs_under_the_policy(server: str, shots: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(15000)
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(server + "/login/")
        page.fill("input[name=username]", "shangwu-tianbao")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.click("main table tbody a")
        page.click("#edit-link")
        rows = page.locator("#ind-table tbody.row")
        count = rows.count()
        page.click("#add-indicator")
        expect(rows).to_have_count(count + 1)
        page.click("#add-indicator")
        expect(rows).to_have_count(count + 2)
        keys = rows.evaluate_all("rs => rs.map(r => r.dataset.key)")
        assert len(set(keys)) == len(keys)
        first = rows.nth(0).get_attribute("data-key")
        rows.nth(0).locator("[data-move-row='1']").click()
        assert rows.nth(1).get_attribute("data-key") == first
        expect(page.locator("#results")).to_contain_text("缺少必填字段")  # htmx re-scored the blank rows
        rows.last.locator("[data-remove-row]").click()
        rows.last.locator("[data-remove-row]").click()
        expect(rows).to_have_count(count)
        page.fill("input[name='ind-2-actual']", "7")
        expect(page.locator("#total-score")).to_have_text("100")
        page.screenshot(path=str(shots / "csp-edit.png"))
        assert not violations, violations
        browser.close()
