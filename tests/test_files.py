"""Files match the rows: nothing left by a failed write, nothing kept after a delete."""

import copy
import errno
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from partrack import files
from partrack.plans import services
from partrack.plans.models import Evidence, ReportingPeriod, Task
from partrack.reporting import consolidation
from partrack.reporting.models import ReportFile
from tests.conftest import post_form
from tests.documents.reading_support import seed_bytes
from tests.files import PDF

pytestmark = pytest.mark.django_db


def media_files(settings):
    """Every file under MEDIA_ROOT, partial ones included, relative to it."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def record(task, person, *names, n=0):
    return services.record_progress(
        task=task,
        by=person,
        unit=person.membership.unit,
        status="in_progress",
        percent=50,
        narrative=f"Cập nhật {n}",
        done_on=None,
        expected_version=task.version,
        evidence=[
            services.NewEvidence(number_symbol="1/BC", file=SimpleUploadedFile(name, PDF))
            for name in names
        ],
    )


def check_files(*args):
    """(exit code, output) of `partrack check_files`."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("check_files", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.fixture
def lead(world):
    world.lead_member.refresh_from_db()
    return world.lead_member


def test_a_saved_evidence_file_is_published_under_its_real_name_and_nothing_else_is_left(
    world, lead, settings
):
    record(world.task, lead, "bao-cao.pdf")
    evidence = Evidence.objects.get()
    assert media_files(settings) == [evidence.file.name]
    assert Path(settings.MEDIA_ROOT, evidence.file.name).read_bytes() == PDF
    assert check_files() == (0, "Files and rows match.\n")


def test_a_save_that_fails_after_writing_the_file_leaves_neither_row_nor_file(
    world, lead, settings, monkeypatch
):
    def disk_fails(self, *args, **kwargs):
        raise OSError(errno.EIO, "the database write failed")

    # The file is written before its row is saved: the failure comes after the bytes.
    monkeypatch.setattr(Evidence, "save", disk_fails)
    with pytest.raises(OSError):
        record(world.task, lead, "a.pdf", "b.pdf")
    assert not Evidence.objects.exists()
    assert media_files(settings) == []
    world.task.refresh_from_db()
    assert world.task.version == 1  # the progress update was rolled back with it


def test_a_full_disk_in_the_middle_of_a_file_leaves_nothing_half_written(
    world, lead, settings, monkeypatch
):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        record(world.task, lead, "a.pdf")
    assert not Evidence.objects.exists()
    assert media_files(settings) == []


def test_a_rollback_of_an_outer_transaction_removes_the_published_file(world, lead, settings):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), files.atomic():
        record(world.task, lead, "a.pdf")
        assert len(media_files(settings)) == 1
        raise Undo
    assert media_files(settings) == []


def test_a_report_version_that_fails_to_save_leaves_no_file(demo, settings, monkeypatch):
    period = ReportingPeriod.objects.get(plan=demo, kind="q1")
    office = demo.agency.memberships.get(user__username="vanphong").user
    report = consolidation.start_consolidated_report(period=period, by=office)
    contents = {"docx": b"word", "xlsx": b"excel", "csv": b"csv"}
    real_save = ReportFile.save

    def fail_on_the_third(self, *args, **kwargs):
        if self.kind == "csv":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(ReportFile, "save", fail_on_the_third)
    with pytest.raises(OSError):
        consolidation.store_report_files(report=report, by=office, contents=contents)
    assert not ReportFile.objects.exists()
    assert media_files(settings) == []


def test_deleting_an_evidence_row_deletes_its_file_once_the_deletion_commits(
    world, lead, settings, django_capture_on_commit_callbacks
):
    record(world.task, lead, "a.pdf", "b.pdf")
    kept, gone = Evidence.objects.order_by("pk")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        gone.delete()
    # Not before the commit: a rolled-back deletion keeps its file.
    assert len(media_files(settings)) == 2
    for callback in pending:
        callback()
    assert media_files(settings) == [kept.file.name]


def test_a_revision_that_removes_a_task_deletes_the_files_of_its_evidence(
    demo, settings, django_capture_on_commit_callbacks
):
    lead = demo.agency.memberships.get(user__username="phongcds").user
    office = demo.agency.memberships.get(user__username="vanphong").user
    removed = Task.objects.get(plan=demo, number=36)
    staying = Task.objects.get(plan=demo, number=35)
    for n in range(3):
        removed.refresh_from_db()
        record(removed, lead, f"r{n}.pdf", n=n)
    record(staying, lead, "s.pdf")
    staying_file = Evidence.objects.get(task=staying).file.name
    assert len(media_files(settings)) == 4

    data = copy.deepcopy(demo.as_data())
    for section in data["sections"]:
        section["tasks"] = [row for row in section["tasks"] if row["no"] != 36]
    with django_capture_on_commit_callbacks(execute=True):
        changes = services.revise_plan(plan=demo, data=data, by=office)
    assert [c.task.number for c in changes.removed] == [36]
    assert not Evidence.objects.filter(task_id=removed.pk).exists()
    assert media_files(settings) == [staying_file]
    assert check_files() == (0, "Files and rows match.\n")


