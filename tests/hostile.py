"""The hostile-file set, made in the test run (small and quick to produce): each file is what a careless
user or an attacker could upload or pass to the CLI. Tests across the suite use them; every one must
be refused with a Chinese message, in bounded time and memory, without changing anything saved."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
from hypothesis import strategies as st

# Numbers as a careless user or an attacker types them: odd digits (², ٣ Arabic-Indic, full-width),
# sizes no budget has (5,000 digits, 1e999999999, a 1e30 weight), and what Decimal reads but no form means.
HOSTILE_NUMBERS = ["²", "٣", "٢٠٢٥", "１２", "３.５", "1e999999999", "9" * 5000, "1e30", "-1e30", "NaN", "nan",
                   "Infinity", "-Infinity", "-0", "0", "1e-30", "1_000", "0x10", "1,000", "12万元", "", " ", "85.5"]

hostile_numbers = st.one_of(
    st.sampled_from(HOSTILE_NUMBERS),
    st.text(alphabet="0123456789.eE+-²٣１ _x,", max_size=40),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**60), max_value=10**60).map(str),
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)


def far_cell_xlsx(base: bytes | None = None, sheet: str = "自评表", cell: str = "XFD1048576") -> bytes:
    """A workbook (the given one, or a one-cell form) with one value in the last cell Excel allows."""
    if base is None:
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = sheet
        ws["A1"] = "三级指标"
    else:
        wb = openpyxl.load_workbook(io.BytesIO(base))
        ws = wb[sheet]
    ws[cell] = "远处的一个值"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def unpacking_bomb_xlsx(megabytes: int = 160) -> bytes:
    """A valid-looking workbook whose shared strings unpack to `megabytes` MB from a file of a few hundred KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                         '<sheets><sheet name="自评表" sheetId="1"/></sheets></workbook>')
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
        chunk = b"<si><t>a</t></si>" * (1024 * 1024 // 17)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b"<sst>")
            for _ in range(megabytes):
                member.write(chunk)
            member.write(b"</sst>")
    return out.getvalue()


def write(path: Path, body: bytes) -> Path:
    path.write_bytes(body)
    return path


# Runs `jixiao ARGS` in a fresh process under a memory measurement (its peak RSS printed to stderr on exit).
# The peak is reset first: ru_maxrss survives fork and exec, so a child of a large test worker would
# report the worker's.
MEASURED = (
    "import re, sys\nopen('/proc/self/clear_refs', 'w').write('5')\n"
    "from jixiao.cli.app import main\nsys.argv = ['jixiao', *sys.argv[1:]]\n"
    "try:\n    main()\nfinally:\n"
    "    hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
    "    print('PEAK_RSS_KB', hwm, file=sys.stderr)\n"
)


def run_measured(*args: str | Path, timeout: float = 120) -> tuple[subprocess.CompletedProcess[str], int]:
    """The CLI run in its own process, and its own peak RSS in KB."""
    run = subprocess.run([sys.executable, "-c", MEASURED, *map(str, args)], capture_output=True, text=True,
                         timeout=timeout, env={"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"})
    return run, int(run.stderr.rsplit("PEAK_RSS_KB", 1)[-1].split()[0])
