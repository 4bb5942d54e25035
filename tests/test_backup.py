"""Backup while people work, restore into a fresh database, and compare everything."""

import hashlib
import json
import re
import subprocess
import sys
import time
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from partrack.plans import services
from partrack.plans.models import Evidence, Task
from tests.files import PDF
from tests.files_support import process_env, scratch_database_url

PROJECT = Path(__file__).resolve().parent.parent
DUMP_OPTIONS = ["--format", "jsonl", "--natural-foreign", "-e", "contenttypes"]
DUMP_OPTIONS += ["-e", "auth.permission", "-e", "sessions"]


def run(env, *args, check=True):
    done = subprocess.run(
        [sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{args} failed:\n{done.stdout}\n{done.stderr}")
    return done


def summary(env):
    return json.loads(run(env, "-m", "tests.files_support", "inspect").stdout)


@pytest.fixture
def databases(tmp_path):
    """Two scratch databases (the working one, the fresh one), each with its media folder."""
    source_url, drop_source = scratch_database_url(tmp_path, "backup_source")
    target_url, drop_target = scratch_database_url(tmp_path, "backup_target")
    yield (
        process_env(source_url, tmp_path / "media-source"),
        process_env(target_url, tmp_path / "media-target"),
    )
    drop_source()
    drop_target()


def same_instant(line):
    """A dumped row with "…:43.000Z" written as "…:43Z": Django's serialiser keeps milliseconds,
    so a time with under a millisecond (43.000500) comes back as a whole second."""
    return re.sub(r"\.000(Z|[+-]\d\d:\d\d)\"", r'\1"', line)


def test_a_backup_taken_while_people_save_evidence_restores_with_zero_differences(
    databases, tmp_path
):
    source, target = databases
    run(source, "-m", "tests.files_support", "setup")
    stop, started = tmp_path / "stop", tmp_path / "started"
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.files_support", "writer", str(stop), str(started)],
        cwd=PROJECT,
        env=source,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while not started.exists():
            assert writer.poll() is None, writer.stderr.read()
            time.sleep(0.05)
        archive = tmp_path / "partrack-backup.zip"
        backup = run(source, "-m", "partrack", "backup", str(archive))
    finally:
        stop.touch()
        out, errors = writer.communicate(timeout=120)
    assert writer.returncode == 0, errors
    saved_by_writer = int(out)
    assert saved_by_writer >= 2  # writes went on before and during the backup

    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        archived_rows = opened.read("database.jsonl").decode().splitlines()
        archived_files = {
            info.filename.removeprefix("media/"): hashlib.sha256(opened.read(info)).hexdigest()
            for info in opened.infolist()
            if info.filename.startswith("media/")
        }
    assert f"{len(archived_files)} files" in backup.stdout
    assert not list(tmp_path.glob(".partrack-backup.zip*"))  # no temporary name left

    restored = run(target, "-m", "partrack", "restore", str(archive))
    assert "Restored: every row count and file checksum match." in restored.stdout

    now_source, now_target = summary(source), summary(target)
    # The restored database holds exactly the rows of the archive, field for field.
    dumped = run(target, "-m", "partrack", "dumpdata", *DUMP_OPTIONS).stdout.splitlines()
    assert sorted(map(same_instant, dumped)) == sorted(map(same_instant, archived_rows))
    assert now_target["counts"] == manifest["counts"]
    # One moment: every task's version still counts its updates.
    assert all(version == 1 + updates for version, updates in now_target["tasks"].values())
    assert all(version == 1 + updates for version, updates in now_source["tasks"].values())
    # What the backup missed is only what was written after its snapshot.
    evidence = "plans.evidence"
    assert manifest["counts"][evidence] <= now_source["counts"][evidence]
    assert now_target["counts"]["reporting.reportfile"] == 6
    same = {k for k in now_source["counts"] if k not in (evidence, "plans.progressupdate")}
    assert {k: now_target["counts"][k] for k in same} == {k: now_source["counts"][k] for k in same}
    # Every restored row has its file, byte for byte the working one.
    assert now_target["files"]
    assert None not in now_target["files"].values()
    assert archived_files == now_target["files"]
    assert all(now_source["files"][name] == sha for name, sha in now_target["files"].items())
    assert {n: f["sha256"] for n, f in manifest["files"].items()} == archived_files

    # Over a database that holds data, only when told to replace everything (refusing without
    # --force is tested below, in-process).
    forced = run(target, "-m", "partrack", "restore", "--force", str(archive))
    assert "Restored: every row count and file checksum match." in forced.stdout


# In the test's own database: the archive's contents, and refusals.


@pytest.fixture
def with_evidence(world):
    world.lead_member.refresh_from_db()
    services.record_progress(
        task=world.task,
        by=world.lead_member,
        unit=world.lead_unit,
        status="in_progress",
        percent=30,
        narrative="Đang làm",
        done_on=None,
        expected_version=world.task.version,
        evidence=[services.NewEvidence(file=SimpleUploadedFile("a.pdf", PDF))],
    )
    return Evidence.objects.get()


def test_the_archive_holds_each_row_and_file_with_counts_and_checksums(
    with_evidence, tmp_path, world
):
    archive = tmp_path / "b.zip"
    call_command("backup", str(archive), stdout=StringIO())
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        stored = opened.read(f"media/{with_evidence.file.name}")
    assert stored == PDF
    assert manifest["files"] == {
        with_evidence.file.name: {"sha256": hashlib.sha256(PDF).hexdigest(), "size": len(PDF)}
    }
    assert manifest["counts"]["plans.task"] == Task.objects.count() == 2
    assert manifest["counts"]["plans.evidence"] == 1
    assert manifest["counts"]["org.membership"] == 9


def test_a_backup_into_a_missing_folder_says_so_in_one_line(world, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "nowhere" / "b.zip"))


def test_restore_refuses_a_database_that_holds_data(with_evidence, tmp_path):
    archive = tmp_path / "b.zip"
    call_command("backup", str(archive), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty.*--force"):
        call_command("restore", str(archive))


@pytest.mark.django_db
def test_restore_refuses_a_damaged_archive_and_a_file_that_is_no_backup(tmp_path):
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(damaged, "w") as out:
        out.writestr("manifest.json", json.dumps({"format": 1, "database_sha256": "0" * 64}))
        out.writestr("database.jsonl", "")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged))
    other = tmp_path / "notes.txt"
    other.write_text("not a zip")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(other))


