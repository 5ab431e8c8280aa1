"""A department's self-evaluation reports for a year as PDFs in one .zip (a background job).

Each report comes from the report writer with the year's template (`services.document_bytes`, as the
download button), as .docx; LibreOffice then converts them a few at a time in one run each (its
start-up is most of the cost), so progress moves and memory stays small. Any report that cannot be
converted fails the job, naming it: a bureau sending the archive on must not miss one silently.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

from jixiao.web.desk.jobs import JobFailed, Progress, job_dir, write_result
from jixiao.web.desk.models import Job
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import Evaluation

CONVERT_AT_ONCE = 8
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_file_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip(" .")[:120] or "报告"


def evaluations_of(job: Job, year: int) -> list[Evaluation]:
    return list(Evaluation.objects.filter(department_id=job.department_id, year=year, deleted_at__isnull=True)
                .select_related("unit").order_by("unit__name", "kind", "project", "id"))


def run(job: Job, progress: Progress) -> None:
    from jixiao.report.pdf import ConverterMissing, docx_to_pdf_many

    if job.department_id is None or job.year is None:
        raise JobFailed("需要选择主管部门和年度。")
    evaluations = evaluations_of(job, job.year)
    total = len(evaluations)
    if not total:
        raise JobFailed(f"该部门 {job.year} 年度没有自评，无可打包的报告。")
    folder = job_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".work-", dir=folder) as work:
        pairs: list[tuple[Path, Path, str]] = []
        used: set[str] = set()
        for i, evaluation in enumerate(evaluations, start=1):
            version = evaluation.versions.get(number=evaluation.current_version)
            docx = Path(work) / f"{i:04d}.docx"
            try:
                docx.write_bytes(services.document_bytes(evaluation, version, "docx"))
            except services.DocumentUnavailable as error:
                raise JobFailed(f"“{evaluation.heading}”的报告无法生成：{error}") from None
            name = safe_file_name(f"{evaluation.unit.name}-{evaluation.title}-第{version.number}版")
            while f"{name}.pdf" in used:
                name += "-1"
            used.add(f"{name}.pdf")
            pairs.append((docx, docx.with_suffix(".pdf"), f"{name}.pdf"))
        for start in range(0, total, CONVERT_AT_ONCE):
            chunk = pairs[start : start + CONVERT_AT_ONCE]
            progress.step(start, total, f"正在转换第 {start + 1}–{start + len(chunk)}/{total} 份为 PDF")
            try:
                failed = docx_to_pdf_many([(docx, pdf) for docx, pdf, _ in chunk])
            except ConverterMissing as error:
                raise JobFailed(str(error)) from None
            if failed:
                names = "、".join(name for docx, _, name in chunk if docx in {f for f, _ in failed})
                raise JobFailed(f"以下报告未能转为 PDF：{names}（{failed[0][1]}）")
        progress.step(total, total, f"正在打包 {total} 份 PDF")

        def write(path: Path) -> None:
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for _, pdf, name in pairs:
                    archive.write(pdf, name)

        department = job.department.name if job.department else ""
        write_result(job, safe_file_name(f"{job.year}年-{department}-自评报告PDF（{total}份）") + ".zip", write)
