"""PDF artefacts cleaned, and every figure still quoted exactly as the document wrote it."""

from __future__ import annotations

import pytest

from jixiao.audit.normalise import normalise


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("外贸进出口总额 65.84 亿元人 民币", "外贸进出口总额65.84亿元人民币"),
        ("预算数为 3142.55 万 元, 执行数为 3142.55 万元", "预算数为3142.55万元,执行数为3142.55万元"),
        ("预算数为３１４２．５５万元，执行率１００％", "预算数为3142.55万元,执行率100%"),
        ("项目总金额为2,688.16万元", "项目总金额为2688.16万元"),
        ("共有四个项目,引进企业七十二家,得十五分", "共有4个项目,引进企业72家,得15分"),
        ("完成率为百分之八十", "完成率为80%"),
        ("十分重要,统一项目管理", "十分重要,统一项目管理"),  # not numerals
        ("下降 7.46 %", "下降7.46%"),
        ("填报时间: 2025年02月19日", "填报时间:2025年02月19日"),
        ("开办夜市数量 | 等于4家 | 4家", "开办夜市数量 | 等于4家 | 4家"),  # table cells stay apart
    ],
)
def test_artefacts(raw: str, clean: str) -> None:
    assert normalise([raw]).norm == clean


def test_broken_sentences_are_joined_and_paragraphs_kept() -> None:
    lines = ["一、基本概况:", "", "我单位年初预算数为 3142.55 万元,预算执", "行率为 100%。", "", "2.预算调整情况", "年中调增数 0 万元。"]
    assert normalise(lines).norm == "一、基本概况:\n我单位年初预算数为3142.55万元,预算执行率为100%。\n2.预算调整情况\n年中调增数0万元。"


def test_pdf_page_numbers_are_dropped_inside_a_sentence() -> None:
    lines = ["全年预算数为 3142.55 万元,全年实际支出资金 3142.55 万元,预算执", "- 2 -", "行率为 100%。"]
    assert normalise(lines, pdf=True).norm == "全年预算数为3142.55万元,全年实际支出资金3142.55万元,预算执行率为100%。"
    assert "\n2\n" not in normalise(lines, pdf=True).norm


def test_locations_quote_the_original_text() -> None:
    lines = ["标题", "", "其中:财政资金预算部分年初预算 数为 ４６７．０４ 万元,全年预算数为 795.89 万元。"]
    text = normalise(lines)
    start = text.norm.index("467.04")
    where = text.locate(start, start + len("467.04万元"))
    assert where.line == 3
    assert where.quote == "财政资金预算部分年初预算 数为 ４６７．０４ 万元"


def test_quote_of_a_clause_broken_across_lines() -> None:
    lines = ["在部门单位整体预算规模方面,我单位2024年部门单位整体年初", "", "预算数为 3142.55 万元, 预算数(调整后)为 3142.55 万元"]
    text = normalise(lines)
    start = text.norm.index("3142.55")
    where = text.locate(start, start + 9)
    assert where.line == 3 and where.quote == "我单位2024年部门单位整体年初预算数为 3142.55 万元"


def test_rates_without_percent_sign(rules: object) -> None:
    from jixiao.audit.facts import read_facts

    facts = read_facts(normalise(["(一)预算执行", "全年预算数为500万元,全年实际支出资金450万元,预算执行率为90,基本持平。"]))
    assert facts.value("budget.stated.execution_rate") == 90


def test_pdf_quote_marks_set_apart_from_their_words_are_dropped() -> None:
    text = normalise(["完成档次为 达成年度指标 ，该指标权重分值为 “ ” 15", "分，自评得分 15 分。"], pdf=True)
    assert "权重分值为15分" in text.norm
    assert '"达成"' in normalise(["档次为“达成”。"], pdf=True).norm  # quotes that belong to words stay


def test_a_double_spaced_copy_joins_its_broken_sentences_and_keeps_its_cells_apart() -> None:
    # Each line of the page made its own paragraph: the blank lines carry nothing, the short lines still end.
    page = ["商品和服务支出预算 75800 元,占基本支出预算%,同比增加", "52044.27 元,增长 50.63%,增长原因是编外人员经费支出列入基",
            "本支出。", "绩效指标", "指标1:新建堤防、护岸长度", "公里", *[f"第{n}项工作已按计划全部完成。" for n in range(1, 8)]]
    text = normalise("\n\n".join(page).split("\n")).norm
    assert "同比增加52044.27元,增长50.63%,增长原因是编外人员经费支出列入基本支出。" in text
    assert "\n绩效指标\n指标1:新建堤防、护岸长度\n公里\n" in text
    # Single-spaced, the same blank line still ends a paragraph.
    assert normalise(["本年预算执行情况良好,各项工作已经按照年初计划开展并且", "", "二、存在的问题"]).norm.count("\n") == 1


@pytest.mark.parametrize(("raw", "read"), [
    ("完成任务240亿元的1O1.9%。", "完成任务240亿元的101.9%。"), ("合格率1OO%", "合格率100%"), ("2O23年", "2023年"),
    ("第3O个", "第30个"),
    # Letters that are letters: a formula, a model, a standard.
    ("CO2排放", "CO2排放"), ("型号A1O2", "型号A1O2"), ("ISO9001", "ISO9001"),
])
def test_ocrs_letter_o_inside_a_figure_is_a_zero(raw: str, read: str) -> None:
    assert normalise([raw]).norm == read
