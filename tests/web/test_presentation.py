"""What a person sees, in a real browser against the real demo server: no page scrolls sideways from a
phone (390 px) to a laptop (1,366 px), tables scroll inside their own box, list cells keep whole words,
and axe-core (the copy shipped in the axe-playwright-python wheel, so no network at test time) finds no
serious or critical accessibility violation on the main pages. Screenshots go to $JIXIAO_SCREENSHOTS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests_support_web import BROWSER_TESTS, DEMO_PASSWORD, launch_chromium, screenshot_folder

pytestmark = BROWSER_TESTS

WIDTHS = (390, 768, 1366)


@pytest.fixture(scope="module")
def shots() -> Path:
    return screenshot_folder()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


def signed_in(browser: Any, server: str, user: str, width: int = 1366) -> Any:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(15000)
    page.goto(server + "/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("header .who")).to_be_visible()
    return page


def main_pages(page: Any, server: str) -> dict[str, str]:
    page.goto(server + "/")
    page.click("main table tbody a")
    detail = page.url
    return {"list": server + "/", "detail": detail, "edit": detail + "edit/", "history": detail + "history/?a=1&b=1",
            "waiting": server + "/?tab=waiting"}  # empty for a preparer: a table with no link in it


def overflow(page: Any) -> int:
    """How far the page itself scrolls sideways (0 when everything fits the window)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_no_page_scrolls_sideways_at_phone_tablet_and_laptop_widths(browser: Any, server: str, shots: Path) -> None:
    page = signed_in(browser, server, "shangwu-tianbao")
    pages = main_pages(page, server)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(url)
            page.screenshot(path=str(shots / f"layout-{name}-{width}.png"), full_page=True)
            assert overflow(page) <= 0, f"{name} at {width}px is {overflow(page)}px too wide"
    page.close()


def test_wide_tables_scroll_inside_their_card_and_list_cells_keep_whole_words(browser: Any, server: str) -> None:
    page = signed_in(browser, server, "shangwu-tianbao", width=390)
    pages = main_pages(page, server)
    page.goto(pages["list"])
    name_cell = page.locator("main table.list-table tbody tr td:nth-child(2)").first
    assert name_cell.bounding_box()["width"] >= 150  # was 2 characters wide: one character per line
    page.goto(pages["edit"])
    table_card = page.locator("#ind-table").locator("xpath=ancestor::div[contains(@class,'card')][1]")
    scroll = table_card.evaluate("el => [el.scrollWidth, el.clientWidth, getComputedStyle(el).overflowX]")
    assert scroll[0] > scroll[1] and scroll[2] == "auto"  # the indicators table scrolls in its own box
    name_input = page.locator("#ind-table tbody input[name$='-name']").first
    assert name_input.bounding_box()["width"] >= 150  # indicator names are not cut to a few characters
    page.goto(pages["history"])
    number, saved_by, when = (page.locator(f".versions-table tbody tr td:nth-child({n})").first for n in (3, 4, 5))
    line = when.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || 20")
    assert number.bounding_box()["height"] < 2 * line + 12  # "第 1 版" and the time on one line each
    assert saved_by.bounding_box()["width"] >= 150  # the name was 4 characters wide, 7 lines tall
    page.close()


def test_narrative_boxes_grow_with_their_text(browser: Any, server: str) -> None:
    page = signed_in(browser, server, "shangwu-tianbao")
    page.goto(main_pages(page, server)["edit"])
    box = page.locator("textarea[name='narrative.problems']")
    assert box.bounding_box()["height"] >= 60  # at least three lines to start with
    before = box.bounding_box()["height"]
    box.fill("\n".join(f"第{i}条问题：指标完成值缺少佐证资料。" for i in range(1, 13)))
    assert box.bounding_box()["height"] > before + 100
    page.close()


