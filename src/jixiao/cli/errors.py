"""One place that maps failures to exit codes: 0 clean, 1 findings with errors, 2 unreadable input."""

from __future__ import annotations

import errno
import os
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import typer

from jixiao.cli.chinese_usage import Abort, NoArgsIsHelpError, UsageError, install_chinese_help, report_usage_error
from jixiao.io.errors import InputError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 70

if TYPE_CHECKING:
    from rich.console import Console


@cache
def stderr_console() -> Console:
    """rich's Console on stderr, made when something is first printed there: a command that prints
    nothing to stderr (one report audited to JSON) does not load rich (a tenth of its start-up)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


class _StderrConsole:
    """`stderr.print(…)` as on the Console itself; what hands the console to rich (a progress bar) takes
    `stderr_console()`."""

    def __getattr__(self, name: str) -> Any:
        return getattr(stderr_console(), name)


stderr = cast("Console", _StderrConsole())


def report_input_error(error: InputError) -> None:
    stderr.print(f"[bold red]无法读取输入[/]：{error.source}", markup=True)
    for problem in error.problems:
        stderr.print(f"  • {problem.describe(error.source)}", markup=False)


# What the operating system said, in the user's language (the strerror text is English).
_OS_REASONS = {
    errno.ENOENT: "路径不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EROFS: "所在位置只读，不能写入",
    errno.ENOSPC: "磁盘空间不足",
    errno.EEXIST: "已存在",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.ENAMETOOLONG: "文件名过长",
}


def report_os_error(error: OSError) -> None:
    reason = _OS_REASONS.get(error.errno or 0, f"系统错误（{error.strerror or error}）")
    where = error.filename if error.filename is not None else "文件"
    stderr.print(f"[bold red]无法读写文件[/]：{where}：{reason}", markup=True)


def guarded_main(app: typer.Typer) -> int:
    """Run the app; user-data problems become exit 2 with a Chinese message, never a traceback."""
    install_chinese_help()
    try:
        result = app(standalone_mode=False, prog_name="jixiao")
        if isinstance(result, int) and result:
            return result
    except NoArgsIsHelpError as shown:  # `jixiao` alone: typer has printed the help while raising this
        if shown.message.strip():
            stderr.print(shown.message, markup=False)
        return int(shown.exit_code)
    except UsageError as wrong:
        report_usage_error(wrong, stderr)
        return int(wrong.exit_code)
    except Abort:
        stderr.print("已中止")
        return 1
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_INPUT)
    except InputError as error:
        report_input_error(error)
        return EXIT_INPUT
    except OSError as exc:  # an output path that cannot be written, a file that vanished: the user's to fix
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        report_os_error(exc)
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