def test_a_backup_that_fails_midway_leaves_the_previous_archive_intact(
    with_evidence, tmp_path, monkeypatch
):
    import errno

    from partrack import backup

    archive = tmp_path / "b.zip"
    call_command("backup", str(archive), stdout=StringIO())
    previous = archive.read_bytes()

    def disk_full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_add_file", disk_full)
    with pytest.raises(CommandError, match="Backup failed: .*No space left"):
        call_command("backup", str(archive), stdout=StringIO())
    assert archive.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.zip", "media"]


def test_a_row_deleted_with_its_file_during_the_backup_does_not_spoil_the_archive(
    with_evidence, tmp_path, monkeypatch
):
    from partrack import backup, files

    real_dump = backup.dump_database
    dumps = []

    def dump_then_someone_deletes(path, **kwargs):
        real_dump(path, **kwargs)
        dumps.append(path)
        if len(dumps) == 1:  # after the snapshot, before its files are copied
            files.final_path(with_evidence.file.name).unlink()
            with_evidence.delete()

    monkeypatch.setattr(backup, "dump_database", dump_then_someone_deletes)
    archive = tmp_path / "b.zip"
    call_command("backup", str(archive), stdout=StringIO())
    assert len(dumps) == 2  # a second snapshot, without the deleted row
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    assert manifest["counts"]["plans.evidence"] == 0
    assert manifest["files"] == {} and manifest["missing"] == []


def test_a_file_missing_for_good_is_named_and_the_backup_exits_1(with_evidence, tmp_path):
    from partrack import files

    files.final_path(with_evidence.file.name).unlink()
    archive = tmp_path / "b.zip"
    errors = StringIO()
    with pytest.raises(CommandError, match="1 file\\(s\\) were already missing") as failed:
        call_command("backup", str(archive), stdout=StringIO(), stderr=errors)
    assert failed.value.returncode == 1
    assert f"A row refers to a missing file: {with_evidence.file.name}" in errors.getvalue()
    with zipfile.ZipFile(archive) as opened:
        assert json.loads(opened.read("manifest.json"))["missing"] == [with_evidence.file.name]
