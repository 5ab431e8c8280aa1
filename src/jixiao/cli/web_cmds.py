"""`jixiao serve`, `jixiao backup`, `jixiao restore`: run and keep the web app. Django loads lazily here
so `jixiao score` stays fast."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.app import app


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="gunicorn 工作进程数")] = 3,
    # One thread per worker: pages are CPU-bound, and threads sharing a worker's GIL made the slowest
    # requests 2-3x slower under load (benchmarks/bench_web.py); waiting requests queue fairly instead.
    threads: Annotated[int, typer.Option("--threads", help="每个工作进程的线程数")] = 1,
    demo: Annotated[bool, typer.Option("--demo", help="载入演示数据并列出演示账号")] = False,
    worker: Annotated[bool, typer.Option("--worker/--no-worker", help="同时启动一个后台任务进程（db_worker）")] = True,
) -> None:
    """启动网页版（gunicorn）和后台任务进程：先迁移数据库（DATABASE_URL，缺省为 var/jixiao.sqlite3）。"""
    setup_django()
    from django.conf import settings

    migrate()
    if demo:
        from jixiao.web.demo import PASSWORD, load_demo

        accounts = load_demo()
        typer.echo("演示账号（密码均为 " + PASSWORD + "）：")
        for username, role, organisation in accounts:
            typer.echo(f"  {username:<20} {role:<8} {organisation}")
    database = settings.DATABASES["default"]
    typer.echo(f"数据库：{database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    typer.echo(f"网页版：http://{host}:{port}/  （Ctrl+C 停止）", err=False)
    if worker:
        typer.echo("后台任务：已启动一个 db_worker 进程（随网页版一起停止）")
    sys.stdout.flush()
    from django.db import connections

    from jixiao.web.desk.jobs_supervisor import supervise

    connections.close_all()  # the children open their own
    args = [
        sys.executable, "-m", "gunicorn", "jixiao.web.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads),
        "--access-logfile", "-", "--graceful-timeout", "5", "--no-control-socket",
    ]
    raise typer.Exit(supervise(args, worker=worker))


@app.command()
def backup(file: Annotated[Path, typer.Argument(help="备份文件（JSON）")]) -> None:
    """把网页版的全部数据（用户、组织、自评及所有版本、意见、日志、绩效目标、监控、整改、任务、抽查复核、部门指标库）备份为一个 JSON 文件。"""
    setup_django()
    migrate()
    from jixiao.web.backup import backup as run_backup

    typer.echo(f"已备份 {run_backup(file)} 条记录到 {file}")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="jixiao backup 写出的 JSON 文件")],
    yes: Annotated[bool, typer.Option("--yes", help="不再确认：用备份替换现有全部数据")] = False,
) -> None:
    """用备份文件替换网页版的全部数据。"""
    if not yes:
        typer.confirm("恢复会用备份替换现有的全部数据，继续吗？", abort=True)
    setup_django()
    migrate()
    from jixiao.web.backup import restore as run_restore

    typer.echo(f"已恢复 {run_restore(file)} 条记录")
