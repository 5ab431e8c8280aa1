"""What a document's tables state, recorded as facts beside what its prose states.

The tables are read from the original lines (`tables.read_tables`); the facts live in the
normalised text, so every cell's raw offset is mapped to its normalised one and a finding about
a cell quotes that cell. The first budget block and the first indicator table are the
evaluation's own; an indicator table fills the indicators when the prose states none and is
compared with them otherwise.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from jixiao.audit import patterns as P
from jixiao.audit.facts import Facts, IndicatorBlock
from jixiao.audit.grid import Kind
from jixiao.audit.normalise import fold
from jixiao.audit.tables import BudgetBlock, BudgetRow, Figure, IndicatorTable, Tables, Token, read_tables
from jixiao.core.model import FundSource

LEVEL1_LABELS = {"output": "产出指标", "outcome": "效益指标", "satisfaction": "满意度指标", "cost": "成本指标"}
ROW_SOURCES = {
    "fiscal": FundSource.FISCAL, "higher_level": FundSource.HIGHER_LEVEL, "own_level": FundSource.OWN_LEVEL,
    "carried_over": FundSource.CARRIED_OVER, "other": FundSource.OTHER,
}


class Offsets:
    """Raw offsets of the original text to offsets in the normalised text."""

    def __init__(self, facts: Facts) -> None:
        self.src = facts.text.src

    def __call__(self, raw: int) -> int:
        return bisect_left(self.src, raw)


# The key cells of a 自评表's head ("项目名称 | …", "实施单位：…", or run together by a copy).
_KEYS = {
    "project.name": ("转移支付(项目)名称", "转移支付名称", "项目名称"),
    "unit.name": ("部门(单位)名称", "资金使用单位", "实施单位", "预算单位", "单位名称", "部门名称"),
}
_KEY_ENDS = re.compile(
    r"项目负责人|主管部门|实施单位|资金使用单位|资金情况|资金投入情况|联系电话|预算编码|报告日期|项目属性|"
    r"项目起止时间|年度资金|填报日期|项目资金|资金[(（]万元|年初预算数|年度总体目标|总体目标|绩效目标|[|\n]"
)
# The code a budget system puts before a name ("219001-池州市贵池区棠溪镇人民政府").
_CODE_PREFIX = re.compile(r"^(?=[0-9A-Z]*\d{3})[0-9A-Z]{3,}[ ]*[-—－]+[ ]*")  # also "51092324T000010263357-"


def _head_cells(facts: Facts) -> None:
    """The unit and project a table's head names, where the prose names none."""
    raw = fold(facts.text.raw)
    at = Offsets(facts)
    for path, keys in _KEYS.items():
        if path in facts.stmts:
            continue
        # "实施单位 (盖章) |" then the name in the next cell, on the same line or the next.
        pattern = re.compile("(?:" + "|".join(re.escape(k) for k in keys)
                             + r")[ ]*(?:[(][^()\n]{0,6}[)])?[ ]*(?:\|[ ]*\n?[ ]*|[:：][ ]*)?")
        for m in pattern.finditer(raw):
            begin = m.end()
            if raw.startswith("\n", begin) and (m.start() == 0 or raw[m.start() - 1] == "\n"):
                begin += 1  # one cell per line: the key is a line of its own, its value the next line
            end = _KEY_ENDS.search(raw, begin)
            value = raw[begin : end.start() if end else len(raw)].strip(" |:")
            value = value[(code.end() if (code := _CODE_PREFIX.match(value)) else 0) :]
            if 2 <= len(value) <= 60 and not re.search(r"[。，,]", value):
                start = begin + raw[begin:].index(value)
                facts.add(path, value, at(start), at(start + len(value)))
                break


def add_table_facts(facts: Facts) -> Tables:
    """Read the tables of `facts.text` and record what they state; the tables are returned for the checks."""
    _head_cells(facts)
    tables = read_tables(facts.text.raw)
    if tables.empty:
        return tables
    at = Offsets(facts)
    _drop_prose_reads(facts, [(at(a), at(b)) for a, b in tables.regions()])
    if tables.budgets:
        _budget(facts, tables.budgets[0], at)
    table = next((t for t in tables.indicators if t.rows), None)
    if table is not None:
        _indicators(facts, table, at)
    return tables


def _drop_prose_reads(facts: Facts, regions: list[tuple[int, int]]) -> None:
    """What the prose reader took from inside a table (a header's "(B/A×100%)", a row run together) is not stated."""
    for path in list(facts.stmts):
        if path.startswith("indicators"):
            continue  # the indicator blocks are matched by name; their prose reads stay
        kept = [s for s in facts.stmts[path] if not any(a <= s.start < b for a, b in regions)]
        if kept:
            facts.stmts[path] = kept
        else:
            del facts.stmts[path]


def _add(facts: Facts, path: str, value: object, start: int, end: int, at: Offsets, unit: str | None = None) -> None:
    facts.add(path, value, at(start), at(end), unit)


def _figure(facts: Facts, path: str, fig: Figure | None, at: Offsets) -> None:
    if fig is not None:
        _add(facts, path, fig.value, fig.start, fig.end, at, fig.unit)


def _merged_rows(rows: list[BudgetRow]) -> list[BudgetRow]:
    """Rows of one source written apart (财政专户管理资金, 单位资金 — both 其他资金) add up to that source."""
    out: dict[str, BudgetRow] = {}
    for row in rows:
        seen = out.get(row.label)
        if seen is None or row.label == "total":
            out.setdefault(row.label, row)
            continue
        merged = dict(seen.values)
        for key, fig in row.values.items():
            was = merged.get(key)
            merged[key] = fig if was is None or key not in ("initial", "adjusted", "executed") else Figure(
                was.value + fig.value, was.start, fig.end, was.unit)
        out[row.label] = BudgetRow(row.label, seen.start, row.end, merged)
    return list(out.values())


