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
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as work:
        work_dir = Path(work)
        profile = Path(tempfile.gettempdir()) / f"lo-{uuid.uuid4().hex}"
        try:
            proc = subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless", "--norestore", "--nolockcheck",
                    "--convert-to", "pdf:writer_pdf_Export",
                    "--outdir", str(work_dir),
                    str(docx.resolve()),
                ],
                capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
            )
        except subprocess.TimeoutExpired:
            raise ConversionFailed(f"LibreOffice 转换超时（{TIMEOUT_SECONDS} 秒）：{docx}") from None
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        produced = work_dir / (docx.stem + ".pdf")
        if proc.returncode != 0 or not produced.is_file():
            detail = (proc.stderr or proc.stdout or "").strip()[-300:]
            raise ConversionFailed(f"LibreOffice 未能把 {docx.name} 转为 PDF（退出码 {proc.returncode}）：{detail}")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced), str(pdf))


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
