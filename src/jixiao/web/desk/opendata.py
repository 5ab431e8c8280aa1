"""Open data: a year's published results as CSV files and a Frictionless Data Package descriptor.

Published means approved (已审核) by the end of the review chain. Two tables:
- `evaluations.csv`: one row per evaluation — unit, department, kind, total, grade, the budget in its
  three phases (年初预算数 initial, 全年预算数 adjusted, 执行数 executed, 万元) and the execution rate;
- `indicators.csv`: one row per indicator — target, actual, weight and score as the engine computed
  them, keyed to its evaluation.
`datapackage.json` describes both (types, units, the primary and foreign keys, each file's size and
sha256), so `frictionless validate datapackage.json` checks the package.

Rows are streamed from the database (`iterator()` in chunks, a server-side cursor on PostgreSQL) and
written a chunk at a time, so memory stays flat however many indicators a province has; PostgreSQL
formats the numbers itself (`trim_scale`), SQLite's rows are formatted here, the same text. Each file is written under a temporary
name and renamed; the descriptor is written last, so a package with a descriptor is complete.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from django.db.models import Func, TextField
from django.utils import timezone

from jixiao.core.workflow import State

CHUNK = 5000
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "知识共享 署名 4.0"}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # Frictionless field type: integer, number, string, boolean
    title: str
    description: str = ""
    enum: tuple[str, ...] = ()
    required: bool = False


EVALUATION_COLUMNS = (
    Column("evaluation_id", "integer", "自评编号", required=True),
    Column("year", "integer", "年度", required=True),
    Column("department", "string", "主管部门"),
    Column("unit", "string", "单位", required=True),
    Column("kind", "string", "类别", "department：部门（单位）整体支出；project：项目支出", ("department", "project")),
    Column("project", "string", "项目名称", "项目支出自评的项目，整体支出为空"),
    Column("title", "string", "名称"),
    Column("version", "integer", "版本号", "公开的是审核通过的当前版本"),
    Column("total_score", "number", "综合得分（分）"),
    Column("grade", "string", "评价等级", enum=("优", "良", "中", "差")),
    Column("execution_score", "number", "预算执行得分（分）"),
    Column("budget_initial", "number", "年初预算数（万元）"),
    Column("budget_adjusted", "number", "全年预算数（万元）", "调整后预算数"),
    Column("budget_executed", "number", "全年执行数（万元）"),
    Column("execution_rate", "number", "预算执行率（%）", "全年执行数 / 全年预算数 × 100"),
    Column("indicator_count", "integer", "指标数"),
)

INDICATOR_COLUMNS = (
    Column("evaluation_id", "integer", "自评编号", required=True),
    Column("position", "integer", "序号", "指标在自评表中的顺序，从 0 开始", required=True),
    Column("level1", "string", "一级指标"),
    Column("level2", "string", "二级指标"),
    Column("name", "string", "三级指标", required=True),
    Column("kind", "string", "定量/定性", enum=("quantitative", "qualitative")),
    Column("direction", "string", "方向", "positive 正向；reverse 反向（越小越好）"),
    Column("comparator", "string", "比较符", enum=(">=", "<=", "=", ">", "<")),
    Column("unit", "string", "计量单位"),
    Column("target", "number", "年度指标值"),
    Column("actual", "number", "实际完成值"),
    Column("weight", "number", "分值（分）", required=True),
    Column("score", "number", "得分（分）", required=True),
    Column("completion_rate", "number", "完成率（%）"),
    Column("met", "boolean", "达到目标"),
)


@dataclass(frozen=True, slots=True)
class PackageStats:
    evaluations: int
    indicators: int
    files: tuple[Path, ...]


def number(value: Decimal | None) -> str:
    """A decimal as plain text: no exponent, no trailing zeros ("1.5", "100")."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def points(hundredths: int | None) -> str:
    return "" if hundredths is None else number(Decimal(hundredths) / 100)


