import base64
import re
from pathlib import Path

import pytest

from jixiao.core.evaluate import Result, evaluate
from jixiao.io.errors import InputError
from jixiao.io.evaluation_file import read_evaluation
from jixiao.io.rules_file import load_rules
from jixiao.report.textual import render_html, render_markdown


def test_html_has_outline_charts_and_merged_table(seed: Result) -> None:
    html = render_html(seed.evaluation, seed.scorecard)
    for heading in ("一、基本概况", "三、部门单位整体支出绩效分析", "四、评价结论", "附表：部门（单位）整体支出绩效自评表"):
        assert f">{heading}<" in html
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == 2 and all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images)
    assert 'colspan="9"' in html and 'rowspan="' in html
    assert "综合得分85分，评价结果为“良”" in html
    assert "Noto Sans CJK SC" in html


def test_html_escapes_user_text(seed: Result) -> None:
    ev = seed.evaluation.model_copy(deep=True)
    ev.narrative.problems = ["<script>alert(1)</script>"]
    html = render_html(ev, seed.scorecard, charts=False)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_markdown_paragraphs_and_table(seed: Result) -> None:
    md = render_markdown(seed.evaluation, seed.scorecard)
    assert md.startswith("附件4：\n\n# 部门单位整体支出绩效自评报告")
    assert "\n\n## 四、评价结论\n\n" in md
    assert "\n\n2024年度部门整体支出绩效自评综合得分85分，评价结果为“良”。\n\n" in md
    assert "| 总分 |  |  |  |  |  | 100 | 85 | 评价等级：良 |" in md
    assert "\n\n\n" not in md


def test_markdown_warning_box(seed: Result) -> None:
    md = render_markdown(seed.evaluation, seed.scorecard, warnings=seed.errors)
    assert "> **⚠ 注意：数据校验发现以下错误" in md and "> - [错误 B006]" in md


def test_a_word_template_is_refused_for_html_and_markdown_not_ignored() -> None:
    root = Path(__file__).parents[2]
    result = evaluate(read_evaluation(root / "examples" / "excellent-unit-2024.yaml"), load_rules())
    for render in (render_html, render_markdown):
        with pytest.raises(InputError, match="Word 模板"):
            render(result.evaluation, result.scorecard, template="sichuan")


def test_markdown_escapes_raw_html_from_user_text(seed: Result) -> None:
    ev = seed.evaluation.model_copy(deep=True)
    ev.narrative.problems = ['<img src=x onerror="alert(1)">', "收入 & <b>支出</b>"]
    ev.unit.name = "<script>alert(2)</script>单位"
    ev.indicators[0].name = "<a href='javascript:alert(3)'>指标</a>"
    md = render_markdown(ev, seed.scorecard)
    assert "<img" not in md and "<script" not in md and "<a " not in md and "<b>" not in md
    assert "&lt;img src=x" in md and "&lt;script&gt;alert(2)" in md and "收入 &amp; &lt;b&gt;支出" in md
    assert "&lt;a href='javascript:alert(3)'&gt;指标" in md  # in the 自评表 pipe table too
