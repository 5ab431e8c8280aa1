"""`jixiao audit`: read self-evaluation reports (.txt/.md/.docx/.pdf), recompute every figure, list every slip."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.app import app
from jixiao.cli.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, stderr, stderr_console
from jixiao.io.errors import InputError, Problem


class AuditFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    XLSX = "xlsx"
    HTML = "html"


def _check_writable(path: Path) -> None:
    """Raise the OSError writing `path` would raise (the CLI reports it in Chinese); leave an existing file as it is."""
    path.parent.mkdir(parents=True, exist_ok=True)  # like report, table and init
    existed = path.exists()
    with path.open("ab"):
        pass
    if not existed:
        path.unlink()


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr for a batch (its library loads only then); for one file, nothing."""
    if total < 2:
        yield lambda name: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("审查"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), TextColumn("{task.description}"),
        console=stderr_console(), transient=True,
    )
    with progress:
        task = progress.add_task("", total=total)
        yield lambda name: progress.update(task, description=name, advance=1)


@app.command()
def audit(
    paths: Annotated[
        list[Path], typer.Argument(help="自评报告文件（.txt / .md / .docx / .pdf）或文件夹（递归查找）", show_default=False)
    ],
    rules: Annotated[
        str | None, typer.Option("--rules", "-r", help="规则集：内置名称（national、guangxi …）或 TOML 文件路径")
    ] = None,
    format: Annotated[AuditFormat, typer.Option("--format", "-f", help="输出格式")] = AuditFormat.TABLE,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件（xlsx、html 必填；其余缺省时输出到屏幕）")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="并行进程数；0 为自动（大批量时用满 CPU）", min=0)] = 0,
    explain: Annotated[
        bool, typer.Option("--explain", help="同时列出读取到的表格（表头对应关系）、叙述中的数量关系，以及未进行的核对及原因")
    ] = False,
) -> None:
    """审查自评报告：识别所述数字，按规则重新计算，指出每一处不一致。发现错误时退出码为 1，文件无法读取时为 2。"""
    # Heavy imports here, not at module level: `jixiao --help` stays fast.
    from jixiao.audit.batch import audit_paths, default_jobs
    from jixiao.audit.extract import collect
    from jixiao.audit.output import HtmlWriter, JsonWriter, TableWriter, Writer, XlsxWriter
    from jixiao.io.rules_file import load_rules

    rule_set = load_rules(rules)
    files = collect(paths)
    if not files:
        raise InputError(" ".join(map(str, paths)), [Problem("没有找到可审查的文件（.txt、.md、.docx、.pdf）")])
    if format in (AuditFormat.XLSX, AuditFormat.HTML) and output is None:
        raise InputError("--output", [Problem(f"输出格式 {format.value} 须用 -o 指定输出文件")])

    if output is not None and format in (AuditFormat.XLSX, AuditFormat.HTML):
        _check_writable(output)  # these are written at the end: fail now, not after auditing the whole batch

    stream = None
    writer: Writer
    if format is AuditFormat.XLSX:
        assert output is not None
        writer = XlsxWriter(output)
    elif format is AuditFormat.HTML:
        assert output is not None
        writer = HtmlWriter(output)
    else:
        stream = output.open("w", encoding="utf-8") if output is not None else sys.stdout
        if format is AuditFormat.JSON:
            writer = JsonWriter(stream, explain)
        else:
            from rich.console import Console  # for the table only: JSON output does not load rich

            console = Console(file=stream, highlight=False, soft_wrap=output is not None, width=200 if output else None)
            writer = TableWriter(console, explain)

    unreadable = errors = 0
    try:
        with _progress(len(files)) as advance:
            for result in audit_paths(files, rule_set, jobs or default_jobs(len(files)), explain):
                writer.write(result)
                unreadable += result.error is not None
                errors += result.errors > 0
                advance(Path(result.path).name)
        writer.finish()
    finally:
        if stream is not None and output is not None:
            stream.close()
    if len(files) > 1 or output is not None:
        stderr.print(f"已审查 {len(files)} 份文件：{errors} 份有错误，{unreadable} 份无法读取" + (f"；结果已写入 {output}" if output else ""))
    raise typer.Exit(EXIT_INPUT if unreadable else EXIT_FINDINGS if errors else EXIT_OK)
