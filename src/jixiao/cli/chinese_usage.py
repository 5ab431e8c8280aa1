"""Typer's help panels and command-line usage errors in Chinese.

Typer 0.29 (pinned) builds its help panel titles from module-level strings in `typer.rich_utils`, read
when help is printed, so setting them is enough; they are set when help is formatted, not at start-up
(`typer.rich_utils` loads rich's markdown and syntax highlighting: a command that prints no help should
not pay for them). The usage line ("Usage: … [OPTIONS] COMMAND [ARGS]..."),
the --help option's own text ("Show this message and exit.") and the value types (<path>, <str>) come from
its vendored click with no translation hook: `install_chinese_help` wraps the two methods that produce
them. Usage errors are formatted in English too, so `guarded_main` runs the app with
`standalone_mode=False`, receives the error object and prints it here: the command's usage line, what is
wrong, where to get help.
"""

from __future__ import annotations

import importlib
import re
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

import typer
from typer import core as typer_core
from typer._click import core as click_core
from typer._click import exceptions as click_errors

if TYPE_CHECKING:
    from rich.console import Console

PANEL_TEXT = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已弃用）",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}

UsageError = click_errors.UsageError
NoArgsIsHelpError = click_errors.NoArgsIsHelpError
Abort = typer.Abort


HELP_OPTION_TEXT = "显示本帮助并退出。"
# The usage line's English words, longest first.
USAGE_WORDS = (("Usage: ", "用法："), ("COMMAND [ARGS]...", "命令 [参数]..."), ("[OPTIONS]", "[选项]"))
# The value types typer shows beside each option.
TYPE_WORDS = {"<path>": "<路径>", "<str>": "<文本>", "<int>": "<整数>", "<float>": "<数字>", "<bool>": "",
              "<choice>": "<选项>", "<list[Path]>": "<路径…>", "<list[str]>": "<文本…>"}


def chinese_usage(text: str) -> str:
    """"Usage: jixiao [OPTIONS] COMMAND [ARGS]..." → "用法：jixiao [选项] 命令 [参数]..."."""
    for english, chinese in USAGE_WORDS:
        text = text.replace(english, chinese)
    return text


def _chinese_panels() -> None:
    rich_utils = _rich_utils()
    for name, text in PANEL_TEXT.items():
        setattr(rich_utils, name, text)


# Names typer.rich_utils imports for what jixiao's help never shows: Markdown for help written in
# markdown (jixiao's is rich markup) and Traceback for pretty exceptions (disabled). Their modules load
# markdown-it and pygments, a third of `jixiao --help`'s time; while rich_utils is imported they are
# stand-ins that import the real module if ever used, and are gone from sys.modules afterwards.
DEFERRED = (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback"))


class _Deferred(type):
    """A class standing for one not yet imported: attributes and instances come from the real one."""

    real: Any

    def __getattr__(cls, name: str) -> Any:
        return getattr(cls.real(), name)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.real()(*args, **kwargs)


def _stand_in(module: str, name: str) -> ModuleType:
    stand_in = ModuleType(module)
    real = staticmethod(lambda: getattr(importlib.import_module(module), name))
    setattr(stand_in, name, _Deferred(name, (), {"real": real}))
    return stand_in


def _rich_utils() -> ModuleType:
    if "typer.rich_utils" in sys.modules:
        return sys.modules["typer.rich_utils"]
    stand_ins = {module: _stand_in(module, name) for module, name in DEFERRED if module not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        from typer import rich_utils
    except ImportError:  # a typer that wants more of those modules than these names: import them for real
        for module in stand_ins:
            del sys.modules[module]
        sys.modules.pop("typer.rich_utils", None)
        from typer import rich_utils
    finally:
        for module, stand_in in stand_ins.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]
    return rich_utils


def _with_chinese_panels(english: Any) -> Any:
    def format_help(self: Any, ctx: Any, formatter: Any) -> Any:
        _chinese_panels()
        return english(self, ctx, formatter)

    return format_help


def install_chinese_help() -> None:
    if "typer.rich_utils" in sys.modules:
        _chinese_panels()
    command = click_core.Command
    if getattr(command, "_jixiao_chinese", False):
        return
    english_usage, english_help_option = command.get_usage, command.get_help_option

    def get_usage(self: Any, ctx: Any) -> str:
        return chinese_usage(english_usage(self, ctx))

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = english_help_option(self, ctx)
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    command.get_usage = get_usage  # type: ignore[method-assign]
    command.get_help_option = get_help_option  # type: ignore[method-assign]
    command._jixiao_chinese = True  # type: ignore[attr-defined]
    for parameter in (typer_core._TyperParameter, typer_core.TyperOption):
        parameter.display_type_rich = _chinese_type(parameter.display_type_rich)  # type: ignore[method-assign]
    for shown in (typer_core.TyperCommand, typer_core.TyperGroup):
        shown.format_help = _with_chinese_panels(shown.format_help)  # type: ignore[method-assign]


def _chinese_type(english: Any) -> Any:
    def display_type_rich(self: Any, ctx: Any) -> Any:
        shown = english(self, ctx)
        return TYPE_WORDS.get(shown, shown) if isinstance(shown, str) else shown

    return display_type_rich


def _param_name(error: Any) -> str:
    param = getattr(error, "param", None)
    if param is None:
        return getattr(error, "param_hint", None) or ""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "option" and opts:
        return " / ".join(opts)
    return str(getattr(param, "human_readable_name", "") or getattr(param, "name", ""))


def describe(error: Any) -> str:
    """What is wrong with the command line, in Chinese."""
    if isinstance(error, click_errors.NoSuchOption):
        text = f"没有这个选项：{error.option_name}"
        if error.possibilities:
            text += f"（是否想用：{'、'.join(sorted(error.possibilities))}）"
        return text
    if isinstance(error, click_errors.MissingParameter):
        kind = {"argument": "参数", "option": "选项"}.get(getattr(error.param, "param_type_name", ""), "参数")
        return f"缺少{kind} {_param_name(error)}"
    if isinstance(error, click_errors.BadParameter):
        return f"{_param_name(error)} 的值无效：{error.message}"
    if isinstance(error, click_errors.BadOptionUsage):
        return f"选项 {error.option_name} 用法有误：{error.message}"
    message = str(error.message)
    if message.startswith("No such command"):
        return "没有这个命令：" + message.removeprefix("No such command").strip(" '.")
    if message.startswith("Got unexpected extra argument"):
        extra = re.search(r"\(([^()]*)\)\s*$", message)  # "Got unexpected extra arguments (b c)"
        return "多余的参数：" + (extra.group(1) if extra else message)
    return message


def report_usage_error(error: Any, console: Console) -> None:
    ctx = error.ctx
    if ctx is not None:
        pieces = chinese_usage(" ".join(ctx.command.collect_usage_pieces(ctx)))
        console.print(f"用法：{ctx.command_path} {pieces}".rstrip(), markup=False)
        console.print(f"运行 {ctx.command_path} --help 查看帮助。", markup=False)
    console.print(f"[bold red]错误[/]：{describe(error)}", markup=True, highlight=False)