def _schema_field(column: Column) -> dict[str, Any]:
    out: dict[str, Any] = {"name": column.name, "type": column.type, "title": column.title}
    if column.description:
        out["description"] = column.description
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        out["constraints"] = constraints
    if column.type == "boolean":
        out["trueValues"], out["falseValues"] = ["true"], ["false"]
    return out


def _published(year: int) -> Any:
    from jixiao.web.evaluations.models import Evaluation

    return Evaluation.objects.filter(year=year, state=State.APPROVED.value, deleted_at__isnull=True,
                                     current_version__gt=0)


# On PostgreSQL the database writes each value as the text the CSV holds (what `number` and `points` make
# of it), so a row reaches Python as a tuple of strings for the csv module: at a province's million
# indicator rows, formatting Decimals in Python was most of the export's time.
class _Text(Func):
    template = "(%(expressions)s)::text"
    output_field = TextField()


class _Plain(Func):
    """`number` in SQL: a numeric without trailing zeros ("1.5", "100", "0"); PostgreSQL never writes exponents."""

    template = "trim_scale(%(expressions)s)::text"
    output_field = TextField()


class _Points(Func):
    """`points` in SQL: hundredths as a plain number."""

    template = "trim_scale((%(expressions)s)::numeric / 100)::text"
    output_field = TextField()


class _Boolean(Func):
    template = "CASE WHEN %(expressions)s THEN 'true' WHEN NOT %(expressions)s THEN 'false' END"
    output_field = TextField()


Row = Sequence[str | None]
Batches = Iterator[list[Row]]


def _batches(rows: Iterator[Any], shape: Callable[[Any], Row] | None = None) -> Batches:
    while batch := list(islice(rows, CHUNK)):
        yield batch if shape is None else [shape(row) for row in batch]


def _in_sql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def evaluation_rows(year: int) -> Batches:
    """evaluations.csv's rows in batches of `CHUNK`, in evaluation order (None writes as an empty cell)."""
    qs = _published(year).order_by("id")
    if _in_sql():
        yield from _batches(qs.values_list(
            _Text("id"), _Text("year"), "department__name", "unit__name", "kind", "project", "title",
            _Text("current_version"), _Points("total_hundredths"), "grade", _Points("figures__execution_score_hundredths"),
            _Plain("figures__budget_initial"), _Plain("figures__budget_adjusted"), _Plain("figures__budget_executed"),
            _Points("figures__execution_rate_hundredths"), _Text("figures__indicator_count"),
        ).iterator(chunk_size=CHUNK))
        return

    def shape(row: Any) -> Row:
        (pk, y, dept, unit, kind, project, title, version, total, grade, execution, initial, adjusted, executed,
         rate, count) = row
        return [str(pk), str(y), dept or "", unit, kind, project, title, str(version), points(total), grade,
                points(execution), number(initial), number(adjusted), number(executed), points(rate),
                "" if count is None else str(count)]

    fields = ("id", "year", "department__name", "unit__name", "kind", "project", "title", "current_version",
              "total_hundredths", "grade", "figures__execution_score_hundredths", "figures__budget_initial",
              "figures__budget_adjusted", "figures__budget_executed", "figures__execution_rate_hundredths",
              "figures__indicator_count")
    yield from _batches(qs.values_list(*fields).iterator(chunk_size=CHUNK), shape)


def indicator_rows(year: int) -> Batches:
    """indicators.csv's rows in batches of `CHUNK`, by evaluation and position."""
    from jixiao.web.desk.models import IndicatorRow

    qs = IndicatorRow.objects.filter(year=year, evaluation__in=_published(year)).order_by("evaluation_id", "position")
    text = ("level1", "level2", "name", "kind", "direction", "comparator", "unit")
    if _in_sql():
        yield from _batches(qs.values_list(
            _Text("evaluation_id"), _Text("position"), *text, _Plain("target"), _Plain("actual"),
            _Points("weight_hundredths"), _Points("score_hundredths"), _Points("completion_rate_hundredths"),
            _Boolean("met"),
        ).iterator(chunk_size=CHUNK))
        return

    def shape(row: Any) -> Row:
        ev, pos, l1, l2, name, kind, direction, comparator, unit, target, actual, weight, score, rate, met = row
        return [str(ev), str(pos), l1, l2, name, kind, direction, comparator, unit, number(target), number(actual),
                points(weight), points(score), points(rate), "" if met is None else ("true" if met else "false")]

    yield from _batches(qs.values_list("evaluation_id", "position", *text, "target", "actual", "weight_hundredths",
                                       "score_hundredths", "completion_rate_hundredths", "met")
                        .iterator(chunk_size=CHUNK), shape)


