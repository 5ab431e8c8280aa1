"""Open data: a year's published results as CSV files and a Frictionless Data Package descriptor.

Published means approved (已审核) by the end of the review chain. Two tables:
- `evaluations.csv`: one row per evaluation — unit, department, kind, total, grade, the budget in its
  three phases (年初预算数 initial, 全年预算数 adjusted, 执行数 executed, 万元) and the execution rate;
- `indicators.csv`: one row per indicator — target, actual, weight and score as the engine computed
  them, keyed to its evaluation.
`datapackage.json` describes both (types, units, the primary and foreign keys, each file's size and
sha256), so `frictionless validate datapackage.json` checks the package.

Rows are streamed from the database (`iterator()` in chunks, a server-side cursor on PostgreSQL), so
memory stays flat however many indicators a province has. Each file is written under a temporary
name and renamed; the descriptor is written last, so a package with a descriptor is complete.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

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


def evaluation_rows(year: int) -> Iterator[list[str]]:
    fields = ("id", "year", "department__name", "unit__name", "kind", "project", "title", "current_version",
              "total_hundredths", "grade", "figures__execution_score_hundredths", "figures__budget_initial",
              "figures__budget_adjusted", "figures__budget_executed", "figures__execution_rate_hundredths",
              "figures__indicator_count")
    for (pk, y, dept, unit, kind, project, title, version, total, grade, execution, initial, adjusted, executed,
         rate, count) in _published(year).order_by("id").values_list(*fields).iterator(chunk_size=CHUNK):
        yield [str(pk), str(y), dept or "", unit, kind, project, title, str(version), points(total), grade,
               points(execution), number(initial), number(adjusted), number(executed), points(rate),
               "" if count is None else str(count)]


def indicator_rows(year: int) -> Iterator[list[str]]:
    from jixiao.web.desk.models import IndicatorRow

    rows = (IndicatorRow.objects.filter(year=year, evaluation__in=_published(year))
            .order_by("evaluation_id", "position")
            .values_list("evaluation_id", "position", "level1", "level2", "name", "kind", "direction", "comparator",
                         "unit", "target", "actual", "weight_hundredths", "score_hundredths",
                         "completion_rate_hundredths", "met"))
    for (ev, pos, l1, l2, name, kind, direction, comparator, unit, target, actual, weight, score, rate,
         met) in rows.iterator(chunk_size=CHUNK):
        yield [str(ev), str(pos), l1, l2, name, kind, direction, comparator, unit, number(target), number(actual),
               points(weight), points(score), points(rate), "" if met is None else ("true" if met else "false")]


class _HashingWriter:
    """A text sink that counts and hashes the UTF-8 bytes it writes (the descriptor records both)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, text: str) -> int:
        data = text.encode("utf-8")
        self.raw.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(text)


def write_csv(path: Path, columns: Sequence[Column], rows: Iterator[list[str]],
              every: Callable[[int], None] | None = None) -> tuple[int, int, str]:
    """Write one CSV atomically; return (rows, bytes, sha256)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".csv", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "wb") as raw:
            sink = _HashingWriter(raw)
            writer = csv.writer(sink, lineterminator="\r\n")
            writer.writerow([c.name for c in columns])
            for row in rows:
                writer.writerow(row)
                count += 1
                if every is not None and count % CHUNK == 0:
                    every(count)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return count, sink.size, sink.digest.hexdigest()


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
