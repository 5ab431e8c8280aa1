"""Security headers on every page, and pages that work under them: no inline script anywhere."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from jixiao.web.evaluations import editing, widgets

from .conftest import World

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "web" / "templates"
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']|javascript:""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HOW = ("The Content-Security-Policy (jixiao.web.headers) runs no inline script: put behaviour in "
       "static/jixiao/site.js, declared with data- attributes (data-confirm=\"…\" on a form asks before "
       "submitting), and no hx-vals='js:…' / hx-on (they need eval).")


def _inline_code(html: str) -> list[str]:
    found = INLINE_HANDLER.findall(html) + INLINE_SCRIPT.findall(html)
    found += [m for m in re.findall(r"""hx-(?:vals|vars|on)[-:\w]*\s*=\s*'[^']*'""", html) if "js:" in m or "hx-on" in m]
    return found


def test_every_response_carries_csp_and_permissions_policy(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    for url in (reverse("login"), reverse("evaluations:list"), reverse("evaluations:detail", args=[evaluation.pk]),
                reverse("evaluations:edit", args=[evaluation.pk]), "/admin/login/", "/e/999999/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], url
        assert "'unsafe-eval'" not in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_templates_have_no_inline_script() -> None:
    for template in TEMPLATES.rglob("*.html"):
        found = _inline_code(template.read_text("utf-8"))
        assert not found, f"{template.name}: {found}. {HOW}"


def test_rendered_pages_have_no_inline_script(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    pages = [reverse("evaluations:list"), reverse("evaluations:detail", args=[evaluation.pk]),
             reverse("evaluations:edit", args=[evaluation.pk]), reverse("evaluations:history", args=[evaluation.pk]),
             reverse("evaluations:new"), reverse("evaluations:row", args=[evaluation.pk, "ind"])]
    for url in pages:
        html = client.get(url).content.decode()
        assert not _inline_code(html), f"{url}: {_inline_code(html)}. {HOW}"
    row = widgets.table_row(editing.blank_row(editing.INDICATORS, "n1"), "ind")
    assert "data-move-row" in row and "data-remove-row" in row and not _inline_code(row)


def test_added_rows_get_distinct_keys_without_browser_code(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    url = reverse("evaluations:row", args=[evaluation.pk, "ind"])
    keys = {re.search(r'data-key="([^"]+)"', client.get(url).content.decode()).group(1) for _ in range(5)}  # type: ignore[union-attr]
    assert len(keys) == 5
