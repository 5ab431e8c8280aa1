"""PDF from the same .docx, by LibreOffice headless — so the PDF looks like the Word file."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from jixiao.core.findings import Finding
from jixiao.core.model import Evaluation
from jixiao.core.scoring import Scorecard

TIMEOUT_SECONDS = 180

# The templates name the fonts Chinese offices use (仿宋, 宋体, 楷体, 黑体); on a Linux server they
# are absent and LibreOffice would fall back to whatever CJK face comes first. The private profile
# of each conversion maps them to the Noto CJK faces of Debian's fonts-noto-cjk (the .docx itself
# keeps the usual names, so Word on Windows uses the real ones).
FONT_SUBSTITUTES = {
    "仿宋": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "楷体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
}


def _profile_settings() -> str:
    pairs = "".join(
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
        f'<node oor:name="_{i}" oor:op="replace">'
        '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
        '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
        f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{name}</value></prop>'
        f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{substitute}</value></prop>'
        "</node></item>"
        for i, (name, substitute) in enumerate(FONT_SUBSTITUTES.items())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>'
        f"{pairs}</oor:items>\n"
    )


class ConverterMissing(RuntimeError):
    """LibreOffice is not installed: a setup problem, reported with the package to install."""

    def __str__(self) -> str:
        return (
            "生成 PDF 需要 LibreOffice（soffice），本机未找到。"
            "请安装 Debian 软件包 libreoffice-writer-nogui（apt-get install libreoffice-writer-nogui）"
            "及中文字体 fonts-noto-cjk，或改为输出 .docx。"
        )


class ConversionFailed(RuntimeError):
    pass


def find_soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConverterMissing()


def docx_to_pdf(docx: Path, pdf: Path) -> None:
    """Convert one .docx with a private LibreOffice profile, so conversions can run side by side."""
    failed = docx_to_pdf_many([(docx, pdf)])
    if failed:
        raise ConversionFailed(failed[0][1])


def docx_to_pdf_many(pairs: list[tuple[Path, Path]]) -> list[tuple[Path, str]]:
    """Convert several .docx files in one LibreOffice run (its start-up is most of the cost).

    Returns the (docx, reason) pairs that failed; the others are written to their PDF paths.
    """
    soffice = find_soffice()
    if not pairs:
        return []
    timeout = TIMEOUT_SECONDS + 20 * len(pairs)
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as work:
        work_dir = Path(work)
        inputs = []
        for i, (docx, _) in enumerate(pairs):
            # Numbered copies: sources from different folders may share a name.
            staged = work_dir / f"{i}.docx"
            shutil.copyfile(docx, staged)
            inputs.append(str(staged))
        profile = Path(tempfile.gettempdir()) / f"lo-{uuid.uuid4().hex}"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_profile_settings(), encoding="utf-8")
        out_dir = work_dir / "pdf"
        try:
            proc = subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless", "--norestore", "--nolockcheck",
                    "--convert-to", "pdf:writer_pdf_Export",
                    "--outdir", str(out_dir),
                    *inputs,
                ],
                capture_output=True, text=True, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            return [(docx, f"LibreOffice 转换超时（{timeout} 秒）：{docx}") for docx, _ in pairs]
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        failed = []
        detail = (proc.stderr or proc.stdout or "").strip()[-300:]
        for i, (docx, pdf) in enumerate(pairs):
            produced = out_dir / f"{i}.pdf"
            if not produced.is_file():
                failed.append((docx, f"LibreOffice 未能把 {docx.name} 转为 PDF（退出码 {proc.returncode}）：{detail}"))
                continue
            pdf.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced), str(pdf))
        return failed


def render_pdf(
    evaluation: Evaluation,
    card: Scorecard,
    out: Path,
    template: str | None = None,
    warnings: list[Finding] | None = None,
    charts: bool = True,
) -> None:
    from jixiao.report.docx import render_docx

    find_soffice()  # fail before rendering anything
    with tempfile.TemporaryDirectory(prefix="jixiao-docx-") as work:
        docx = Path(work) / (out.stem + ".docx")
        render_docx(evaluation, card, docx, template=template, warnings=warnings, charts=charts)
        docx_to_pdf(docx, out)