def test_check_files_lists_files_without_rows_and_rows_without_files_and_fix_tidies(
    world, lead, settings
):
    record(world.task, lead, "a.pdf", "b.pdf")
    first, second = Evidence.objects.order_by("pk")
    root = Path(settings.MEDIA_ROOT)
    (root / "evidence/9/9").mkdir(parents=True)
    (root / "evidence/9/9/stray.pdf").write_bytes(PDF)
    os.remove(root / second.file.name)
    # A write that crashed before its commit, long ago: only a partial file.
    old_partial = root / files.PARTIAL / "evidence/1/1/never-committed.pdf"
    old_partial.parent.mkdir(parents=True, exist_ok=True)
    old_partial.write_bytes(PDF)
    os.utime(old_partial, (1, 1))
    # A write whose row committed but whose file was not yet renamed when it crashed.
    os.rename(root / first.file.name, files.partial_path(first.file.name))

    code, output = check_files()
    assert code == 1
    assert "File without a row: evidence/9/9/stray.pdf" in output
    assert f"Row whose file is missing: plans.evidence #{second.pk}: {second.file.name}" in output
    assert f"Interrupted write (its row was saved): {first.file.name}" in output
    assert "Leftover of an interrupted write: evidence/1/1/never-committed.pdf" in output

    code, output = check_files("--fix")
    assert code == 1  # the missing file cannot be made up
    assert "stray.pdf — removed" in output
    assert media_files(settings) == [first.file.name]
    assert Path(root, first.file.name).read_bytes() == PDF

    second.delete()
    assert check_files() == (0, "Files and rows match.\n")


def test_check_files_leaves_a_write_in_progress_alone(world, settings):
    partial = files.partial_path("evidence/1/1/being-written.pdf")
    partial.parent.mkdir(parents=True)
    partial.write_bytes(PDF)
    code, output = check_files("--fix")
    assert code == 0
    assert "1 file(s) being written now, left alone." in output
    assert partial.exists()
    assert check_files("--fix", "--stale-minutes", "0")[0] == 0
    assert not partial.exists()


# Upload temp files.


class UploadFolder(type(Path())):
    spooled = 0  # uploads Django wrote to this folder: the test is about real temp files


@pytest.fixture
def upload_temp(settings, tmp_path, monkeypatch):
    """Every upload spooled to disk, in a folder of the test's own."""
    from django.core.files import uploadedfile

    folder = UploadFolder(tmp_path / "uploads")
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    real_init = uploadedfile.TemporaryUploadedFile.__init__

    def counting_init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        assert Path(self.temporary_file_path()).parent == folder
        UploadFolder.spooled += 1

    UploadFolder.spooled = 0
    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", counting_init)
    return folder


def big_pdf():
    return PDF + b"%" + b"x" * 300_000 + b"\n"


def post_evidence(client, task, upload, **fields):
    data = {
        "status": "in_progress",
        "percent": "40",
        "narrative": "Đang làm",
        "version": str(task.version),
        "evidence_number": "1/BC",
        "evidence_file": upload,
        **fields,
    }
    return post_form(client, f"/nhiem-vu/{task.pk}/tien-do/", data)


def test_an_evidence_upload_leaves_no_temp_file_whether_it_is_saved_or_refused(world, upload_temp):
    client = world.client(world.lead_member)
    saved = post_evidence(client, world.task, SimpleUploadedFile("a.pdf", big_pdf()))
    assert saved.status_code == 302
    assert Evidence.objects.count() == 1
    assert list(upload_temp.iterdir()) == []
    world.task.refresh_from_db()
    refused = post_evidence(client, world.task, SimpleUploadedFile("a.exe", b"MZ" * 200_000))
    assert refused.status_code == 400
    assert list(upload_temp.iterdir()) == []
    assert upload_temp.spooled == 2


def test_a_plan_import_leaves_no_temp_file_whether_it_is_read_or_refused(world, upload_temp):
    client = world.client(world.coordinator)
    read = post_form(
        client,
        "/nhap-ke-hoach/",
        {"document": SimpleUploadedFile("ke-hoach.docx", seed_bytes("docx"))},
    )
    assert read.status_code == 302
    assert list(upload_temp.iterdir()) == []
    refused = post_form(
        client,
        "/nhap-ke-hoach/",
        {"document": SimpleUploadedFile("ke-hoach.docx", b"PK" * 200_000)},
    )
    assert refused.status_code == 400
    assert list(upload_temp.iterdir()) == []
    assert upload_temp.spooled == 2


def test_an_upload_that_crashes_the_page_leaves_no_temp_file(
    world, upload_temp, monkeypatch, settings
):
    from partrack.documents import views

    def crash(*args, **kwargs):
        raise RuntimeError("reader crashed")

    monkeypatch.setattr(views, "read_plan", crash)
    client = world.client(world.coordinator)
    client.raise_request_exception = False
    response = post_form(
        client,
        "/nhap-ke-hoach/",
        {"document": SimpleUploadedFile("ke-hoach.docx", b"PK" * 200_000)},
    )
    assert response.status_code == 500
    assert list(upload_temp.iterdir()) == []
    assert upload_temp.spooled == 1
