"""Which kind of document this is: a self-evaluation, a target declaration, a mid-year monitoring
report or a bureau's results notice — each states different things, so each gets its own checks.

The kind is read from the document's title words near its start and from its tables: a
declaration's indicator table has targets and no actual values, a monitoring report states
progress to a date. A self-evaluation is the default.
"""

from __future__ import annotations

import re

KIND_LABELS = {
    "self_evaluation": "绩效自评报告（自评表）",
    "targets": "绩效目标申报表（只有目标，没有完成值）",
    "monitoring": "绩效运行监控报告（年中执行进度）",
    "results": "评价结果通报（多个单位的结果）",
}
_TARGETS = re.compile(r"绩效目标(?:申报|申请|批复)?表|目标申报表|绩效目标(?:设定|申报)")
_MONITORING = re.compile(r"运行监控|绩效监控|监控情况表|监控报告|跟踪监控|1\s*[-—~至]\s*[6-9]\s*月|截至\s*[6-9]\s*月")
_RESULTS = re.compile(r"评价结果(?:的)?(?:通报|公示|公告|情况)|重点评价|再评价|抽查复核|复核结果|评价情况表")
_SELF = re.compile(r"自评")

# Checks that need what a kind does not state: not run on it.
SKIPPED_BY_KIND = {
    # A declaration's targets get the targets checks (G…): I002 and I009 would say what G001 and G004 say.
    "targets": ("I002", "I003", "I004", "I005", "I006", "I007", "I008", "I009", "I010", "I011", "I012", "I013",
                "I014", "T00", "U004", "A010", "B005", "B007", "B008"),
    # Mid-year, spending below 90% is no slip (its pace is checked against the time, A029), and the
    # problems and measures are the 偏差原因 and 纠偏措施.
    "monitoring": ("I003", "I004", "I006", "I010", "I011", "I013", "T00", "A010", "B008", "U004"),
    "results": ("I", "T00", "U004", "A010", "B"),
}


def _title_lines(head: str) -> list[str]:
    """The head's lines that can be a title: short, no sentence ("绩效目标设定是否符合…。" explains a score)."""
    out = []
    for line in head.split("\n"):
        bare = re.sub(r"[\s|]+", "", line)
        if bare and (len(bare) <= 60 or "表" in bare[:60]) and not re.search(r"是否|。", bare[:80]):
            out.append(bare)
    return out


def document_kind(folded_head: str, has_actuals: bool | None) -> str:
    """The kind of a document from its first lines (folded) and whether its indicator table has actuals."""
    head = folded_head[:800]
    title = head[:400]
    if _RESULTS.search(title) and not _SELF.search(title):
        return "results"
    if _MONITORING.search(title) and not _SELF.search(title):
        return "monitoring"
    targets = next((m for line in _title_lines(head) if (m := _TARGETS.search(line))), None)
    if targets and not _SELF.search(targets.string[max(0, targets.start() - 10) : targets.end() + 10]):
        return "targets"
    # A table without actual values is a declaration, unless the title calls it a self-evaluation (an
    # unfilled 自评表, or a 部门整体 评分表 whose scores the reader does not take as actuals).
    if has_actuals is False and not _SELF.search(title):
        return "targets"
    return "self_evaluation"