def write_csv(path: Path, columns: Sequence[Column], batches: Batches,
              every: Callable[[int], None] | None = None) -> tuple[int, int, str]:
    """Write one CSV atomically from batches of rows; return (rows, bytes, sha256)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".csv", dir=path.parent)
    count, size, digest = 0, 0, hashlib.sha256()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    try:
        with os.fdopen(fd, "wb") as raw:
            def flush() -> None:
                nonlocal size
                data = buffer.getvalue().encode("utf-8")
                raw.write(data)
                digest.update(data)
                size += len(data)
                buffer.seek(0)
                buffer.truncate()

            writer.writerow([c.name for c in columns])
            for batch in batches:
                writer.writerows(batch)
                count += len(batch)
                flush()  # one batch of text in memory at a time
                if every is not None:
                    every(count)
            flush()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return count, size, digest.hexdigest()


def descriptor(year: int, files: dict[str, tuple[int, int, str]]) -> dict[str, Any]:
    def resource(name: str, title: str, columns: Sequence[Column], keys: Any, foreign: list[dict[str, Any]]) -> dict[str, Any]:
        _, size, digest = files[name]
        schema: dict[str, Any] = {"fields": [_schema_field(c) for c in columns], "primaryKey": keys,
                                  "missingValues": [""]}
        if foreign:
            schema["foreignKeys"] = foreign
        return {"name": name, "title": title, "path": f"{name}.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "bytes": size,
                "hash": f"sha256:{digest}", "schema": schema}

    return {
        "profile": "tabular-data-package",
        "name": f"jixiao-performance-self-evaluation-{year}",
        "title": f"{year} 年度预算绩效自评结果（已审核）",
        "description": "预算绩效自评的公开数据：每份审核通过的自评一行（得分、等级、年初/全年预算数与执行数），"
                       "每个绩效指标一行（指标值、实际完成值、分值、得分）。金额单位万元，由 jixiao 计算。",
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": [LICENSE],
        "resources": [
            resource("evaluations", "自评结果", EVALUATION_COLUMNS, ["evaluation_id"], []),
            resource("indicators", "绩效指标", INDICATOR_COLUMNS, ["evaluation_id", "position"],
                     [{"fields": ["evaluation_id"], "reference": {"resource": "evaluations", "fields": ["evaluation_id"]}}]),
        ],
    }


def write_package(year: int, folder: Path, progress: Callable[[str], None] | None = None) -> PackageStats:
    """Write evaluations.csv, indicators.csv and datapackage.json for `year` into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda text: None)
    say("正在写出自评结果 evaluations.csv")
    files = {"evaluations": write_csv(folder / "evaluations.csv", EVALUATION_COLUMNS, evaluation_rows(year))}
    say(f"正在写出绩效指标 indicators.csv（自评 {files['evaluations'][0]} 份）")
    files["indicators"] = write_csv(folder / "indicators.csv", INDICATOR_COLUMNS, indicator_rows(year),
                                    every=lambda n: say(f"正在写出绩效指标 indicators.csv：已写 {n} 行"))
    target = folder / "datapackage.json"
    fd, tmp = tempfile.mkstemp(prefix=".datapackage-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(descriptor(year, files), out, ensure_ascii=False, indent=2)
            out.write("\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return PackageStats(files["evaluations"][0], files["indicators"][0],
                        (folder / "evaluations.csv", folder / "indicators.csv", target))
