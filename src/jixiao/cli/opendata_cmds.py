"""`jixiao opendata --year YEAR -o DIR`: the year's published results as CSV + a Frictionless datapackage.json,
from the database of DATABASE_URL (default var/jixiao.sqlite3)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.app import app


@app.command()
def opendata(
    year: Annotated[int, typer.Option("--year", help="年度")],
    out: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹（写入 evaluations.csv、indicators.csv、datapackage.json）")],
) -> None:
    """把某年度审核通过的自评结果写成开放数据：CSV 文件加 Frictionless 数据包描述（datapackage.json）。"""
    from jixiao.cli.web_cmds import migrate, setup_django

    setup_django()
    migrate()
    from jixiao.web.desk.opendata import write_package

    if out.exists() and not out.is_dir():
        typer.echo(f"{out}：不是文件夹", err=True)
        raise typer.Exit(2)
    stats = write_package(year, out, progress=lambda text: typer.echo(text, err=True))
    typer.echo(f"已写出 {year} 年度开放数据到 {out}：自评 {stats.evaluations} 份，指标 {stats.indicators} 个")
