"""The `jixiao` command. Each group of commands lives in its own module and registers on `app`."""

from __future__ import annotations

import sys

from jixiao.cli import regex_cache

# Before anything else is imported: the patterns typer, rich and jixiao compile at import come from the cache.
regex_cache.install()

import typer  # noqa: E402

app = typer.Typer(
    name="jixiao",
    help="jixiao（绩效）：预算绩效自评的计分、校验、报告生成与报告审查。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Registration by import: every module below adds its commands to `app`.
from jixiao.cli import audit_cmds, evaluate_cmds, opendata_cmds, report_cmds, setup_cmds, web_cmds  # noqa: E402,F401
from jixiao.cli.errors import guarded_main  # noqa: E402


def main() -> None:
    sys.exit(guarded_main(app))
