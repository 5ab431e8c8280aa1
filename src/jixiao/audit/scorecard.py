"""The 评分表: a 部门整体 (or 项目) self-evaluation scored against a fixed framework, not against targets.

Many provinces have a department score its whole budget on a framework of 决策/过程/产出/效益 (or
规划/管理/绩效, 投入/过程/产出/效果): each third-level item carries a weight (分值) and an evaluation
standard, and the department writes the score it gives itself. There are no target and actual
values to recompute, but the table still states arithmetic that must hold: an item's score within
its weight, each group's weight ("决策(25分)") the sum of its items', the items' scores the total.

The header band is found by the same vocabulary as an indicator table's (`tables.find_bands`); the
band is a scorecard when it has a score column and no target or actual column. The rows after it
arrive as the same typed tokens, whatever the layout. A label is a short text cell; its weight is
a 分值 column's number or the "(N分)" written into it; a label with numbers is an item, a label
with a weight and no number of its own is a group above the items that follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

from jixiao.audit.tables import (
    Band,
    Figure,
    Group,
    IndicatorRow,
    IndicatorTable,
    Token,
    read_grade,
    read_total,
    score_figure,
    vocab_data,
)

# A weight written into a label: "规划 (15分)", "(20分)", "(特性指标70分)", "(10)".
_LABEL_WEIGHT = re.compile(r"[(\[]\s*([^()\[\]\d]{0,8}?)\s*(\d{1,3}(?:\.\d+)?)\s*分?\s*[)\]]\s*$")
# An evaluation standard or explanation cell: a sentence, a numbered rule, a question.
_CRITERIA = re.compile(r"[。；;，,]|是否|^\d+[、.．]|[①②③]|得\d|扣\d|不得分|计\d")
_FORMULA = re.compile(r"[=＝/×*%<>≤≥\"“”]|X100")
_SENTENCE_GAPS = frozenset(",，、;；:：(（")
_CUT = re.compile(r"(?:\.{3,}|…{1,}|。{3,})$")
_TARGET_ROLES = frozenset({"target", "adjusted_target", "actual", "mid_year"})
_MAX_LABEL = 30


@cache
def scorecard_level1() -> frozenset[str]:
    """The first-level names of the published frameworks (vocab.toml [scorecard])."""
    return frozenset(vocab_data()["scorecard"]["level1"])


def is_scorecard(band: Band) -> bool:
    """A band with a score column and neither a target nor an actual column."""
    return band.table == "indicators" and "score" in band.roles and not (_TARGET_ROLES & set(band.roles))


def readable(band: Band, header: str) -> bool:
    """A scorecard this reader can place: its header words apart (not glued by a copy, where the standards'
    figures run into the cells) and one score column after the item (a number after every level, 湖南's
    "一级指标 得分 二级指标 得分 三级指标 得分", is `read_weighted_levels`')."""
    roles = band.roles
    apart = len(re.findall(r"[ |\n\t]+", header)) >= len(roles) - 1
    return apart and "name" in roles and roles.index("score") > roles.index("name")


@dataclass
class _Entry:
    """A label cell and the numbers that follow it before the next label."""

    text: str
    start: int
    end: int
    weight: Figure | None = None  # from "(N分)" in the label
    numbers: list[Figure] = field(default_factory=list)
    number_row: int = -1  # the pipe row the first number (the weight) stands in
    criteria: int = 0  # standard/explanation cells read after it

    @property
    def name(self) -> str:
        return _LABEL_WEIGHT.sub("", self.text).strip() or self.text


def _entry(tok: Token) -> _Entry:
    entry = _Entry(re.sub(r"\s+", "", tok.text), tok.start, tok.end)
    m = _LABEL_WEIGHT.search(tok.text)
    if m:
        at = tok.start + m.start(2)
        entry.weight = Figure(Decimal(m.group(2)), at, at + len(m.group(2)), "分")
        entry.text = re.sub(r"\s+", "", tok.text[: m.start()]) + (m.group(1) or "")
    return entry


def read_scorecard(band: Band, toks: list[Token], folded: str) -> IndicatorTable:
    """Items, groups and the total of the scorecard whose header is `band`, from the tokens after it."""

    def in_sentence(k: int) -> bool:
        """Token k continues the sentence of the text token before it (nothing or a comma between): a
        flattened copy runs a standard's points into the row ("…1分,其中单位整体绩效目标1分,…")."""
        if k == 0 or not (toks[k - 1].kind == "text" or k - 1 in continued):
            return False
        gap = folded[toks[k - 1].end : toks[k].start]
        # "…年初预算为1922. 76万元": a PDF copy's space after a decimal point inside the sentence's figure.
        decimals = gap in (".", ". ") and toks[k - 1].kind == "value" and toks[k].text[:1].isdigit()
        if gap == "" or gap in _SENTENCE_GAPS or decimals:
            continued.add(k)
            return True
        return False

    continued: set[int] = set()  # the tokens read as part of a sentence before them

    def glued(k: int) -> bool:
        """A bare number with words run onto both its sides ("基础信息完整性3部门及所属…"): a copy that ran the
        cells together, whose weights and scores cannot be told from the standards' figures."""
        tok = toks[k]
        if tok.row >= 0 or tok.typed is None or tok.typed.unit is not None or not 0 < k < len(toks) - 1:
            return False
        before, after = toks[k - 1], toks[k + 1]
        return before.kind == "text" and after.kind == "text" and before.end == tok.start and after.start == tok.end


    table = IndicatorTable(band, scorecard=True)
    roles = list(band.roles)
    weight_column = "weight" in roles
    first, second = ("weight", "score") if not weight_column or roles.index("weight") < roles.index("score") \
        else ("score", "weight")
    # The band names each role once: an explanation and a standard column are both "criteria".
    between = roles[roles.index(first) + 1 : roles.index(second)] if weight_column else []
    criteria_slots = 2 if "criteria" in between else 0
    two_levels = "level1" in roles and "level2" in roles
    reader = _Levels(table, two_levels, score_first=first == "score")
    current: _Entry | None = None
    piped = False  # the rows so far were pipe rows: a line without cells is prose
    i = 0
    while i < len(toks):
        tok = toks[i]
        piped = piped or tok.row >= 0
        if tok.kind == "word" and (tok.role == "total" or (tok.role == "row_total" and tok.text in ("合计", "总计"))):
            reader.close(current, weight_column)
            current = None
            i = read_total(table, toks, i + 1, [r for r in roles if r in ("weight", "score")])
            read_grade(table, toks, i)
            table.end = max(table.end, toks[min(i, len(toks)) - 1].end, table.grade[2] if table.grade else 0)
            table.closed = True
            break
        if tok.kind == "word" and tok.role == "grade":
            read_grade(table, toks, i)
            table.closed = True
            break
        sentence = in_sentence(i)
        if tok.kind == "value" and glued(i):
            # Not read (docs/audit.md "Not read yet"): a table read wrong would raise errors the report does not make.
            return IndicatorTable(band, scorecard=True)
        figure = score_figure(tok)
        if figure is not None:
            if sentence:
                i += 1  # inside a sentence run together by a flattened copy: "每少一项扣1分"
                continue
            full = current is None or len(current.numbers) >= (2 if weight_column else 1)
            if "seq" in roles and _is_sequence(toks, i, full):
                i += 1
                continue
            if current is not None and len(current.numbers) < (2 if weight_column else 1):
                if not current.numbers:
                    current.number_row = tok.row
                current.numbers.append(figure)
                table.end = tok.end
            i += 1
            continue
        prose = tok.kind == "text" and tok.row < 0 and not tok.cell and (
            len(tok.text) > 120 or (piped and re.search(r"[。；]", tok.text) is not None))
        if tok.kind in ("note", "text") and sentence and not prose \
                and not (toks[i - 1].kind == "text" and _is_label(toks[i - 1])):
            i += 1  # the points of a standard run into the row by a flattened copy: "…是否真实(1分)"
            continue
        label = tok.kind in ("text", "word", "note") and _is_label(tok)
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if label and tok.kind != "note" and nxt is not None and nxt.kind == "note" and nxt.start - tok.end <= 1 \
                and _LABEL_WEIGHT.search(nxt.text):
            tok = Token("text", tok.text + nxt.text, tok.start, nxt.end, tok.row)  # "决策" "(25分)" split apart
            i += 1
        if current is not None and weight_column and len(current.numbers) == 1 and current.criteria < criteria_slots \
                and (tok.row < 0 or tok.row == current.number_row) and not (label and _LABEL_WEIGHT.search(tok.text)):
            current.criteria += 1  # the standard between the weight and the score, on the weight's line
            i += 1
            continue
        if label:
            reader.close(current, weight_column)
            current = _entry(tok)
            table.end = tok.end
        elif prose:
            table.closed = True
            break  # prose after the table
        elif tok.kind == "text" and _CUT.search(tok.text):
            table.elided = True  # "中央专款分配合规........": the copy cut the table off
        i += 1
    reader.close(current, weight_column)
    return table


def _is_label(tok: Token) -> bool:
    """A name cell: a few words, not a sentence, a formula or a fragment of one."""
    text = tok.text.strip()
    if tok.kind == "note":
        return _LABEL_WEIGHT.search(text) is not None
    bare = _LABEL_WEIGHT.sub("", text).replace(" ", "")
    if not bare:
        return True  # "(20分)": a group whose name the copy lost
    return 2 <= len(bare) <= _MAX_LABEL and not _CRITERIA.search(bare) and not _FORMULA.search(bare) \
        and re.search(r"[\u4e00-\u9fff]", bare) is not None


def _is_sequence(toks: list[Token], i: int, row_done: bool) -> bool:
    """A 序号 cell: a whole number before a label on its line, where the row before has its figures
    (or the number opens a line of a pipe table, the row before leaving its score blank)."""
    if i + 1 >= len(toks):
        return False
    tok, nxt = toks[i], toks[i + 1]
    if "." in tok.text or nxt.row != tok.row or not (nxt.kind in ("text", "word", "note") and _is_label(nxt)):
        return False
    if nxt.kind == "word" and nxt.role in ("total", "row_total", "grade"):
        return False
    opens_line = tok.row >= 0 and (i == 0 or toks[i - 1].row != tok.row)
    return row_done or opens_line


class _Levels:
    """Places each entry: an item under the groups open above it, or a group of level 1 or 2."""

    def __init__(self, table: IndicatorTable, two_levels: bool, score_first: bool = False) -> None:
        self.table = table
        self.score_first = score_first  # "三级指标 | 得分 | 分值": the score is written before the weight
        self.two_levels = two_levels
        self.pending: list[_Entry] = []
        self.level1: Group | None = None
        self.level2: Group | None = None
        self.level2_weights = Decimal(0)  # the declared weights of level1's groups so far
        self.items_weight = Decimal(0)  # the weights of level1's items so far

    def close(self, entry: _Entry | None, weight_column: bool) -> None:
        if entry is None:
            return
        if weight_column:
            is_item = bool(entry.numbers)
            weight, score = ([*entry.numbers, None, None])[:2]
            if self.score_first and score is not None:  # one figure alone is the weight: the score left blank
                weight, score = score, weight
        else:
            is_item = bool(entry.numbers)
            weight, score = entry.weight, (entry.numbers[0] if entry.numbers else None)
        if not is_item:
            self.pending.append(entry)
            return
        self._open_groups()
        row = IndicatorRow(entry.name, entry.start, entry.end, weight=weight, score=score)
        self.items_weight += weight.value if weight is not None else Decimal(0)
        if self.level1 is not None:
            row.level1 = (self.level1.category, self.level1.start, self.level1.end)
        if self.level2 is not None:
            row.level2 = (self.level2.category, self.level2.start, self.level2.end)
        self.table.rows.append(row)

    def _open_groups(self) -> None:
        pending, self.pending = self.pending, []
        if not pending:
            return
        if len(pending) >= 2 and self.two_levels:
            self._group(pending[-2], 1)
            self._group(pending[-1], 2)
            return
        entry = pending[-1]
        if not self.two_levels or self.level1 is None:
            self._group(entry, 1)
            return
        if entry.name in scorecard_level1():
            self._group(entry, 1)
            return
        # An unknown name: under the open first-level group while that group has room, or while its own
        # items do not yet fill it (its declared weight may be the slip); a new first-level group otherwise.
        capacity = self.level1.weight.value if self.level1.weight is not None else None
        weight = entry.weight.value if entry.weight is not None else Decimal(0)
        fits = capacity is None or self.level2_weights + weight <= capacity or self.items_weight < capacity
        self._group(entry, 2 if fits else 1)

    def _group(self, entry: _Entry, level: int) -> None:
        group = Group(entry.name, entry.start, entry.end, entry.weight, level)
        self.table.groups.append(group)
        if level == 1:
            self.level1, self.level2, self.level2_weights, self.items_weight = group, None, Decimal(0), Decimal(0)
        else:
            self.level2 = group
            self.level2_weights += entry.weight.value if entry.weight is not None else Decimal(0)


# --- 湖南's 评分表: a weight after every level ---------------------------------------------------------

# The columns such a table is read as, whatever its header calls the numbers after each level (分值 or 得分).
LEVELLED_ROLES = ("level1", "level2", "name", "weight", "criteria", "score")
_SENTENCE = re.compile(r"[。；;，,.！!？?：:=<>≤≥%/]|是否|得\d|扣\d|计\d")


def weights_by_level(band: Band, header: str) -> bool:
    """湖南's 指标表/评分表: "一级指标 (分值) 二级指标 (分值) 三级指标 (分值) 评价标准 指标说明 得分" — a number column right
    after the second level and after the item, the item's score at the end. The header's words must stand apart."""
    cols = band.columns
    numbers = ("weight", "score")
    after = {cols[k]: cols[k + 1] for k in range(len(cols) - 1) if cols[k] in ("level1", "level2", "name")}
    if after.get("level2") not in numbers or after.get("name") not in numbers:
        return False
    tail = cols[cols.index("name") + 2 :]
    apart = len(re.findall(r"[ |\n\t]+", header.strip())) >= len(cols) - 1  # glued, the standards' figures run into the cells
    return apart and "score" in tail and "level1" in cols and after.get("level1") in numbers


def _standalone(tok: Token, folded: str) -> Figure | None:
    """A number that is a cell of its own (spaces, a bar or a line around it), not a figure inside a standard."""
    fig = score_figure(tok)
    if fig is None or tok.typed is None or tok.typed.unit is not None:
        return None
    before = folded[tok.start - 1] if tok.start > 0 else "\n"
    after = folded[tok.end] if tok.end < len(folded) else "\n"
    if re.search(r"\d\. ?$", folded[max(0, tok.start - 3) : tok.start]):
        return None  # "年初预算为1922. 76": the decimals of a figure a PDF copy split at its point
    return fig if before in " \t\n|" and after in " \t\n|" else None


def _label_chunk(chunk: list[Token]) -> Token | None:
    """The tokens between two cell numbers as one label ("预算配置", "三公经费 变动率"), if they are one."""
    if not chunk or any(t.kind not in ("text", "word", "note") for t in chunk):
        return None
    text = "".join(t.text for t in chunk)
    bare = re.sub(r"\s+", "", text)
    if not 2 <= len(bare) <= 24 or _SENTENCE.search(bare) or not re.search(r"[\u4e00-\u9fff]", bare):
        return None
    return Token("text", bare, chunk[0].start, chunk[-1].end, chunk[0].row)


def read_weighted_levels(band: Band, toks: list[Token], folded: str) -> IndicatorTable:
    """Each level's label followed by its weight, the item's standard, then its score: the numbers that stand as cells
    of their own cut the stream, and what stands between two of them decides — a label means the label before was a
    group, anything else is the item's standard and the number after it its score."""
    table = IndicatorTable(replace(band, roles=LEVELLED_ROLES), scorecard=True)
    reader = _Levels(table, two_levels=True)
    pending: _Entry | None = None  # a label and its weight, not yet known to be a group or an item
    chunk: list[Token] = []
    i = 0

    def group(entry: _Entry) -> None:
        # Word repeats a merged cell in every row it spans: the open group written again is not a new group.
        for open_group in (reader.level1, reader.level2):
            if open_group is not None and open_group.category == entry.name and open_group.weight is not None \
                    and entry.weight is not None and open_group.weight.value == entry.weight.value:
                return
        reader.pending.append(entry)

    while i < len(toks):
        tok = toks[i]
        if tok.kind == "word" and (tok.role == "total" or (tok.role == "row_total" and tok.text in ("合计", "总计"))):
            i = read_total(table, toks, i + 1, ["weight", "score"])
            read_grade(table, toks, i)
            table.closed = True
            break
        fig = _standalone(tok, folded)
        if fig is None:
            chunk.append(tok)
            i += 1
            continue
        label = _label_chunk(chunk)
        if pending is not None:
            if label is not None:
                group(pending)  # a label follows the weight: the label before it heads a group
            else:
                pending.numbers.append(fig)  # the standard follows the weight: an item, this is its score
                reader.close(pending, weight_column=True)
                table.end = tok.end
                pending, chunk = None, []
                i += 1
                continue
        if label is not None:
            pending = _Entry(label.text, label.start, label.end)
            pending.weight = fig
            pending.numbers = [fig]
            table.end = tok.end
        elif table.rows:
            table.closed = True  # neither a label nor a standard after a score: the table has ended
            break
        chunk = []
        i += 1
    if pending is not None and chunk and _label_chunk(chunk) is None:
        reader.close(pending, weight_column=True)  # an item whose score the copy cut off
    return table
