"""`jixiao score` and `jixiao check`: compute every figure and list every inconsistency."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jixiao.cli.app import app
from jixiao.cli.errors import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:
    from jixiao.core.evaluate import Result


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FileArg = Annotated[Path, typer.Argument(help="自评数据文件（.yaml / .json / .xlsx）", show_default=False)]
RulesOpt = Annotated[
    str | None, typer.Option("--rules", "-r", help="规则集：内置名称（national、guangxi …）或 TOML 文件路径")
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="输出格式")]


def _evaluate(file: Path, rules: str | None) -> Result:
    # Imported when a command runs, not with the CLI: `jixiao --help` must not load pydantic and the rules.
    import jixiao.report.xlsx_reader  # noqa: F401  (registers the 自评表 .xlsx reader)
    from jixiao.core.evaluate import evaluate
    from jixiao.io.inputs import read_input
    from jixiao.io.rules_file import load_rules

    return evaluate(read_input(file), load_rules(rules))


@app.command()
def score(file: FileArg, rules: RulesOpt = None, format: FormatOpt = OutputFormat.TABLE) -> None:
    """计算各项比率、得分、总分和等级。"""
    from rich.console import Console

    from jixiao.cli.render import print_score, score_json, to_json

    result = _evaluate(file, rules)
    if format is OutputFormat.JSON:
        typer.echo(to_json(score_json(result)))
    else:
        print_score(Console(highlight=False), result, str(file))


@app.command()
def check(file: FileArg, rules: RulesOpt = None, format: FormatOpt = OutputFormat.TABLE) -> None:
    """校验数据的一致性和完整性；发现错误时退出码为 1。"""
    from rich.console import Console

    from jixiao.cli.render import findings_json, print_findings, to_json

    result = _evaluate(file, rules)
    if format is OutputFormat.JSON:
        typer.echo(to_json(findings_json(result)))
    else:
        console = Console(highlight=False)
        console.print(f"[bold]{result.evaluation.title_name}[/] · {result.evaluation.year}年度  [dim]({file})[/]")
        print_findings(console, result.findings)
    raise typer.Exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)
