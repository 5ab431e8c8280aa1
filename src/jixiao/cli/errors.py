"""One place that maps failures to exit codes: 0 clean, 1 findings with errors, 2 unreadable input."""

from __future__ import annotations

import os

import typer
from rich.console import Console

from jixiao.io.errors import InputError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 70

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def report_input_error(error: InputError) -> None:
    stderr.print(f"[bold red]无法读取输入[/]：{error.source}", markup=True)
    for problem in error.problems:
        stderr.print(f"  • {problem.describe(error.source)}", markup=False)


def guarded_main(app: typer.Typer) -> int:
    """Run the app; user-data problems become exit 2 with a Chinese message, never a traceback."""
    try:
        app()
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_INPUT)
    except InputError as error:
        report_input_error(error)
        return EXIT_INPUT
    except ModuleNotFoundError as exc:  # an optional part (report, audit, web) installed without its extra
        stderr.print(
            f"缺少可选组件 {exc.name}：请安装完整版本，例如 pip install 'jixiao[report,audit,web]'",
            markup=False,
        )
        return EXIT_INPUT
    except KeyboardInterrupt:
        stderr.print("已中断")
        return 130
    except Exception as exc:  # a bug, not bad input: say so briefly; JIXIAO_DEBUG=1 shows the traceback
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        stderr.print(
            f"jixiao 内部错误：{type(exc).__name__}: {exc}（设置 JIXIAO_DEBUG=1 查看详细信息，并请报告此问题）",
            markup=False,
        )
        return EXIT_INTERNAL
    return EXIT_OK