def test_axe_finds_no_serious_violation_on_the_main_pages(browser: Any, server: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found: dict[str, list[str]] = {}

    def check(page: Any, name: str) -> None:
        violations = axe.run(page).response["violations"]
        bad = [f"{v['id']}: {v['nodes'][0]['html'][:120]}" for v in violations if v["impact"] in ("serious", "critical")]
        if bad:
            found[name] = bad

    anonymous = browser.new_page(viewport={"width": 1366, "height": 900})
    anonymous.goto(server + "/login/")
    check(anonymous, "login")
    anonymous.close()
    for user in ("shangwu-tianbao", "shangwu-bumen"):
        page = signed_in(browser, server, user)
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            for name, url in main_pages(page, server).items():
                if name == "edit" and user != "shangwu-tianbao":
                    continue
                page.goto(url)
                check(page, f"{user} {name} {width}px")
        if user == "shangwu-tianbao":
            page.goto(server + "/new/")
            check(page, "new")
        page.close()
    assert not found, found


def test_skip_link_and_header_per_role(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    page = signed_in(browser, server, "shangwu-tianbao")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("跳到正文")
    assert skip.bounding_box()["x"] >= 0  # visible once focused
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    # A preparer reviews nothing: no empty 待我审核 tab.
    expect(page.locator("header")).not_to_contain_text("待我审核")
    expect(page.locator("main .tabs")).not_to_contain_text("待我审核")
    page.close()
    reviewer = signed_in(browser, server, "shangwu-bumen")
    expect(reviewer.locator("header")).to_contain_text("待我审核")
    reviewer.close()


def test_forbidden_page_says_why(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    page = signed_in(browser, server, "shangwu-tianbao")
    response = page.goto(server + "/trash/")
    assert response.status == 403
    expect(page.locator("#forbidden")).to_contain_text("只有管理员可以查看已删除的自评。")
    expect(page.locator("header .who")).to_be_visible()  # inside the app's frame, with a way back
    page.close()


def test_live_panel_keeps_its_last_good_state_after_a_bad_value(browser: Any, server: str, shots: Path) -> None:
    from playwright.sync_api import expect

    page = signed_in(browser, server, "shangwu-tianbao", width=1366)
    page.goto(main_pages(page, server)["edit"])
    expect(page.locator("#total-score")).to_have_text("85")
    page.fill("input[name='ind-1-weight']", "二十")
    expect(page.locator("#stale-scores")).to_be_visible()  # the live preview says why it is not updating
    expect(page.locator("#total-score")).to_have_text("85")
    page.click("#save")
    expect(page.locator(".has-error .err").first).to_contain_text("应为数字")
    expect(page.locator("#total-score")).to_have_text("85")  # not a blank panel after the failed save
    page.screenshot(path=str(shots / "live-panel-after-failed-save.png"))
    page.close()


def test_every_narrative_field_is_a_growing_box_that_saves(browser: Any, server: str, shots: Path) -> None:
    """The report's prose the form used to lack (预算调整的效果和影响, 管理制度健全性, 年度主要任务 …): typed in,
    saved, read back on the edit page and on the reviewer's view, at any width."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    page = signed_in(browser, server, "youeryuan-tianbao")  # its evaluation was returned: editable
    page.set_default_timeout(30000)  # a save re-scores and re-renders the whole form: slow on a loaded machine
    edit = main_pages(page, server)["edit"]
    page.goto(edit)
    effect = page.get_by_label("预算调整的效果和影响", exact=True)
    before = effect.bounding_box()["height"]
    typed = "\n".join(f"第{i}点：调整后资金投向招商项目，带动企业落地。" for i in range(1, 9))
    effect.fill(typed)
    assert effect.bounding_box()["height"] > before + 60  # the box grows with the text
    page.get_by_label("管理制度健全性", exact=True).fill("制定了《招商服务中心财务管理办法》。")
    page.click("#add-task")
    task = page.locator("#task-table tbody.row").last
    task.locator("input[name$='-name']").fill("重点项目招商")
    task.locator("textarea[name$='-content']").fill("全年签约项目20个")
    violations = Axe().run(page).response["violations"]
    assert not [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    page.click("#save")
    expect(page.locator(".msg.success")).to_contain_text("已保存", timeout=30000)
    expect(page.get_by_label("预算调整的效果和影响", exact=True)).to_have_value(typed)
    expect(page.get_by_label("管理制度健全性", exact=True)).to_have_value("制定了《招商服务中心财务管理办法》。")
    expect(page.locator("#task-table input[name$='-name']")).to_have_value("重点项目招商")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.get_by_label("预算调整的效果和影响", exact=True).scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"narrative-fields-{width}.png"))
        assert overflow(page) <= 0
    page.goto(edit.removesuffix("edit/"))
    expect(page.locator("main")).to_contain_text("制定了《招商服务中心财务管理办法》。")
    expect(page.locator("main")).to_contain_text("重点项目招商")
    page.close()


def test_file_inputs_speak_chinese(browser: Any, server: str, shots: Path, tmp_path: Path) -> None:
    """The browser's own file control says "Choose File · No file chosen" in an English browser (as this
    one is): each file input gets a 选择文件 button and the chosen name beside it."""
    from playwright.sync_api import expect

    page = signed_in(browser, server, "shangwu-tianbao", width=390)
    page.goto(server + "/new/")
    native = page.locator("input[type=file]")
    assert native.bounding_box()["width"] <= 1  # the native control is hidden, still in the form
    choose = page.get_by_role("button", name="选择文件：或导入数据文件", exact=False)
    expect(choose).to_be_visible()
    expect(page.locator(".file-name")).to_have_text("未选择文件")
    chosen = tmp_path / "商务局2024.yaml"
    chosen.write_text("year: 2024\n", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        choose.click()
    chooser.value.set_files(str(chosen))
    expect(page.locator(".file-name")).to_have_text("商务局2024.yaml")
    page.screenshot(path=str(shots / "file-picker-390.png"))
    page.goto(main_pages(page, server)["edit"])
    expect(page.get_by_role("button", name="选择文件：选择要导入的数据文件")).to_be_visible()
    page.close()
