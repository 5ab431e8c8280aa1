"""Two charts where people would rather look than read: budget structure and indicator completion.

matplotlib with the Agg backend (no display); CJK text in Noto Sans CJK SC (Debian's
fonts-noto-cjk; matplotlib ≥ 3.11 finds the SC face inside the .ttc).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from jixiao.core.model import FUND_SOURCE_LABELS, Evaluation, IndicatorKind
from jixiao.core.money import HUNDRED, ZERO, fmt
from jixiao.core.scoring import Scorecard

CJK_FONTS = ["Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei"]
COLORS = ["#1f5f9f", "#e08a2c", "#4c9a5a", "#b23b3b", "#7a5ea8", "#8c8c8c"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.sans-serif"] = CJK_FONTS + list(plt.rcParams["font.sans-serif"])
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _png(fig: Any, plt: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def budget_chart_png(evaluation: Evaluation, card: Scorecard) -> bytes | None:
    """Budget structure: basic (personnel / public) vs projects, and the budget by fund source."""
    ex = evaluation.expenditure
    structure: list[tuple[str, Decimal]] = []
    if ex.basic is not None:
        if ex.basic.personnel is not None or ex.basic.public is not None:
            structure += [("人员经费", ex.basic.personnel or ZERO), ("公用经费", ex.basic.public or ZERO)]
        else:
            structure.append(("基本支出", ex.basic.budget))
    structure += [(p.name, p.budget) for p in ex.projects]
    sources = [
        (FUND_SOURCE_LABELS[s], line.adjusted if line.adjusted is not None else line.initial or ZERO)
        for s, line in evaluation.budget.sources.items()
    ]
    sources = [(label, value) for label, value in sources if value > 0]
    structure = [(label, value) for label, value in structure if value > 0]
    panels = [(title, data) for title, data in (("支出结构（万元）", structure), ("资金来源（万元）", sources)) if data]
    if not panels:
        # No breakdown given: show the budget's own figures rather than nothing.
        b = card.budget
        overall = [("年初预算数", b.initial), ("全年预算数", b.adjusted), ("执行数", b.executed)]
        panels = [("预算执行（万元）", [(label, value) for label, value in overall if value > 0])]
        if not panels[0][1]:
            return None
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(panels), figsize=(5.0 * len(panels), 0.45 * max(len(d) for _, d in panels) + 1.6))
    axes = axes if len(panels) > 1 else [axes]
    for ax, (title, data) in zip(axes, panels, strict=True):
        total = sum(v for _, v in data) or Decimal(1)
        positions = list(range(len(data)))[::-1]
        values = [float(v) for _, v in data]
        ax.barh(positions, values, color=COLORS[: len(values)] * 3, height=0.6)
        for pos, (_, v) in zip(positions, data, strict=True):
            ax.text(float(v), pos, f" {fmt(v)}（{fmt(v / total * HUNDRED, 1)}%）", va="center", fontsize=8)
        ax.set_yticks(positions, [label for label, _ in data], fontsize=9)
        ax.set_xlim(0, max(values) * 1.6)
        ax.set_title(title, fontsize=11)
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _png(fig, plt)


def indicator_chart_png(evaluation: Evaluation, card: Scorecard) -> bytes:
    """Each indicator's completion against its target (100%); qualitative ones by score share."""
    plt = _pyplot()
    names: list[str] = []
    values: list[float] = []
    notes: list[str] = []
    for ind, result in zip(evaluation.indicators, card.indicators, strict=True):
        if ind.kind is IndicatorKind.QUANTITATIVE and result.completion_rate is not None:
            value, note = result.completion_rate, f"{fmt(result.completion_rate)}%"
        else:
            value = result.score / ind.weight * HUNDRED if ind.weight else ZERO
            value = Decimal(value)
            note = f"得分率 {value:.0f}%"
        names.append(ind.name if len(ind.name) <= 14 else ind.name[:13] + "…")
        values.append(float(min(value, Decimal(150))))
        notes.append(note)
    height = max(2.4, 0.45 * len(names) + 1.2)
    fig, ax = plt.subplots(figsize=(7.5, height))
    positions = list(range(len(names)))[::-1]
    colors = ["#4c9a5a" if v >= 100 else "#e08a2c" if v >= 60 else "#b23b3b" for v in values]
    ax.barh(positions, values, color=colors, height=0.6)
    ax.axvline(100, color="#333333", linestyle="--", linewidth=1)
    ax.text(100, len(names) - 0.4, " 目标值（100%）", fontsize=8, va="bottom")
    for pos, shown, note in zip(positions, values, notes, strict=True):
        ax.text(shown + 1, pos, note, va="center", fontsize=8)
    ax.set_yticks(positions, names, fontsize=9)
    ax.set_xlim(0, max(160.0, max(values, default=0) + 25))
    ax.set_xlabel("完成率（%）")
    ax.set_title("绩效指标完成情况", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig, plt)