def _budget(facts: Facts, block: BudgetBlock, at: Offsets) -> None:
    for row in _merged_rows(block.rows):
        if row.label == "total":
            prefix = "budget"
        elif block.closed and row.label in ROW_SOURCES:
            prefix = f"budget.sources.{ROW_SOURCES[row.label].value}"
        else:
            continue  # a block cut off mid-rows: its parts cannot be added up
        for key in ("initial", "adjusted", "executed"):
            _figure(facts, f"{prefix}.{key}", row.values.get(key), at)
        if "adjusted" not in block.band.roles and "executed" in row.values:
            # A form with 年初预算数 and 执行数 only (执行率 = B/A): its one budget column is the year's budget.
            _figure(facts, f"{prefix}.adjusted", row.values.get("initial"), at)
        if prefix == "budget":
            _figure(facts, "budget.stated.execution_rate", row.values.get("rate"), at)
            _figure(facts, "stated.execution_score", row.values.get("score"), at)
            _figure(facts, "budget.weight", row.values.get("weight"), at)


def _indicators(facts: Facts, table: IndicatorTable, at: Offsets) -> None:
    by_name = {block.name: block.index for block in facts.blocks}
    standalone = not facts.blocks
    if standalone:
        facts.add("kind.table", "actual" in table.band.roles, at(table.band.start), at(table.band.end))
        if table.scorecard:
            facts.add("table.scorecard", True, at(table.band.start), at(table.band.end))
            if table.closed:
                facts.add("table.closed", True, at(table.band.start), at(table.band.end))
    for row in table.rows:
        if standalone:
            index = len(facts.blocks)
            facts.blocks.append(IndicatorBlock(index, row.name, at(row.start), at(row.end), at(row.start)))
            _add(facts, f"indicators[{index}].name", row.name, row.start, row.end, at)
        elif row.name in by_name:
            index = by_name[row.name]
        else:
            continue
        p = f"indicators[{index}]"
        if row.level1 is not None:
            label, start, end = row.level1
            _add(facts, f"{p}.level1", LEVEL1_LABELS.get(label, label), start, end, at)
        if row.level2 is not None:
            label, start, end = row.level2
            _add(facts, f"{p}.level2", label, start, end, at)
        target = row.cells.get("adjusted_target") or row.cells.get("target")  # the adjusted target is in force
        _target(facts, p, target, row.cells.get("unit"), at, row.cells.get("comparator"))
        for role in ("actual", "mid_year"):
            tok = row.cells.get(role)
            if tok is not None and tok.typed is not None and tok.typed.number is not None:
                _add(facts, f"{p}.{role}", tok.typed.number, tok.start, tok.end, at, tok.typed.unit)
        _figure(facts, f"{p}.weight", row.weight, at)
        _figure(facts, f"{p}.stated.score", row.score, at)
        reason = row.cells.get("reason")
        if reason is not None and reason.text not in ("无", "/", "-") and f"{p}.deviation_reason" not in facts.stmts:
            _add(facts, f"{p}.deviation_reason", reason.text, reason.start, reason.end, at)
    for k, group in enumerate(table.groups):
        _add(facts, f"table.groups[{k}].category", LEVEL1_LABELS.get(group.category, group.category),
             group.start, group.end, at)
        _figure(facts, f"table.groups[{k}].weight", group.weight, at)
        if group.level != 1:
            facts.add(f"table.groups[{k}].level", group.level, at(group.start), at(group.end))
    _figure(facts, "table.total_weight", table.total_weight, at)
    if table.total_score is not None:
        _figure(facts, "stated.total_score", table.total_score, at)
    if table.grade is not None:
        grade, start, end = table.grade
        _add(facts, "stated.grade", P.GRADES[grade], start, end, at)
    if table.elided:
        facts.add("table.elided", True, at(table.band.start), at(table.band.end))
    if table.values_unread:
        facts.add("table.values_unread", True, at(table.band.start), at(table.band.end))


def _target(facts: Facts, p: str, tok: Token | None, unit_cell: Token | None, at: Offsets,
            cmp_cell: Token | None = None) -> None:
    if tok is None:
        return
    if cmp_cell is not None and cmp_cell.kind == "cmp" and f"{p}.comparator" not in facts.stmts:
        sign = {">=": "≥", "<=": "≤", "＞": ">", "＜": "<"}.get(cmp_cell.text, cmp_cell.text)
        if sign in P.COMPARATORS:
            _add(facts, f"{p}.comparator", P.COMPARATORS[sign], cmp_cell.start, cmp_cell.end, at)
    typed = tok.typed
    if typed is None or typed.number is None:
        if f"{p}.target" not in facts.stmts:
            _add(facts, f"{p}.target_text", tok.text, tok.start, tok.end, at)
        return
    unit = typed.unit if typed.kind is not Kind.NUMBER else (unit_cell.text if unit_cell is not None else None)
    _add(facts, f"{p}.target", typed.number, tok.start, tok.end, at, unit)
    if typed.comparator and typed.comparator in P.COMPARATORS and f"{p}.comparator" not in facts.stmts:
        _add(facts, f"{p}.comparator", P.COMPARATORS[typed.comparator], tok.start, tok.end, at)
    if unit and f"{p}.unit" not in facts.stmts:
        _add(facts, f"{p}.unit", unit, tok.start, tok.end, at)
