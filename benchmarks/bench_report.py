"""Report writing speed: the seed's .docx in process (goal < 100 ms), and a batch of 1,000 .docx.

The .docx timing is docxtpl render + save, with the 自评表 table, without charts
(matplotlib adds its own cost, measured separately). Peak memory is printed at
three points of the batch: it must not grow with the number of reports.
"""

from __future__ import annotations

import gc
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import measure, peak_rss_mib, report
from jixiao.core.evaluate import Result, evaluate
from jixiao.io.inputs import read_input
from jixiao.io.rules_file import load_rules
from jixiao.report.charts import budget_chart_png, indicator_chart_png
from jixiao.report.docx import render_docx
from jixiao.report.table_xlsx import write_table_xlsx
from jixiao.report.textual import render_html, render_markdown
from jixiao.report.write import write_report

SEED = Path(__file__).parents[1] / "examples" / "xinshi-commerce-2024.yaml"
BATCH = 1000


def main() -> None:
    result = evaluate(read_input(SEED), load_rules())
    ev, card = result.evaluation, result.scorecard

    def docx_in_memory() -> None:
        render_docx(ev, card, io.BytesIO(), charts=False)

    # The batch first, so that its memory figures are its own.
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as work:
        out_dir = Path(work)
        write_report(result, out_dir / "warmup.docx", charts=False)
        started = time.perf_counter()
        marks = []
        for i in range(BATCH):
            write_report(result, out_dir / f"report-{i % 50}.docx", charts=False)  # files rotate: disk stays small
            if (i + 1) % 50 == 0:
                gc.collect()  # as `jixiao report` does in a batch: documents are reference cycles
            if i + 1 in (BATCH // 10, BATCH // 2, BATCH):
                marks.append((i + 1, current_rss_mib(), peak_rss_mib()))
        elapsed = time.perf_counter() - started
    print(f"batch of {BATCH} .docx to disk (no charts): {elapsed:.1f} s, {BATCH / elapsed:.1f} reports/s")
    print("RSS now / peak after " + ", ".join(f"{n} reports: {now:.0f} / {peak:.0f} MiB" for n, now, peak in marks))

    report("seed .docx (render + save, no charts)", measure(docx_in_memory, seconds=5, warmup=3), "goal p50 < 100 ms")
    report("seed .docx with both charts", measure(lambda: render_docx(ev, card, io.BytesIO()), seconds=5, warmup=2))
    report("  of which the two charts", measure(lambda: (budget_chart_png(ev, card), indicator_chart_png(ev, card)), seconds=3, warmup=1))
    report("seed 自评表 .xlsx", measure(lambda: write_table_xlsx(ev, card, io.BytesIO()), seconds=3, warmup=3))
    report("seed .html (charts inline)", measure(lambda: render_html(ev, card), seconds=3, warmup=2))
    report("seed .md", measure(lambda: render_markdown(ev, card), seconds=2, warmup=5))
    pdf_timings(result)


def pdf_timings(result: Result) -> None:
    """LibreOffice: one report, and 20 reports in one run (as `jixiao report DIR -f pdf` does)."""
    from jixiao.report.pdf import ConverterMissing, docx_to_pdf_many

    with tempfile.TemporaryDirectory(prefix="jixiao-bench-pdf-") as work:
        folder = Path(work)
        docx = folder / "seed.docx"
        write_report(result, docx, charts=False)
        try:
            started = time.perf_counter()
            docx_to_pdf_many([(docx, folder / "seed.pdf")])
            single = time.perf_counter() - started
            pairs = [(docx, folder / f"seed-{i}.pdf") for i in range(20)]
            started = time.perf_counter()
            docx_to_pdf_many(pairs)
            chunk = time.perf_counter() - started
        except ConverterMissing as exc:
            print(f"PDF: skipped ({exc})")
            return
    print(f"seed .pdf via LibreOffice: {single:.2f} s alone; 20 in one run {chunk:.2f} s ({chunk / 20:.2f} s each)")


def current_rss_mib() -> float:
    """Resident memory now (Linux), to show it levels off rather than grows with the batch."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
    except OSError:
        return float("nan")

if __name__ == "__main__":
    main()
