"""A year other than the report's own is stale text only where no context explains it."""

from __future__ import annotations

import pytest

from jixiao.core.prose import other_years


@pytest.mark.parametrize("sentence", [
    "本中心成立于2008年，现有在编人员21人。",
    "支付2024年度护林员补贴及2023年度考核奖励金。",
    "严格按照2017年《国家基本公共卫生服务规范(第三版)》执行。",
    "2023年12月省财政厅提前下达补助资金57.5万元。",
    "2023年结转资金12万元已全部支出。",
    "到2030年，全区森林覆盖率达到45%。",
    "2023年度预算安排三公经费32万元，变动率为98.31%。",
    "2022年12月省財政廳下達補助資金57.5萬元。",
    "三级指标 | 2022年实际实现值 | 2024年指标值",  # a 批复表's columns: the years' own figures
    "2023年决算数为500万元。",
])
def test_an_explained_year_is_not_flagged(sentence: str) -> None:
    assert other_years(sentence, 2024) == []


@pytest.mark.parametrize("sentence", [
    "该指标以2015年完工的新建楼堂馆所为评价内容。",
    "2021年我局圆满完成各项工作任务。",
    "2021年实际完成了全部建设内容。",  # a sentence about that year, not a column of its figures
])
def test_an_unexplained_year_is_flagged(sentence: str) -> None:
    hits = other_years(sentence, 2024)
    assert [h.code for h in hits] == ["A006"]
