"""`jixiao report` and `jixiao table`: the finished report and the 自评表, from the data file.

Running a command registers the 自评表 .xlsx reader, so every command reads .xlsx. The writers, the
rules and rich's progress are imported when a command runs: `jixiao --help` stays fast.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jixiao.cli.app import app
from jixiao.cli.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, report_input_error, stderr
from jixiao.cli.evaluate_cmds import AsOfOpt, parse_date
from jixiao.io.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from jixiao.core.evaluate import Result
    from jixiao.core.rules import RuleSet
    from jixiao.io.stage_file import StageDocument


class BatchFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"
    HTML = "html"
    MD = "md"


FilesArg = Annotated[list[Path], typer.Argument(help="自评数据文件（.yaml / .json / .xlsx，或自评表 .docx）或文件夹", show_default=False)]
OutOpt = Annotated[Path, typer.Option("--output", "-o", help="输出文件（扩展名决定格式：.docx .pdf .html .md）；批量时为文件夹（以 / 结尾）")]
RulesOpt = Annotated[str | None, typer.Option("--rules", "-r", help="规则集：内置名称或 TOML 文件路径")]
TemplateOpt = Annotated[str | None, typer.Option("--template", "-t", help="报告模板：内置名称（default、sichuan）或 .docx / .j2 文件路径")]
AllowOpt = Annotated[bool, typer.Option("--allow-errors", help="数据有错误时仍生成报告（报告中以醒目方框列出错误）")]
ChartsOpt = Annotated[bool, typer.Option("--charts/--no-charts", help="插入预算结构图和指标完成情况图")]
FormatOpt = Annotated[BatchFormat, typer.Option("--format", "-f", help="批量生成时的格式")]


@dataclass
class Outcome:
    code: int
    message: str


def _inputs(paths: list[Path]) -> list[Path]:
    import jixiao.report.xlsx_reader  # noqa: F401  (registers the .xlsx reader)
    from jixiao.io.inputs import READERS

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            # Word files only when named: a folder's .docx are as often the reports made from its data.
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS and p.suffix.lower() != ".docx")
        else:
            files.append(path)
    return files


def _is_batch(paths: list[Path], output: Path, raw_output: str) -> bool:
    return len(paths) > 1 or any(p.is_dir() for p in paths) or raw_output.endswith(("/", "\\")) or output.is_dir()


def _report_one(
    source: Path, out: Path, rules: RuleSet, template: str | None, allow_errors: bool, charts: bool, console: Console,
    announce: bool = True,
) -> Outcome:
    import jixiao.report.xlsx_reader  # noqa: F401  (registers the .xlsx reader)
    from jixiao.cli.render import print_findings
    from jixiao.core.evaluate import evaluate
    from jixiao.core.money import fmt
    from jixiao.io.inputs import read_input
    from jixiao.report.write import blocking_errors, corrected_by_report, write_report

    try:
        result: Result = evaluate(read_input(source), rules)
    except InputError as error:
        report_input_error(error)
        return Outcome(EXIT_INPUT, f"{source}：无法读取")
    errors = blocking_errors(result)
    corrected = [f for f in result.errors if corrected_by_report(f)]
    for finding in corrected:
        console.print(f"[cyan]提示[/] {source}：{finding.message}——报告中采用计算值。", markup=True)
    if errors and not allow_errors:
        stderr.print(f"[bold red]{source} 的数据有 {len(errors)} 个错误，未生成报告[/]（改正后重试，或加 --allow-errors 生成带错误提示的报告）：", markup=True)
        print_findings(stderr, errors)
        return Outcome(EXIT_FINDINGS, f"{source}：有错误，未生成")
    write_report(result, out, template=template, warnings=errors or None, charts=charts)
    note = f"（含 {len(errors)} 个错误提示）" if errors else ""
    if not announce:
        return Outcome(EXIT_OK, "")
    return Outcome(EXIT_OK, f"已生成 {out}{note}：综合得分 {fmt(result.scorecard.total_score)} 分，等级 {result.scorecard.grade_text}")


@app.command()
def report(
    files: FilesArg,
    output: OutOpt,
    rules: RulesOpt = None,
    template: TemplateOpt = None,
    allow_errors: AllowOpt = False,
    charts: ChartsOpt = True,
    format: FormatOpt = BatchFormat.DOCX,
) -> None:
    """生成绩效自评报告（Word / PDF / HTML / Markdown），数字全部由数据计算得出。"""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from jixiao.io.rules_file import load_rules
    from jixiao.report.write import REPORT_FORMATS, UnsupportedFormat

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    rule_set = load_rules(rules)
    raw_output = str(output)
    try:
        if not _is_batch(files, output, raw_output):
            if output.suffix.lower() not in REPORT_FORMATS:
                raise UnsupportedFormat(f"不支持的报告格式“{output.suffix or '无扩展名'}”，支持：{'、'.join(REPORT_FORMATS)}")
            outcome = _report_one(files[0], output, rule_set, template, allow_errors, charts, console)
            if outcome.code == EXIT_OK:
                console.print(outcome.message)
            raise typer.Exit(outcome.code)
        sources = _inputs(files)
        if not sources:
            stderr.print("没有找到自评数据文件（.yaml / .json / .xlsx）")
            raise typer.Exit(EXIT_INPUT)
        output.mkdir(parents=True, exist_ok=True)
        worst = EXIT_OK
        made = 0  # the summary must not say "3 个文件" when two could not be read
        pdf_batch = format is BatchFormat.PDF
        if pdf_batch:
            from jixiao.report.pdf import find_soffice

            find_soffice()  # say so before rendering anything
        import tempfile  # here: `jixiao --help` and the other commands do not load it

        with tempfile.TemporaryDirectory(prefix="jixiao-batch-") as staging, Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.fields[name]}"), console=console, transient=False,
        ) as progress:
            task = progress.add_task("生成报告", total=len(sources), name="")
            pending: list[tuple[Path, Path]] = []
            for done, source in enumerate(sources, start=1):
                progress.update(task, name=source.name)
                final = output / f"{source.stem}.{format.value}"
                # PDFs: every Word file first, then LibreOffice converts them in chunks (its
                # start-up, not the conversion, is what costs seconds).
                out = Path(staging) / f"{done}.docx" if pdf_batch else final
                outcome = _report_one(source, out, rule_set, template, allow_errors, charts, console, announce=not pdf_batch)
                worst = max(worst, outcome.code)
                made += outcome.code == EXIT_OK
                if pdf_batch and outcome.code == EXIT_OK:
                    pending.append((out, final))
                progress.advance(task)
                if done % 50 == 0:
                    # python-docx documents are reference cycles; collecting them in step keeps a
                    # batch's memory flat instead of growing until the collector's next full pass.
                    gc.collect()
            if pending:
                worst = max(worst, _convert_pending(pending, progress))
        skipped = f"，{len(sources) - made} 个未生成（原因见上）" if made < len(sources) else ""
        console.print(f"完成：{len(sources)} 个文件{skipped}，输出到 {output}")
        raise typer.Exit(worst)
    except UnsupportedFormat as exc:
        stderr.print(str(exc))
        raise typer.Exit(EXIT_INPUT) from None
    except _pdf_problems() as exc:
        stderr.print(f"[bold red]{exc}[/]", markup=True)
        raise typer.Exit(EXIT_INPUT) from None


PDF_CHUNK = 20


def _convert_pending(pending: list[tuple[Path, Path]], progress: Progress) -> int:
    from jixiao.report.pdf import docx_to_pdf_many

    task = progress.add_task("转换 PDF", total=len(pending), name="")
    code = EXIT_OK
    for start in range(0, len(pending), PDF_CHUNK):
        chunk = pending[start : start + PDF_CHUNK]
        progress.update(task, name=chunk[0][1].name)
        for _, reason in docx_to_pdf_many(chunk):
            stderr.print(reason)
            code = EXIT_INPUT
        progress.advance(task, len(chunk))
    return code


def stage_layout_title(document: StageDocument) -> str:
    from jixiao.core.rectification import RectificationList
    from jixiao.report.stage_reader import RECTIFICATION_TITLE
    from jixiao.report.stage_tables import MONITORING_TITLES, TARGET_TITLES

    if isinstance(document.model, RectificationList):
        return RECTIFICATION_TITLE
    titles = MONITORING_TITLES if document.model.stage == "monitoring" else TARGET_TITLES
    return titles[document.model.kind]


def _pdf_problems() -> tuple[type[Exception], ...]:
    from jixiao.report.pdf import ConversionFailed, ConverterMissing

    return (ConverterMissing, ConversionFailed)


@app.command()
def table(
    file: Annotated[Path, typer.Argument(help="自评、绩效目标、监控或问题整改数据文件（.yaml / .json / .xlsx / .docx）", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件：.xlsx 或 .docx")],
    rules: RulesOpt = None,
    allow_errors: AllowOpt = False,
    as_of: AsOfOpt = None,
) -> None:
    """生成自评表、绩效目标申报表、绩效运行监控表或问题整改清单（Excel 或 Word），可打印、可填写后再读入。"""
    import jixiao.report.xlsx_reader  # noqa: F401  (registers the .xlsx reader)
    from jixiao.cli.render import print_findings
    from jixiao.core.evaluate import evaluate
    from jixiao.core.money import fmt
    from jixiao.io.rules_file import load_rules
    from jixiao.io.stage_file import StageDocument, read_any
    from jixiao.report.stage_tables import write_stage_table
    from jixiao.report.write import UnsupportedFormat, blocking_errors, write_table

    judged_at = parse_date(as_of)
    document = read_any(file)
    if isinstance(document, StageDocument):
        try:
            write_stage_table(document.model, load_rules(rules), output, judged_at)
        except UnsupportedFormat as exc:
            stderr.print(str(exc))
            raise typer.Exit(EXIT_INPUT) from None
        stderr.print(f"已生成{stage_layout_title(document)}：{output}")
        return
    result = evaluate(document, load_rules(rules))
    errors = blocking_errors(result)
    if errors and not allow_errors:
        stderr.print(f"[bold red]{file} 的数据有 {len(errors)} 个错误，未生成自评表[/]（或加 --allow-errors）：", markup=True)
        print_findings(stderr, errors)
        raise typer.Exit(EXIT_FINDINGS)
    try:
        write_table(result, output)
    except UnsupportedFormat as exc:
        stderr.print(str(exc))
        raise typer.Exit(EXIT_INPUT) from None
    stderr.print(f"已生成自评表 {output}：综合得分 {fmt(result.scorecard.total_score)} 分，等级 {result.scorecard.grade_text}")
