"""In a real browser: re-import the downloaded 自评表 with one value changed — the preview lists the
change and what the file cannot carry, confirming saves it and keeps the narrative."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests_support_web import CHROMIUM

from .test_browser import PASSWORD, shots  # noqa: F401  (a module fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"),
]


def _changed(path: Path, out: Path) -> None:
    """The 自评表 with 开办夜市数量's 实际完成值 changed from 4 to 5, as a user would do it in Excel."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))  # the download has no .xlsx suffix
    sheet = book.active
    assert sheet is not None
    for row in sheet.iter_rows():
        if any(cell.value == "开办夜市数量" for cell in row):
            fours = [cell for cell in row if isinstance(cell.value, (int, float)) and cell.value == 4]
            fours[1].value = 5  # target 4, then 实际完成值 4
            book.save(out)
            return
    raise AssertionError("value not found")


def test_import_preview_then_confirm(server: str, shots: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        page.set_default_timeout(15000)
        page.goto(server + "/login/")
        page.fill("input[name=username]", "shangwu-tianbao")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.click("main table tbody a")
        detail = page.url
        with page.expect_download() as download:
            page.click("#dl-xlsx")
        changed = shots / "自评表-改.xlsx"
        _changed(Path(download.value.path()), changed)
        page.click("#edit-link")
        page.set_input_files("input[type=file][name=file]", str(changed))
        page.click("text=导入（先预览修改）")
        expect(page.locator("#import-changes")).to_contain_text("指标1（开办夜市数量）·完成值")
        expect(page.locator("#import-kept")).to_contain_text("存在的主要问题")
        page.screenshot(path=str(shots / "import-preview-1366.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(shots / "import-preview-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        page.click("#import-confirm")
        expect(page.locator(".msg.success")).to_contain_text("保存为第 2 版")
        page.goto(detail)
        with page.expect_download() as download:
            page.click("#dl-yaml")
        text = Path(download.value.path()).read_text("utf-8")
        assert "actual: '5'" in text and "problems:" in text and "mid_year:" in text
        browser.close()
