"""Report audits per second (goal ≥ 200/s for seed-sized text on this 2-core machine) and the seed PDF's
audit time (goal < 0.5 s), with latency and peak memory.

Measures: the audit in-process (read file → findings), one whole-CLI batch over many files (process start,
imports, progress, JSON output included) at two batch sizes to show memory does not grow with the batch,
and PDF text extraction with pypdfium2 against pypdf on the same PDF.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import measure, peak_rss_mib, report
from jixiao.audit import audit_document
from jixiao.audit.output import document_json
from jixiao.io.rules_file import load_rules

ROOT = Path(__file__).parents[1]
SEED = ROOT / "tests" / "audit" / "data" / "seed.txt"


def make_pdf(folder: Path) -> Path | None:
    """The seed as Word, then PDF through LibreOffice (as the tests make it)."""
    from docx import Document

    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not installed: PDF measurements skipped")
        return None
    document = Document()
    for line in SEED.read_text("utf-8").splitlines():
        document.add_paragraph(line)
    docx = folder / "seed.docx"
    document.save(str(docx))
    profile = folder / f"lo-{uuid.uuid4().hex}"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
        check=True, capture_output=True, timeout=180,
    )
    return folder / "seed.pdf"


def pdf_extractors(pdf: Path) -> None:
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    def with_pdfium() -> str:
        doc = pdfium.PdfDocument(str(pdf))
        try:
            return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        finally:
            doc.close()

    def with_pypdf() -> str:
        return "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)

    for name, func in (("pypdfium2", with_pdfium), ("pypdf", with_pypdf)):
        text = func()
        cjk_ok = "乌鲁木齐高新技术产业开发区" in text.replace("\n", "").replace(" ", "")
        report(f"PDF text, {name} (CJK read: {cjk_ok})", measure(func, seconds=2.0, warmup=2))


def cli_batch(folder: Path, count: int) -> None:
    batch = folder / f"batch{count}"
    batch.mkdir()
    raw = SEED.read_bytes()
    for i in range(count):
        (batch / f"report-{i:04d}.txt").write_bytes(raw)
    out = folder / f"out{count}.json"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "audit", str(batch), "--format", "json", "-o", str(out)],
        capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert done.returncode == 1, done.stderr  # the seed has errors
    print(
        f"{'whole CLI, ' + str(count) + ' text reports':<44} {count / elapsed:>9.0f}/s  total {elapsed:.2f} s"
        f"  child peak RSS {max(peak, before) / 1024:.1f} MiB  goal ≥ 200/s",
        flush=True,
    )


def generated_pdf(folder: Path) -> Path | None:
    """The rural-roads example's finished report (with its 自评表) as PDF, through LibreOffice."""
    from jixiao.core.evaluate import evaluate
    from jixiao.io.inputs import read_input
    from jixiao.report.pdf import docx_to_pdf_many
    from jixiao.report.write import write_report

    if shutil.which("soffice") is None:
        return None
    docx = folder / "report.docx"
    write_report(evaluate(read_input(ROOT / "examples" / "rural-roads-project-2024.yaml"), load_rules()), docx, charts=False)
    failed = docx_to_pdf_many([(docx, folder / "report.pdf")])
    return None if failed else folder / "report.pdf"


def ocr_page(pdf: Path) -> None:
    """One scanned page (the 自评表 page rendered at 200 dpi): wall time and tesseract's CPU time."""
    import pypdfium2 as pdfium

    from jixiao.audit import ocr

    if shutil.which("tesseract") is None:
        print("tesseract not installed: OCR measurement skipped")
        return
    document = pdfium.PdfDocument(str(pdf))
    try:
        for index, what in ((len(document) - 1, "自评表 page"), (1, "prose page")):
            image, scale = ocr.render(document[index])
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            lines = ocr.read_image(image, scale)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            print(f"{'OCR one ' + what + ' (200 dpi)':<44} {wall:>9.2f} s wall  tesseract CPU {cpu:.2f} s"
                  f"  {len(lines)} lines  goal < 3 s", flush=True)
    finally:
        document.close()


def main() -> None:
    rules = load_rules()
    report("audit in-process, seed .txt (read→findings)", measure(lambda: audit_document(SEED, rules)), "goal ≥ 200/s")
    report("  + JSON document", measure(lambda: document_json(audit_document(SEED, rules))))
    before = peak_rss_mib()
    for _ in range(2000):
        document_json(audit_document(SEED, rules))
    print(f"peak RSS {peak_rss_mib():.1f} MiB (before 2,000 more audits: {before:.1f} MiB)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cli_batch(folder, 200)
        cli_batch(folder, 1000)
        pdf = make_pdf(folder)
        if pdf is not None:
            pdf_extractors(pdf)
            report("audit seed PDF in-process", measure(lambda: audit_document(pdf, rules), seconds=2.0), "goal < 500 ms")
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "jixiao", "audit", str(pdf), "--format", "json"], capture_output=True, check=False)
            print(f"{'whole CLI, seed PDF':<44} {time.perf_counter() - started:.3f} s  goal < 0.5 s")
        report_pdf = generated_pdf(folder)
        if report_pdf is not None:
            report("audit generated report PDF (自评表) in-process", measure(lambda: audit_document(report_pdf, rules), seconds=2.0),
                   "goal < 500 ms")
            ocr_page(report_pdf)


if __name__ == "__main__":
    main()
