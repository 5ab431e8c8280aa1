"""`jixiao score` and `jixiao check`: compute every figure and list every inconsistency."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jixiao.cli.app import app
from jixiao.cli.errors import EXIT_FINDINGS, EXIT_OK

# The model, the rules, the readers and rich's tables are imported when a command runs, not with
# the CLI: `jixiao --help` and every other command must not pay for them.
if TYPE_CHECKING:
    from jixiao.core.evaluate import Result
    from jixiao.core.rules import RuleSet
    from jixiao.core.stage_evaluate import StageResult


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FileArg = Annotated[
    Path, typer.Argument(help="自评、绩效目标、监控或问题整改数据文件（.yaml / .json / .xlsx / .docx）", show_default=False)
]
TargetsOpt = Annotated[
    Path | None, typer.Option("--targets", "-t", help="批准的绩效目标文件（.yaml / .json，或申报表 .xlsx / .docx）：检查监控表或自评是否与目标一致")
]
RulesOpt = Annotated[
    str | None, typer.Option("--rules", "-r", help="规则集：内置名称（national、guangxi …）或 TOML 文件路径")
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="输出格式")]


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"“{value}”不是日期，应写成 年-月-日，如 2025-09-30", param_hint="--as-of") from None


AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="问题整改清单：判断逾期的日期（如 2025-09-30；缺省为清单的 as_of，再缺省为今天）"),
]


def _evaluate(file: Path, rules: RuleSet, targets: Path | None, as_of: str | None = None) -> Result | StageResult:
    import jixiao.report.stage_reader  # noqa: F401  (reads the 申报表/监控表 .xlsx/.docx)
    from jixiao.core.chain import adopt_codes
    from jixiao.core.evaluate import Result, evaluate
    from jixiao.core.monitoring import MonitoringReport
    from jixiao.core.stage_evaluate import chain_findings, evaluate_stage
    from jixiao.core.targets import TargetDeclaration
    from jixiao.io.stage_file import StageDocument, read_any, read_stage

    judged_at = parse_date(as_of)  # a wrong date is a usage error before any file is read
    document = read_any(file)
    approved: TargetDeclaration | None = None
    if targets is not None:
        declared = read_stage(targets, TargetDeclaration)
        assert isinstance(declared.model, TargetDeclaration)
        approved = declared.model
        # A form without indicator codes is matched to the other side by its indicators' names.
        if isinstance(document, StageDocument) and isinstance(document.model, MonitoringReport | TargetDeclaration):
            if document.codes_from_names and not declared.codes_from_names:
                document.model = adopt_codes(document.model, approved)
            elif declared.codes_from_names and not document.codes_from_names:
                approved = adopt_codes(approved, document.model)
    if isinstance(document, StageDocument):
        return evaluate_stage(document.model, rules, approved, document.locations, judged_at)
    result = evaluate(document, rules)
    if approved is not None:
        result = Result(result.evaluation, result.scorecard, result.findings + chain_findings(document, approved))
    return result


@app.command()
def score(
    file: FileArg, rules: RulesOpt = None, format: FormatOpt = OutputFormat.TABLE, targets: TargetsOpt = None, as_of: AsOfOpt = None,
) -> None:
    """计算各项比率、得分、总分和等级；监控表计算执行进度、时间进度和红黄绿灯。"""
    from rich.console import Console

    from jixiao.cli.render import print_score, score_json, to_json
    from jixiao.cli.stage_render import print_stage, stage_json
    from jixiao.core.stage_evaluate import StageResult
    from jixiao.io.rules_file import load_rules

    result = _evaluate(file, load_rules(rules), targets, as_of)
    if isinstance(result, StageResult):
        if format is OutputFormat.JSON:
            typer.echo(to_json(stage_json(result)))
        else:
            print_stage(Console(highlight=False), result, str(file))
        return
    if format is OutputFormat.JSON:
        typer.echo(to_json(score_json(result)))
    else:
        print_score(Console(highlight=False), result, str(file))


@app.command()
def check(
    file: FileArg, rules: RulesOpt = None, format: FormatOpt = OutputFormat.TABLE, targets: TargetsOpt = None, as_of: AsOfOpt = None,
) -> None:
    """校验数据的一致性和完整性；发现错误时退出码为 1。"""
    from rich.console import Console

    from jixiao.cli.render import findings_json, print_findings, to_json
    from jixiao.cli.stage_render import print_stage, stage_json
    from jixiao.core.stage_evaluate import StageResult
    from jixiao.io.rules_file import load_rules

    result = _evaluate(file, load_rules(rules), targets, as_of)
    if isinstance(result, StageResult):
        if format is OutputFormat.JSON:
            typer.echo(to_json(stage_json(result)))
        else:
            print_stage(Console(highlight=False), result, str(file), findings_only=True)
    elif format is OutputFormat.JSON:
        typer.echo(to_json(findings_json(result)))
    else:
        console = Console(highlight=False)
        console.print(f"[bold]{result.evaluation.title_name}[/] · {result.evaluation.year}年度  [dim]({file})[/]")
        print_findings(console, result.findings)
    raise typer.Exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)
