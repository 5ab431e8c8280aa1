"""Batch audit in the browser: many report files (or a .zip of them), each audited by `jixiao audit`'s
engine in the background and attached to its unit.

Uploads are refused whole when they break a limit (count, size, a zip bomb); inside a .zip, members
that are not reports are skipped and listed. Names from the upload or the archive are never used
as paths: each file is stored as `inputs/NNN.<suffix>` under the job's folder, its name kept for
display only (so `../../etc/passwd` in a zip is a label, not a place).

Each report names its unit; the name is matched against the units in the job's scope. An exact
match (after spaces and brackets are normalised) attaches it; anything else waits for a person to
confirm among the candidates.
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet

from jixiao.audit.extract import MAX_DOCX_RATIO, MAX_FILE_BYTES
from jixiao.audit.run import DocumentAudit, audit_document
from jixiao.core.evaluate import evaluate
from jixiao.core.rules import RuleSet
from jixiao.io.errors import InputError
from jixiao.web.desk.jobs import Progress, job_dir, write_result
from jixiao.web.desk.models import BatchDocument, Job, MatchState
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.orgs.models import Organisation, OrgKind

DOCUMENT_SUFFIXES = (".pdf", ".docx", ".txt", ".md", ".xlsx")
UPLOAD_SUFFIXES = (*DOCUMENT_SUFFIXES, ".zip")
MAX_DOCUMENTS = 200  # reports in one batch, after unpacking archives
MAX_BATCH_BYTES = 300 * 1024 * 1024  # all reports of a batch, unpacked
MAX_ZIP_MEMBERS = 2000  # entries listed in one archive (folders and skipped files included)
CHUNK = 1024 * 1024
CANDIDATES = 3


class UploadRefused(Exception):
    """The upload as a whole breaks a limit; the message is Chinese."""


@dataclass
class Staged:
    """Uploaded reports written to a private folder, waiting to become a job's inputs."""

    folder: Path
    items: list[tuple[str, str, int]] = field(default_factory=list)  # (display name, stored name, bytes)
    skipped: list[str] = field(default_factory=list)
    total: int = 0

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def display_name(name: str) -> str:
    """A member's last path part, without control characters: for showing, never for opening."""
    base = PurePosixPath(name.replace("\\", "/")).name
    return "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")[:200] or "未命名"


