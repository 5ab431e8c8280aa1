"""A small consistent report in the seed's phrasing, with knobs to break it one slip at a time."""

from __future__ import annotations

TEMPLATE = """附件4:

部门单位整体支出绩效自评报告

(2024年度)

部门单位名称(公章): 示例县商务局

填报时间: 2025年03月01日

一、基本概况:

(一)部门单位年度重点工作:

{key_work}

(二)部门单位整体预算规模及安排情况:

我单位2024年部门单位整体年初预算数为{initial}万元,预算数(调整后)为{adjusted}万元,执行数为{executed}万元,预算执行率{exec_rate}%。

{adjust_text}

三、部门单位整体支出绩效分析:

我单位2024年全年预算金额为{adjusted}万元,执行金额为{executed}万元,执行率为{exec_rate}%,得{exec_score}分。

(一)指标一:

培训人数:该指标预期指标值大于等于100人,年中监控实际完成值为60人,本次评价完成值为{actual1}人,完成率为{rate1}%。根据培训签到表等资料,本次评价实际完成值为{restated1},达到预期效益。该指标权重分值为50分,自评得分{score1}分。

(二)指标二:

服务对象满意度:该指标预期指标值大于等于90%,年中监控实际完成值为90%,本次评价完成值为95%,完成率为105.56%。该指标权重分值为40分,自评得分40分。

四、评价结论:

{year_text}2024年度部门整体支出绩效自评综合得分{total}分,评价结果为"{grade}"。

五、存在的主要问题及原因分析:

- 1.培训覆盖面有待扩大。

六、改进措施和建议:

- 1.扩大培训覆盖面。
"""

DEFAULTS: dict[str, object] = {
    "key_work": "全年完成培训100人次,完成年度计划。",
    "initial": "500.00",
    "adjusted": "500.00",
    "executed": "500.00",
    "exec_rate": "100",
    "exec_score": "10",
    "adjust_text": "",
    "actual1": "100",
    "rate1": "100",
    "restated1": "100人",
    "score1": "50",
    "total": "100",
    "grade": "优",
    "year_text": "",
}


def report(**changes: object) -> str:
    values = {**DEFAULTS, **changes}
    return TEMPLATE.format(**values)
