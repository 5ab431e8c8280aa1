"""`jixiao init`, `jixiao schema`, `jixiao rules`: start a file, describe the format, list rule sets."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.app import app
from jixiao.cli.errors import EXIT_INPUT, stderr


class TemplateKind(StrEnum):
    DEPARTMENT = "department"
    PROJECT = "project"
    TARGETS = "targets"
    MONITORING = "monitoring"
    RECTIFICATION = "rectification"


def init_template(kind: TemplateKind) -> str:
    from importlib import resources  # here, as json below: `jixiao --help` does not load them

    return (resources.files("jixiao") / "templates" / "init" / f"{kind.value}.yaml").read_text("utf-8")


@app.command()
def init(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入的文件；缺省时打印到屏幕")] = None,
    kind: Annotated[TemplateKind, typer.Option("--kind", "-k", help="department 部门整体自评 / project 项目支出自评 / targets 绩效目标申报 / monitoring 绩效运行监控 / rectification 问题整改清单")] = TemplateKind.DEPARTMENT,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
) -> None:
    """生成带注释的数据模板（自评、绩效目标申报、运行监控或问题整改清单）。"""
    text = init_template(kind)
    if output is None:
        typer.echo(text, nl=False)
        return
    if output.exists() and not force:
        stderr.print(f"{output} 已存在，未覆盖（如需覆盖请加 --force）")
        raise typer.Exit(EXIT_INPUT)
    output.write_text(text, encoding="utf-8")
    stderr.print(f"已生成模板：{output}")


@app.command()
def schema() -> None:
    """打印自评数据文件的 JSON Schema。"""
    import json

    from jixiao.core.model import Evaluation

    typer.echo(json.dumps(Evaluation.model_json_schema(), ensure_ascii=False, indent=2))


@app.command()
def rules(
    name: Annotated[str | None, typer.Argument(help="规则集名称或文件；缺省时列出内置规则集")] = None,
) -> None:
    """列出内置规则集，或显示一个规则集的参数。"""
    from rich.console import Console
    from rich.table import Table

    from jixiao.core.money import fmt
    from jixiao.io.rules_file import load_rules, shipped_rule_names

    console = Console(highlight=False)
    if name is None:
        table = Table(title="内置规则集", title_justify="left")
        for header in ("名称", "说明", "执行率分值", "反向指标算法", "大幅超额阈值", "定性档次"):
            table.add_column(header)
        for rule_name in shipped_rule_names():
            r = load_rules(rule_name)
            bands = " / ".join(fmt(b.low * 100) + "%" for b in r.qualitative)
            table.add_row(
                r.name, r.title, fmt(r.execution.weight), r.indicators.reverse_formula.value,
                f"{fmt(r.indicators.overachieve_ratio * 100)}%", bands,
            )
        console.print(table)
        return
    r = load_rules(name)
    import json

    typer.echo(json.dumps(r.model_dump(mode="json"), ensure_ascii=False, indent=2))
