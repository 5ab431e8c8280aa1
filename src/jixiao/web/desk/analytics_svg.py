"""Server-side SVG charts for the desk (pure: strings in, an SVG string out).

Chosen over a vendored Apache ECharts (docs/desk.md, "Charts"): an SVG bar chart is 1–3 KB of
markup rendered in tens of microseconds, needs no script under the CSP, prints, scales to any width
and is readable without JavaScript; ECharts would add ~1 MB of script to every desk page. The colours
are ECharts' default palette, so the charts look the way Chinese government dashboards do.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc")


def bar_chart(title: str, bars: Sequence[tuple[str, int]], unit: str = "个", links: Sequence[str] | None = None,
              width: int = 560, colour: str | None = None) -> str:
    """Vertical bars with the value above each and the label below; `links` makes each bar a link."""
    height, top, bottom, left = 220, 28, 46, 8
    plot_h = height - top - bottom
    n = max(1, len(bars))
    slot = (width - 2 * left) / n
    peak = max((v for _, v in bars), default=0) or 1
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-label="{escape(title)}" data-bars="{len(bars)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - left}" y2="{top + plot_h}" stroke="#ccc"/>',
    ]
    for i, (label, value) in enumerate(bars):
        bar_h = round(plot_h * value / peak, 1)
        x = round(left + i * slot + slot * 0.15, 1)
        w = round(slot * 0.7, 1)
        y = round(top + plot_h - bar_h, 1)
        fill = colour or PALETTE[i % len(PALETTE)]
        rect = (f'<rect x="{x}" y="{y}" width="{w}" height="{bar_h}" fill="{fill}">'
                f"<title>{escape(label)}：{value} {escape(unit)}</title></rect>")
        if links and i < len(links) and links[i]:
            rect = f'<a href="{escape(links[i])}">{rect}</a>'
        cx = round(x + w / 2, 1)
        parts += [
            rect,
            f'<text x="{cx}" y="{round(y - 4, 1)}" text-anchor="middle" font-size="12">{value}</text>',
            f'<text x="{cx}" y="{height - bottom + 16}" text-anchor="middle" font-size="11">{escape(label)}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def share_bar(title: str, parts: Sequence[tuple[str, int]], width: int = 560) -> str:
    """One horizontal bar split into shares (e.g. money by grade), each share labelled with its percent."""
    height = 64
    whole = sum(v for _, v in parts) or 1
    out = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-label="{escape(title)}" data-bars="{len(parts)}">',
        f"<title>{escape(title)}</title>",
    ]
    x = 0.0
    for i, (label, value) in enumerate(parts):
        w = width * value / whole
        share = f"{value * 100 / whole:.1f}%"
        out.append(f'<rect x="{x:.1f}" y="4" width="{w:.1f}" height="30" fill="{PALETTE[i % len(PALETTE)]}">'
                   f"<title>{escape(label)}：{share}</title></rect>")
        if w > 40:
            out.append(f'<text x="{x + w / 2:.1f}" y="52" text-anchor="middle" font-size="11">{escape(label)} {share}</text>')
        x += w
    out.append("</svg>")
    return "".join(out)