def _member_name(info: zipfile.ZipInfo) -> str:
    """Archives made on Chinese Windows store GBK names without the UTF-8 flag; zipfile reads them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _copy_bounded(source: IO[bytes], target: Path, limit: int, name: str) -> int:
    """Copy at most `limit` bytes; more means the header lied about the size (or the file is too large)."""
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise UploadRefused(f"“{name}”超过 {limit // 1024 // 1024} MB 上限，已拒绝整批上传")
            out.write(chunk)
    return written


class _Stager:
    def __init__(self) -> None:
        root = Path(settings.JOBS_DIR)
        root.mkdir(parents=True, exist_ok=True)
        self.staged = Staged(Path(tempfile.mkdtemp(prefix=".incoming-", dir=root)))

    def _room(self) -> int:
        if len(self.staged.items) >= MAX_DOCUMENTS:
            raise UploadRefused(f"一批最多 {MAX_DOCUMENTS} 份报告，请分批上传")
        return min(MAX_FILE_BYTES, MAX_BATCH_BYTES - self.staged.total)

    def add(self, name: str, source: IO[bytes]) -> None:
        room = self._room()
        stored = f"{len(self.staged.items) + 1:04d}{Path(name).suffix.lower()}"
        size = _copy_bounded(source, self.staged.folder / stored, room, name)
        if size == 0:
            (self.staged.folder / stored).unlink()
            self.staged.skipped.append(f"{name}（空文件）")
            return
        self.staged.total += size
        self.staged.items.append((name, stored, size))

    def add_zip(self, name: str, upload: IO[bytes]) -> None:
        try:
            archive = zipfile.ZipFile(upload)
        except (zipfile.BadZipFile, OSError):
            raise UploadRefused(f"“{name}”不是有效的 zip 压缩包（可能已损坏）") from None
        with archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise UploadRefused(f"“{name}”含 {len(members)} 个条目，超过上限 {MAX_ZIP_MEMBERS}，已拒绝")
            declared = sum(m.file_size for m in members if not m.is_dir())
            packed = sum(m.compress_size for m in members) or 1
            if declared > MAX_BATCH_BYTES or (declared > 10 * 1024 * 1024 and declared / packed > MAX_DOCX_RATIO):
                raise UploadRefused(f"“{name}”解压后达 {declared // 1024 // 1024} MB（压缩比 {declared // packed}:1），"
                                    "疑为压缩炸弹，已拒绝")
            for info in members:
                member = _member_name(info)
                shown = display_name(member)
                parts = PurePosixPath(member.replace("\\", "/")).parts
                if info.is_dir() or any((p.startswith(".") and p not in (".", "..")) or p == "__MACOSX" for p in parts):
                    continue
                if info.flag_bits & 0x1:
                    self.staged.skipped.append(f"{shown}（已加密）")
                    continue
                suffix = Path(shown).suffix.lower()
                if suffix == ".zip":
                    self.staged.skipped.append(f"{shown}（压缩包中的压缩包，请解开后上传）")
                    continue
                if suffix not in DOCUMENT_SUFFIXES:
                    self.staged.skipped.append(f"{shown}（不支持的文件类型）")
                    continue
                try:
                    with archive.open(info) as source:
                        self.add(shown, source)
                except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, NotImplementedError):
                    self.staged.skipped.append(f"{shown}（压缩包内该文件已损坏）")


def stage_uploads(files: Iterable[UploadedFile]) -> Staged:
    """Check and store an upload; raise UploadRefused (and keep nothing) when it breaks a limit."""
    stager = _Stager()
    try:
        for upload in files:
            name = display_name(upload.name or "")
            suffix = Path(name).suffix.lower()
            if suffix not in UPLOAD_SUFFIXES:
                stager.staged.skipped.append(f"{name}（不支持的文件类型，支持 {'、'.join(UPLOAD_SUFFIXES)}）")
                continue
            if suffix == ".zip":
                stager.add_zip(name, upload)
            else:
                stager.add(name, upload)
        if not stager.staged.items:
            raise UploadRefused("没有可审查的报告文件（支持 .pdf、.docx、.txt、.md、.xlsx 或它们的 .zip）"
                                + ("：" + "；".join(stager.staged.skipped[:5]) if stager.staged.skipped else ""))
    except BaseException:
        stager.staged.discard()
        raise
    return stager.staged


def attach_staged(job: Job, staged: Staged) -> None:
    """Move the staged files into the job's folder and create its document rows (inside start_job's transaction)."""
    inputs = job_dir(job) / "inputs"
    inputs.parent.mkdir(parents=True, exist_ok=True)
    staged.folder.rename(inputs)
    BatchDocument.objects.bulk_create(
        BatchDocument(job=job, position=i, name=name, stored=stored, size=size)
        for i, (name, stored, size) in enumerate(staged.items, start=1)
    )


# ---- matching a report to its unit ---------------------------------------------------------------

_NOISE = re.compile(r"[\s()（）【】\[\]《》〈〉“”\"'‘’·•・,，.。、:：;；_\-—]+")


def normalise_name(name: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", name)).lower()


@dataclass(frozen=True, slots=True)
class Match:
    unit: Organisation | None
    state: MatchState
    candidates: list[dict[str, Any]]


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    if len(a) >= 4 and len(b) >= 4 and (a in b or b in a):
        ratio = max(ratio, 0.6 + 0.4 * min(len(a), len(b)) / max(len(a), len(b)))
    return ratio


def match_unit(stated: str, file_name: str, units: list[Organisation]) -> Match:
    """The unit a report is about: exact (normalised) name → matched; otherwise candidates to confirm."""
    wanted = normalise_name(stated)
    if wanted:
        exact = [u for u in units if normalise_name(u.name) == wanted]
        if len(exact) == 1:
            return Match(exact[0], MatchState.MATCHED, [{"id": exact[0].pk, "name": exact[0].name, "score": 100}])
    clue = wanted or normalise_name(Path(file_name).stem)
    scored = sorted(((_similarity(clue, normalise_name(u.name)), u) for u in units), key=lambda su: (-su[0], su[1].pk))
    candidates = [{"id": u.pk, "name": u.name, "score": round(s * 100)} for s, u in scored[:CANDIDATES] if s >= 0.4]
    if not candidates:
        return Match(None, MatchState.NONE, [])
    best = next(u for s, u in scored if u.pk == candidates[0]["id"])
    return Match(best, MatchState.UNSURE, candidates)


def scope_units(job: Job) -> QuerySet[Organisation]:
    units = Organisation.objects.filter(kind=OrgKind.UNIT)
    return units.filter(department_id=job.department_id) if job.department_id else units


def confirm_unit(user: User, document: BatchDocument, unit: Organisation | None) -> None:
    """A person's choice for an unsure (or wrong) match: a unit within the job's scope, or none."""
    if unit is not None and not scope_units(document.job).filter(pk=unit.pk).exists():
        raise ValueError("该单位不在本任务的范围内")
    document.unit = unit
    document.match = MatchState.CONFIRMED if unit is not None else MatchState.NONE
    document.confirmed_by = user
    document.save(update_fields=["unit", "match", "confirmed_by"])


# ---- auditing --------------------------------------------------------------------------------

def audit_upload(path: Path, rules: RuleSet) -> DocumentAudit:
    """A report (.pdf/.docx/.txt/.md) through `jixiao audit`'s engine; a 自评表 (.xlsx) through the same
    scoring engine and checks, read back by the table reader."""
    if path.suffix.lower() != ".xlsx":
        return audit_document(path, rules)
    from jixiao.report.xlsx_reader import read_table_xlsx

    try:
        model = read_table_xlsx(path)
    except InputError as error:
        return DocumentAudit(str(path), error=error, kind="xlsx")
    result = evaluate(model, rules)
    card = result.scorecard
    facts = {"unit_name": model.unit.name, "year": model.year, "kind": model.kind.value,
             "total_score": model.stated.total_score, "grade": model.stated.grade.value if model.stated.grade else None}
    computed = {"execution_score": card.execution_score, "indicator_total": card.indicator_total,
                "total_score": card.total_score, "grade": card.grade.value, "rules": card.rules_name}
    return DocumentAudit(str(path), facts=facts, findings=list(result.findings), result=result, kind="xlsx",
                         computed=computed)


def _text(value: Any) -> str:
    from jixiao.core.money import fmt

    if value is None:
        return ""
    return fmt(value) if not isinstance(value, str) else value


def record_audit(document: BatchDocument, audit: DocumentAudit, units: list[Organisation]) -> None:
    from jixiao.audit.output import finding_json
    from jixiao.core.summary import plain

    facts = audit.facts or {}
    computed = audit.computed or {}
    document.audited = True
    document.read_error = "；".join(p.message for p in audit.error.problems) if audit.error else ""
    document.stated_unit = str(facts.get("unit_name") or "")[:300]
    year = facts.get("year")
    document.stated_year = year if isinstance(year, int) else None
    document.stated_kind = str(facts.get("kind") or "")[:20]
    document.stated_total = _text(facts.get("total_score"))[:20]
    document.stated_grade = str(facts.get("grade") or "")[:2]
    document.computed_total = _text(computed.get("total_score"))[:20]
    document.computed_grade = str(computed.get("grade") or "")[:2]
    document.errors, document.warnings, document.infos = audit.errors, audit.warnings, audit.infos
    document.findings = plain([finding_json(f) for f in audit.findings])
    if document.match != MatchState.CONFIRMED:  # a person's choice outlives a re-run
        match = match_unit(document.stated_unit, document.name, units)
        document.unit, document.match, document.candidates = match.unit, match.state, match.candidates
    document.save()


def _documents(job: Job) -> Iterator[tuple[BatchDocument, Path]]:
    inputs = job_dir(job) / "inputs"
    for document in job.documents.order_by("position"):
        yield document, inputs / document.stored


def run(job: Job, progress: Progress) -> None:
    """Audit every document of the batch (n of m), match it to its unit, and publish 审查结果.xlsx."""
    from jixiao.audit.output import XlsxWriter
    from jixiao.web.evaluations.services import rules_for, rules_name_for

    rules = rules_for(rules_name_for(job.year or 0)) if job.year else rules_for("national")
    units = list(scope_units(job))
    total = job.documents.count()

    def write(path: Path) -> None:
        writer = XlsxWriter(path)
        for done, (document, stored) in enumerate(_documents(job), start=1):
            progress.step(done - 1, total, f"正在审查第 {done}/{total} 份：{document.name}")
            audit = audit_upload(stored, rules)
            record_audit(document, audit, units)
            writer.write(replace(audit.slim(), path=document.name))
        writer.finish()
        progress.step(total, total, f"已审查 {total} 份报告")

    write_result(job, f"批量审查结果（任务{job.pk}，{total}份）.xlsx", write)


# ---- beside the unit's evaluation --------------------------------------------------------------

def audits_for(evaluation: Evaluation, user: User) -> list[BatchDocument]:
    """The batch audits attached to this evaluation's unit and year that the user may see on the desk."""
    from jixiao.web.desk.jobs import visible_jobs

    attached = Q(match__in=[MatchState.MATCHED, MatchState.CONFIRMED], unit_id=evaluation.unit_id, audited=True)
    same_year = Q(stated_year=evaluation.year) | Q(stated_year__isnull=True, job__year=evaluation.year)
    same_kind = Q(stated_kind=evaluation.kind) | Q(stated_kind="")
    return list(BatchDocument.objects.filter(attached & same_year & same_kind, job__in=visible_jobs(user))
                .select_related("job").order_by("-job__created_at", "position")[:5])
