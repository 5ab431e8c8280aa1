"""The auditor's speed goals (issue 8), each measured number printed beside its goal.

Goals: text reports ≥ 200/s through the whole CLI (aim 1,000/s), one and two jobs; the seed as PDF
< 0.5 s through the whole CLI; an OCR'd page < 3 s; `jixiao --help` ≤ 0.15 s; memory flat with the
size of a batch. This machine has 2 cores shared with other work, so every line also gives the load
average while it ran and the CPU time (user + system, the process and its children), which load
inflates far less than wall time. Start-up is measured as an installed jixiao runs: with compiled
bytecode (pip writes it at install; a PYTHONDONTWRITEBYTECODE in the environment would make every
start recompile the sources), kept in a temporary PYTHONPYCACHEPREFIX warmed by a first run (the
compiled regular expressions of `jixiao.cli.regex_cache` and the help `jixiao.cli.launch` keeps are there too,
warmed the same way).

Also: the audit in-process (read file → findings), the floor a text report cannot go below (read
the file and one regex pass), and PDF text extraction with pypdfium2 against pypdf on the same PDF.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import measure, peak_rss_mib, report
from jixiao.audit import audit_document
from jixiao.audit.output import document_json
from jixiao.io.rules_file import load_rules

ROOT = Path(__file__).parents[1]
SEED = ROOT / "tests" / "audit" / "data" / "seed.txt"
REAL = sorted((ROOT / "tests" / "audit" / "data" / "real-reports").glob("*.txt")) + sorted(
    (ROOT / "tests" / "audit" / "data" / "field").glob("*.txt"))
JIXIAO = [sys.executable, "-m", "jixiao"]


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


@dataclass
class Run:
    wall: float  # seconds, best of the runs
    wall_median: float
    cpu: float  # user + system seconds, the least of the runs (load inflates it least)
    rss_mib: float  # the child's peak resident memory
    code: int


def run_cli(args: list[str], env: dict[str, str], repeat: int = 1) -> Run:
    """The whole command as a user runs it, `repeat` times: best and median wall, least CPU."""
    walls: list[tuple[float, float, float, int]] = []
    for _ in range(repeat):
        # os.wait4 gives this one child's usage (RUSAGE_CHILDREN's maxrss is the largest child so far).
        with tempfile.TemporaryFile() as errors:
            started = time.perf_counter()
            child = subprocess.Popen([*JIXIAO, *args], stdout=subprocess.DEVNULL, stderr=errors, env=env)
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - started
            code = os.waitstatus_to_exitcode(status)
            child.returncode = code
            if code not in (0, 1):  # 1: findings with errors (the seed has some)
                errors.seek(0)
                raise RuntimeError(f"{' '.join(args)}: exit {code}: {errors.read().decode(errors='replace')}")
        walls.append((wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code))
    best = min(walls)
    return Run(best[0], statistics.median(w[0] for w in walls), min(w[1] for w in walls), best[2], best[3])


def goal_line(name: str, measured: str, goal: str, met: bool, extra: str = "") -> None:
    print(f"{name:<46} {measured:>12}  goal {goal:<9} {'met' if met else 'NOT MET':<8} {extra}", flush=True)


def child_env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    env.pop("COLUMNS", None)
    return env


def startup(env: dict[str, str]) -> None:
    run_cli(["--help"], env)  # compiles the bytecode, keeps the compiled patterns and the formatted help (cli/launch.py)
    help_run = run_cli(["--help"], env, repeat=10)
    goal_line("`jixiao --help`", f"{help_run.wall:.3f} s", "≤ 0.15 s", help_run.wall <= 0.15,
              f"median {help_run.wall_median:.3f} s, CPU {help_run.cpu:.3f} s, {load()}")
    bare = bare_python(env)
    print(f"{'  (a bare `python -c pass` on this machine now)':<46} {bare.wall:>10.3f} s  CPU {bare.cpu:.3f} s, {load()}",
          flush=True)


def bare_python(env: dict[str, str], repeat: int = 10) -> Run:
    """What no command can go below: the interpreter starting and stopping, at the same load."""
    runs: list[tuple[float, float]] = []
    for _ in range(repeat):
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", "pass"], env=env)
        _, _, usage = os.wait4(child.pid, 0)
        runs.append((time.perf_counter() - started, usage.ru_utime + usage.ru_stime))
    return Run(min(runs)[0], statistics.median(r[0] for r in runs), min(r[1] for r in runs), 0.0, 0)


def batch(folder: Path, sources: list[Path], count: int, name: str, env: dict[str, str], jobs: int) -> Run:
    batch_dir = folder / f"{name}-{count}"
    if not batch_dir.exists():
        batch_dir.mkdir()
        for i in range(count):
            source = sources[i % len(sources)]
            shutil.copyfile(source, batch_dir / f"{i:05d}-{source.name}")
    out = folder / f"out-{name}-{count}.json"
    done = run_cli(["audit", str(batch_dir), "--format", "json", "-o", str(out), "-j", str(jobs)], env)
    per_second = count / done.wall
    goal_line(f"whole CLI, {count} {name}, -j{jobs}", f"{per_second:.0f}/s", "≥ 200/s", per_second >= 200,
              f"{done.wall:.2f} s, CPU {done.cpu:.2f} s ({done.cpu / count * 1000:.1f} ms/doc), "
              f"peak RSS {done.rss_mib:.0f} MiB, {load()}")
    return done


def floor(sources: list[Path]) -> None:
    """Reading a report and one regex pass over it: what no reader can go below."""
    pattern = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|%|分)")

    def once() -> None:
        for path in sources:
            pattern.findall(path.read_bytes().decode("utf-8"))

    stats = measure(once, seconds=2.0, warmup=3)
    print(f"{'floor: read + one regex pass (per document)':<46} {stats['per_second'] * len(sources):>10.0f}/s", flush=True)


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


def pdf_pages(pdf: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


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


def scanned(pdf: Path, index: int, out: Path, dpi: int = 200) -> Path:
    """One page as a scan holds it: a picture only, no text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        image = document[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    image.save(out, "PDF", resolution=dpi)
    return out


def ocr_pages(pdf: Path, folder: Path, env: dict[str, str]) -> None:
    """One scanned page (the 自评表 page and a prose page): in-process OCR with tesseract's CPU time, and
    the whole CLI auditing a one-page scan."""
    import pypdfium2 as pdfium

    from jixiao.audit import ocr

    if shutil.which("tesseract") is None:
        print("tesseract not installed: OCR measurement skipped")
        return
    document = pdfium.PdfDocument(str(pdf))
    pages = ((len(document) - 1, "自评表 page"), (1, "prose page"))
    try:
        for index, what in pages:
            image, scale = ocr.render(document[index])
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            own = time.process_time()
            started = time.perf_counter()
            lines = ocr.read_image(image, scale)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            goal_line(f"OCR one {what} (200 dpi), in-process", f"{wall:.2f} s", "< 3 s", wall < 3,
                      f"CPU: tesseract {cpu:.2f} s + jixiao {time.process_time() - own:.2f} s, {len(lines)} lines, {load()}")
    finally:
        document.close()
    for index, what in pages:
        scan = scanned(pdf, index, folder / f"scan-{index}.pdf")
        done = run_cli(["audit", str(scan), "--format", "json"], env)
        goal_line(f"whole CLI, scanned {what}", f"{done.wall:.2f} s", "< 3 s", done.wall < 3,
                  f"CPU {done.cpu:.2f} s (with tesseract), peak RSS {done.rss_mib:.0f} MiB, {load()}")


def in_process(rules: object) -> None:
    report("audit in-process, seed .txt (read→findings)", measure(lambda: audit_document(SEED, rules)))  # type: ignore[arg-type]
    report("  + JSON document", measure(lambda: document_json(audit_document(SEED, rules))))  # type: ignore[arg-type]
    before = peak_rss_mib()
    for _ in range(1000):
        document_json(audit_document(SEED, rules))  # type: ignore[arg-type]
    print(f"peak RSS in-process {peak_rss_mib():.1f} MiB (before 1,000 more audits: {before:.1f} MiB)", flush=True)


def main() -> None:
    rules = load_rules()
    print(f"{os.cpu_count()} CPUs, {load()} at start", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = child_env(folder / "pycache")
        startup(env)
        floor([SEED])
        run_cli(["audit", str(SEED), "--format", "json"], env)  # bytecode of the auditor
        one = run_cli(["audit", str(SEED), "--format", "json"], env, repeat=5)
        print(f"{'whole CLI, one seed .txt':<46} {one.wall:>10.3f} s  median {one.wall_median:.3f} s, CPU {one.cpu:.3f} s, {load()}")
        small = batch(folder, [SEED], 200, "seed copies", env, 1)
        large = batch(folder, [SEED], 1000, "seed copies", env, 1)
        print(f"memory with the batch: {small.rss_mib:.0f} MiB for 200, {large.rss_mib:.0f} MiB for 1,000 (flat: streamed)")
        batch(folder, [SEED], 1000, "seed copies", env, 2)
        batch(folder, REAL, 1000, "real-report copies", env, 1)
        batch(folder, REAL, 1000, "real-report copies", env, 2)
        pdf = make_pdf(folder)
        if pdf is not None:
            pdf_extractors(pdf)
            report("audit seed PDF in-process", measure(lambda: audit_document(pdf, rules), seconds=2.0, warmup=2), "goal < 500 ms")
            run_cli(["audit", str(pdf), "--format", "json"], env)
            done = run_cli(["audit", str(pdf), "--format", "json"], env, repeat=5)
            goal_line(f"whole CLI, seed PDF ({pdf_pages(pdf)} pages)", f"{done.wall:.3f} s", "< 0.5 s", done.wall < 0.5,
                      f"median {done.wall_median:.3f} s, CPU {done.cpu:.3f} s, {load()}")
        report_pdf = generated_pdf(folder)
        if report_pdf is not None:
            report("audit generated report PDF (自评表) in-process", measure(lambda: audit_document(report_pdf, rules), seconds=2.0, warmup=2),
                   "goal < 500 ms")
            ocr_pages(report_pdf, folder, env)
        in_process(rules)
    print(f"{load()} at the end", flush=True)


if __name__ == "__main__":
    main()
