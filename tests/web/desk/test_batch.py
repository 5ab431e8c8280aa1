"""Batch audit in the browser's back end: uploads checked whole (counts, sizes, zip bombs, path traversal),
each report audited by the auditor's engine in the worker, matched to its unit (exact, or to confirm), and
its findings shown beside the unit's evaluation — only to those whose desk covers the unit."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.desk import batch
from jixiao.web.desk.models import BatchDocument, Job, JobStatus, MatchState
from jixiao.web.orgs.models import Organisation, OrgKind

from ..conftest import World
from .jobs_support import run_worker

SEED_TEXT = (Path(__file__).parents[2] / "audit" / "data" / "seed.txt").read_text("utf-8")
SEED_UNIT = "乌鲁木齐高新技术产业开发区(乌鲁木齐市新市区)商务局"


def report_for(unit: str) -> bytes:
    return SEED_TEXT.replace(SEED_UNIT, unit, 1).encode("utf-8")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# ---- uploads ------------------------------------------------------------------------------------

def test_zip_member_names_are_labels_never_paths(jobs_dir: Path) -> None:
    staged = batch.stage_uploads([upload("报告.zip", zipped({
        "../../../../etc/cron.d/evil.txt": b"x" * 40, "/abs/path.md": b"y" * 40, "子目录/第一中学.txt": b"z" * 40,
        "__MACOSX/._第一中学.txt": b"junk", "notes.exe": b"MZ", "inner.zip": zipped({"a.txt": b"a"}),
    }))])
    try:
        assert [(name, stored) for name, stored, _ in staged.items] == [
            ("evil.txt", "0001.txt"), ("path.md", "0002.md"), ("第一中学.txt", "0003.txt")]
        assert sorted(p.name for p in staged.folder.iterdir()) == ["0001.txt", "0002.md", "0003.txt"]
        assert staged.folder.parent == jobs_dir and not (jobs_dir.parent / "etc").exists()
        assert any("notes.exe" in s for s in staged.skipped) and any("压缩包中的压缩包" in s for s in staged.skipped)
    finally:
        staged.discard()


def test_gbk_member_names_from_chinese_windows_are_read(jobs_dir: Path) -> None:
    gbk = "第一中学.txt".encode("gbk")
    placeholder = b"abcdefgh.txt"
    assert len(gbk) == len(placeholder)
    raw = zipped({placeholder.decode(): b"a" * 40}).replace(placeholder, gbk)  # as Windows writes it: no UTF-8 flag
    staged = batch.stage_uploads([upload("a.zip", raw)])
    try:
        assert staged.items[0][0] == "第一中学.txt"
    finally:
        staged.discard()


def test_a_zip_bomb_is_refused_whole(jobs_dir: Path) -> None:
    bomb = zipped({"报告.txt": b"0" * (60 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    with pytest.raises(batch.UploadRefused, match="压缩炸弹"):
        batch.stage_uploads([upload("bomb.zip", bomb)])
    assert [p for p in jobs_dir.iterdir()] == []  # nothing kept


def test_a_member_larger_than_it_says_is_refused(jobs_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "MAX_FILE_BYTES", 1000)
    with pytest.raises(batch.UploadRefused, match="超过"):
        batch.stage_uploads([upload("a.txt", b"x" * 1001)])
    assert [p for p in jobs_dir.iterdir()] == []


def test_counts_are_bounded(jobs_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "MAX_DOCUMENTS", 2)
    with pytest.raises(batch.UploadRefused, match="最多 2 份"):
        batch.stage_uploads([upload(f"{i}.txt", b"x" * 40) for i in range(3)])
    monkeypatch.setattr(batch, "MAX_ZIP_MEMBERS", 3)
    with pytest.raises(batch.UploadRefused, match="条目"):
        batch.stage_uploads([upload("a.zip", zipped({f"{i}.txt": b"x" for i in range(4)}))])
    with pytest.raises(batch.UploadRefused, match="没有可审查的报告"):
        batch.stage_uploads([upload("a.exe", b"MZ")])


# ---- matching -----------------------------------------------------------------------------------

def test_matching_a_report_to_its_unit() -> None:
    units = [Organisation(pk=1, name="高新区（新市区）招商服务中心", kind=OrgKind.UNIT),
             Organisation(pk=2, name="新市区第一中学", kind=OrgKind.UNIT),
             Organisation(pk=3, name="新市区实验小学", kind=OrgKind.UNIT)]
    exact = batch.match_unit("高新区(新市区)招商服务中心", "a.pdf", units)
    assert (exact.unit, exact.state) == (units[0], MatchState.MATCHED)
    unsure = batch.match_unit("乌鲁木齐市新市区第一中学", "a.pdf", units)
    assert (unsure.unit, unsure.state) == (units[1], MatchState.UNSURE)
    assert unsure.candidates[0]["name"] == "新市区第一中学"
    by_file = batch.match_unit("", "2024年新市区实验小学自评报告.docx", units)
    assert (by_file.unit, by_file.state) == (units[2], MatchState.UNSURE)
    assert batch.match_unit("某某公司", "x.pdf", units).state == MatchState.NONE


# ---- the whole way through the worker -----------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_batch_audit_attaches_findings_to_the_units_evaluation(world: World, jobs_dir: Path) -> None:
    Organisation.objects.filter(pk=world.unit_a1.pk).update(name=SEED_UNIT)
    world.unit_a1.refresh_from_db()
    evaluation = world.evaluation()
    client = world.client("dept_a")
    archive = zipped({"招商/招商服务中心.txt": report_for("招商服务中心"), "说明.jpg": b"\xff\xd8\xff"})
    response = client.post("/desk/batch/new/", {
        "year": "2024", "department": str(world.dept_a.pk),
        "files": [upload("商务局.txt", SEED_TEXT.encode()), upload("其他.zip", archive),
                  upload("第一中学.txt", report_for("第一中学"))],
    })
    assert response.status_code == 302, response.content.decode()
    job = Job.objects.get(kind="batch_audit")
    assert (job.department, job.year, job.status) == (world.dept_a, 2024, JobStatus.QUEUED)
    assert sorted(p.name for p in (jobs_dir / str(job.pk) / "inputs").iterdir()) == ["0001.txt", "0002.txt", "0003.txt"]
    assert not list(jobs_dir.glob(".incoming-*"))

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert (job.steps_done, job.steps_total) == (3, 3)
    docs = {d.name: d for d in BatchDocument.objects.filter(job=job)}
    seed = docs["商务局.txt"]
    assert (seed.unit_id, seed.match, seed.stated_year) == (world.unit_a1.pk, MatchState.MATCHED, 2024)
    assert seed.errors == 5 and {f["code"] for f in seed.findings} >= {"B006", "A001"}
    assert (seed.stated_total, seed.computed_total) == ("85", "85")
    assert (docs["招商服务中心.txt"].unit_id, docs["招商服务中心.txt"].match) == (world.unit_a2.pk, MatchState.MATCHED)
    # 第一中学 belongs to another department: outside this job's scope, so not matched to it
    assert docs["第一中学.txt"].unit_id != world.unit_b1.pk
    assert any("说明.jpg" in s for s in job.params["skipped"])

    page = client.get(f"/desk/batch/{job.pk}/").content.decode()
    assert "B006" in page and "查看该单位的自评" in page and "已跳过" in page
    # the auditor's errors in a unit's report become a rectification notice to it, filled in
    door = page[page.index('class="rectify-link" href="') + 27:]
    query = parse_qs(urlparse(door[:door.index('"')].replace("&amp;", "&")).query)
    assert (query["unit"], query["year"], query["source"]) == ([str(world.unit_a1.pk)], ["2024"], ["audit"])
    assert query["problem"][0].startswith("商务局.txt 审查发现：")
    assert page.count('class="rectify-link"') == 2  # the two attached reports with errors, not the unmatched one
    detail = client.get(f"/e/{evaluation.pk}/").content.decode()
    assert 'id="batch-audits"' in detail and "B006" in detail and "商务局.txt" in detail
    # the unit's own people and another department's reviewer do not see the bureau's audit
    assert 'id="batch-audits"' not in world.client("prep_a1").get(f"/e/{evaluation.pk}/").content.decode()
    assert world.client("dept_b").get(f"/desk/batch/{job.pk}/").status_code == 404
    assert world.client("finance").get(f"/desk/batch/{job.pk}/").status_code == 200
    download = client.get(f"/desk/jobs/{job.pk}/file")
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    assert [row[0] for row in book["汇总"].iter_rows(min_row=2, values_only=True)] == [
        "商务局.txt", "招商服务中心.txt", "第一中学.txt"]


@pytest.mark.django_db(transaction=True)
def test_an_unsure_match_waits_for_a_person(world: World) -> None:
    client = world.client("finance")
    client.post("/desk/batch/new/", {"year": "2024", "department": "",
                                     "files": [upload("一中.txt", report_for("新市区第一中学校"))]})
    run_worker()
    document = BatchDocument.objects.get()
    assert document.match == MatchState.UNSURE and document.candidates[0]["id"] == world.unit_b1.pk
    evaluation = world.evaluation(world.unit_b1, preparer="prep_b1")
    assert 'id="batch-audits"' not in client.get(f"/e/{evaluation.pk}/").content.decode()
    assert "需要确认" in client.get(f"/desk/batch/{document.job_id}/").content.decode()
    # a department reviewer of another department cannot confirm it
    assert world.client("dept_a").post(f"/desk/batch/{document.job_id}/doc/{document.pk}/",
                                       {"unit": str(world.unit_b1.pk)}).status_code == 404
    client.post(f"/desk/batch/{document.job_id}/doc/{document.pk}/", {"unit": str(world.unit_b1.pk)})
    document.refresh_from_db()
    assert (document.unit_id, document.match, document.confirmed_by) == (
        world.unit_b1.pk, MatchState.CONFIRMED, world.users["finance"])
    assert 'id="batch-audits"' in client.get(f"/e/{evaluation.pk}/").content.decode()
    # a bureau-wide batch is the bureau's: a department's reviewer sees the batches started for the department
    assert 'id="batch-audits"' not in world.client("dept_b").get(f"/e/{evaluation.pk}/").content.decode()


@pytest.mark.django_db
def test_a_self_evaluation_table_is_audited_by_the_same_engine(world: World, tmp_path: Path) -> None:
    from jixiao.io.evaluation_file import read_evaluation
    from jixiao.report.write import write_table
    from jixiao.web.evaluations import services

    result = services.score(read_evaluation(Path(__file__).parents[3] / "examples" / "xinshi-commerce-2024.yaml"))
    path = tmp_path / "0001.xlsx"
    write_table(result, path)
    audit = batch.audit_upload(path, services.rules_for("national"))
    assert audit.error is None
    assert audit.facts is not None and audit.facts["unit_name"] == SEED_UNIT
    assert audit.computed is not None and audit.computed["grade"] == "良"
    broken = tmp_path / "0002.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert batch.audit_upload(broken, services.rules_for("national")).error is not None


@pytest.mark.django_db(transaction=True)
def test_a_departments_batch_knows_only_its_own_units(world: World) -> None:
    """A report naming another department's unit matches nothing there: no candidate, no option, no findings beside it."""
    client = world.client("dept_a")
    response = client.post("/desk/batch/new/", {"year": "2024", "department": str(world.dept_a.pk),
                                                "files": [upload("一中.txt", report_for("新市区第一中学"))]})
    assert response.status_code == 302
    run_worker()
    document = BatchDocument.objects.get()
    assert document.unit_id is None and document.match != MatchState.MATCHED
    assert all(c["id"] in (world.unit_a1.pk, world.unit_a2.pk) for c in document.candidates)
    page = client.get(f"/desk/batch/{document.job_id}/").content.decode()
    assert f'<option value="{world.unit_b1.pk}"' not in page and f'value="{world.unit_a1.pk}"' in page
    # confirming it to the other department's unit is refused, and the bureau's view of that unit stays clean
    assert client.post(f"/desk/batch/{document.job_id}/doc/{document.pk}/", {"unit": str(world.unit_b1.pk)}).status_code == 404
    evaluation = world.evaluation(world.unit_b1, preparer="prep_b1")
    assert 'id="batch-audits"' not in world.client("finance").get(f"/e/{evaluation.pk}/").content.decode()
