"""Steps the year's browser tests share: screenshots at a wide and the phone width, and a declaration
approved at every stage (unit head, department, bureau) through its page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests_support_web import browser_login

PHONE = {"width": 390, "height": 844}


def both_widths(page: Any, shots: Path, name: str, wide: dict[str, int] | None = None) -> None:
    """The whole page at 1366 px (or `wide`) and at 390 px; the page is left at the wide size."""
    wide = wide or {"width": 1366, "height": 900}
    page.screenshot(path=str(shots / f"{name}-{wide['width']}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(shots / f"{name}-390.png"), full_page=True)
    page.set_viewport_size(wide)


def approve_at_every_stage(page: Any, server: str, url: str, unit: str) -> None:
    """The submitted record at `url` approved by the unit's head, the department and the bureau."""
    from playwright.sync_api import expect

    for reviewer in (f"{unit}-danwei", "shangwu-bumen", "caizheng"):
        browser_login(page, server, reviewer)
        page.goto(url)
        page.click("#approve")
        expect(page.locator(".msg.success")).to_be_visible()
