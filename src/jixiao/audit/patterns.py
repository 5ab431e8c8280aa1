"""The regular expressions that recognise figures in normalised report text, in one place."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.core.model import Comparator, Grade

# Shared with the core's prose checks (which cannot import the auditor).
from jixiao.core.prose import NUM as NUM
from jixiao.core.prose import UNIT as UNIT
from jixiao.core.prose import UNITS as UNITS
from jixiao.core.prose import YEAR_ANY as YEAR_ANY

COMPARATORS: dict[str, Comparator] = {
    "大于等于": Comparator.GE, "大于或等于": Comparator.GE, "不低于": Comparator.GE, "不少于": Comparator.GE,
    "≥": Comparator.GE, ">=": Comparator.GE, "达到": Comparator.GE, "至少": Comparator.GE,
    "小于等于": Comparator.LE, "小于或等于": Comparator.LE, "不高于": Comparator.LE, "不超过": Comparator.LE,
    "不多于": Comparator.LE, "≤": Comparator.LE, "<=": Comparator.LE, "控制在": Comparator.LE,
    "等于": Comparator.EQ, "=": Comparator.EQ,
    "大于": Comparator.GT, "高于": Comparator.GT, ">": Comparator.GT,
    "小于": Comparator.LT, "低于": Comparator.LT, "<": Comparator.LT,
}
CMP = "(?:" + "|".join(re.escape(c) for c in sorted(COMPARATORS, key=len, reverse=True)) + ")"
# A table cell that is one figure ("≥420公里", "95%", "1237.50", "—"), not text with a figure in it.
FIGURE_CELL = re.compile(rf"(?:{CMP})?{NUM}(?:{UNIT})?|[—–\-/]")

GRADES = {"优秀": Grade.EXCELLENT, "优": Grade.EXCELLENT, "良好": Grade.GOOD, "良": Grade.GOOD,
          "中等": Grade.FAIR, "中": Grade.FAIR, "较差": Grade.POOR, "差": Grade.POOR}

AMOUNT = re.compile(rf"(?P<num>{NUM})(?P<unit>万元|亿元|元)(?!/)")
PERCENT = re.compile(rf"(?P<num>{NUM})%")
# A rate written without its % sign ("执行率为100,"), recognised only right after the word 率.
RATE_BARE = re.compile(rf"率(?:为|是|达到|达)?(?P<num>{NUM})(?![\d.%‰]|\s*(?:{UNIT}))")
COUNT_PROJECTS = re.compile(r"(?P<num>\d+)个项目")

UNIT_NAME = re.compile(r"(?:部门|单位|项目[^\n:]{0,6}单位)[^\n:]{0,10}名称[^\n:]{0,6}:(?!\s*(?:万元|元|亿元|千元))(?P<v>[^\n]{2,80})")
PROJECT_NAME = re.compile(r"项目名称:(?P<v>[^。,;\n|]{2,60})")
KIND_PROJECT = re.compile(r"项目支出绩效自评")
# Where a head cell's value ends: the next label of the form, run together with it by the normaliser.
NEXT_LABEL = re.compile(
    r"\s{2,}|填报|(?:主管部门|评价人员|评价机构|评价方式|联系人|联系电话|项目负责人|财务负责人|单位负责人|报告日期|"
    r"预算编码|项目名称|(?<![\u4e00-\u9fff])单位)\s*[:：]"
)
# A title that opens with its unit: "红河州数据发展中心2024年度项目支出绩效单位自评报告".
_UNIT_SUFFIX = (r"(?:局|委员会|委|办公室|办|中心|院|所|站|队|馆|校|学校|医院|政府|街道办事处|管委会|管理处|公司|协会|联合会|"
                r"厅|部)")
_TITLE_NAME = r"(?:(?!年|表|绩效|自评|报告|部门整体)[\u4e00-\u9fff])(?:(?!年|表|绩效|自评|报告|部门整体)[\u4e00-\u9fff（）()]){3,29}?"
UNIT_IN_TITLE = re.compile(
    # 茂名市发展和改革局2021年度部门整体支出绩效自评报告
    rf"(?m)(?:^|(?<![\u4e00-\u9fff]))[ ]*(?P<v>{_TITLE_NAME}{_UNIT_SUFFIX})[ ]*(?:20\d\d)年度?[^\n]{{0,30}}"
    r"(?:自评报告|评价报告|自评表|监控报告|申报表|目标表)"
    # 2021年茂名市发展和改革局部门整体支出绩效自评报告: the year first, the unit right after it
    rf"|(?:20\d\d)[ ]*年度?[ ]*(?P<w>{_TITLE_NAME}{_UNIT_SUFFIX})[ ]*(?:部门|单位)?(?:整体)?(?:支出|项目支出)?[ ]*绩效"
    r"[^\n]{0,12}(?:自评报告|评价报告|自评表)"
)
UNIT_NAME_ALT = re.compile(r"(?:填报单位|评价单位|单位名称|部门名称|项目单位|项目实施单位|实施单位):(?!\s*(?:万元|元|亿元|千元))(?P<v>[^\n]{2,80})")
YEAR_TITLE = re.compile(r"[(\[]?(?P<y>20\d\d)\s*年度")
FILLED = re.compile(r"填报(?:时间|日期)[:]?(?P<y>\d{4})[年.\-/](?P<m>\d{1,2})[月.\-/](?P<d>\d{1,2})")

STAFF_ADMIN = re.compile(r"行政编制(?:数)?(?:为|是|共)?(?P<num>\d+)[名人个]")
STAFF_INST = re.compile(r"事业编制(?:数)?(?:为|是|共)?(?P<num>\d+)[名人个]")
STAFF_TOTAL = re.compile(r"(?<![行政事业])(?:共有|核定)?编制(?:数|总数)?(?:为|是|共)?(?P<num>\d+)[名人个]")
STAFF_ACTUAL = re.compile(r"实有(?:在编|在职)?(?:人员|人数)?(?:数)?(?:为|是|共)?(?P<num>\d+)[名人]")

INDICATOR_START = re.compile(
    r"(?m)^(?:[-•]?\(?[一二三四五六七八九十\d]+\)?[、.]?)?(?:指标[一二三四五六七八九十\d]*[:])?"
    r"(?P<name>[^:\n,。]{2,40}?):(?:该指标|(?:预期|年度|绩效)?(?:指标值|目标值))"
)
TARGET = re.compile(
    rf"(?:预期|年度|绩效)?(?:指标值|目标值)(?:为|是)?(?P<cmp>{CMP})?(?P<num>{NUM})(?P<unit>{UNIT})?"
)
TARGET_TEXT = re.compile(r"(?:预期|年度|绩效)?(?:指标值|目标值)(?:为|是)?(?P<t>[^,。;\d][^,。;]{0,40})")
DONE_VALUE = re.compile(rf"完成(?:值|情况)(?:为|是)?(?P<num>{NUM})(?P<unit>{UNIT})?")
MID_YEAR = re.compile(rf"年中(?:监控)?(?:实际)?完成(?:值|情况)?(?:为|是)?(?P<num>{NUM})(?P<unit>{UNIT})?")
COMPLETION = re.compile(rf"完成率(?:为|是|达到|达)?(?P<num>{NUM})(?:%|(?![\d.‰]|\s*(?:{UNIT})))")
WEIGHT = re.compile(rf"(?:权重分值|权重|分值)(?:为|是)?(?P<num>{NUM})分")
SCORE = re.compile(rf"(?:自评得分|得分)(?:为|是)?(?P<num>{NUM})分")
DEVIATION = re.compile(r"偏差原因(?:分析)?(?:及改进措施)?[:]?(?P<t>[^。)]+)")
IMPROVEMENT = re.compile(r"改进措施[:]?(?P<t>[^。]+)")
EVIDENCE = re.compile(r"根据(?P<t>[^,。]{2,40}?)等(?:资料|材料)")
LEVEL1_HEADING = re.compile(r"(?m)^(?:#{1,6}\s*)?[-•]?(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章部分])")

# "综合得分为95分", or a form's label with its unit ("自评总分(分)97.6"): a bare 总分 then a number is a weight.
TOTAL_SCORE = re.compile(
    rf"(?:综合得分|自评总分|总得分|综合评分|总分|(?<=绩效|项目|整体|支出|年度)自评得分(?=为|是))"
    rf"(?:(?:为|是)?(?P<num>{NUM})分|\(分\)[:]?(?P<labelled>{NUM})(?![\d.%]))"
)
# "自评结论为“优秀”" names the grade too; an indicator's "自评得分为5分" is not the total (the look-behind).
GRADE = re.compile(r"(?:评价结果|评价等级|自评等级|自评结果|自评结论|评价结论|等级)(?:为|是)?[:]?[\"'\[]?(?P<g>优秀|良好|中等|较差|优|良|中|差)(?![良中差等])")
EXECUTION_SCORE = re.compile(rf"得(?P<num>{NUM})分")


def to_wan(value: Decimal, unit: str) -> Decimal:
    """An amount in 元/万元/亿元 as 万元 (the model's unit)."""
    if unit == "元":
        return value / Decimal(10000)
    if unit in ("亿元", "亿"):
        return value * Decimal(10000)
    return value
# What follows a percentage that is a rule's threshold, not a figure the unit reports: "未达到90%的需说明原因",
# "低于60%时不得分", "90%以上的".
THRESHOLD_AFTER = re.compile(r"\s*(?:以上|以下|以内|及以上|及以下)?(?:的(?!目标)|时|者|则)")
