"""Which stage of the year a file belongs to, and what to tell someone who gave it to the wrong door.

Every stage's file looks alike from a distance (YAML with a unit and indicators; a form with 三级指标),
so a 绩效目标申报表 given to the self-evaluation import used to fail on a missing column. Readers of
an evaluation ask `stage_of_title` (forms) or look at `stage` (YAML/JSON) first and refuse with
`wrong_kind`: what the file is, and where it goes instead.
"""

from __future__ import annotations

from jixiao.io.errors import InputError, Problem

# The titles each stage's form ends with (the first is what jixiao writes).
FORM_TITLES: dict[str, tuple[str, ...]] = {
    "targets": ("绩效目标申报表",),
    "monitoring": ("绩效运行监控表", "绩效监控表"),
    "rectification": ("问题整改清单", "整改清单"),
}
FILE_NAMES = {"targets": "绩效目标申报文件", "monitoring": "绩效运行监控文件", "rectification": "问题整改清单"}

# Where each stage's file goes instead: the command line, then the web app.
DESTINATIONS = {
    "targets": (
        "绩效目标请用 jixiao check / score / table 处理，自评时以 --targets 指定它，核对自评是否符合批准的目标"
        "（jixiao check 自评数据 --targets 本文件）；网页上请在「全年绩效管理 → 申报绩效目标」中上传"
    ),
    "monitoring": (
        "监控表请用 jixiao check / score / table 处理（加 --targets 目标文件可核对目标）；"
        "网页上请在「全年绩效管理」中打开该项目的绩效运行监控记录，再上传"
    ),
    "rectification": (
        "整改清单请用 jixiao check / score / table 处理；网页上请在「全年绩效管理 → 下发整改通知」中导入，逐行下发为整改通知"
    ),
}


def stage_of_title(text: str) -> str | None:
    """The stage whose form a title names ("项目支出绩效目标申报表" → targets); None for anything else."""
    for stage, titles in FORM_TITLES.items():
        if text.endswith(titles) and len(text) <= 30:
            return stage
    return None


def wrong_kind(stage: str, source: str, shown_as: str | None = None, line: int | None = None) -> InputError:
    """The refusal of a stage's file where a self-evaluation was expected; nothing is read further."""
    what = f"{shown_as}" if shown_as else f"{FILE_NAMES[stage]}（stage: {stage}）"
    message = f"这是{what}，不是绩效自评数据，不能作为自评读入。{DESTINATIONS[stage]}。"
    return InputError(source, [Problem(message, "stage" if shown_as is None else None, line)])
