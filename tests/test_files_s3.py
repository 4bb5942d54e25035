"""Media on an S3-compatible object store: a real S3 server (moto's) that the tests start.

One server for the module; each test gets an empty bucket and STORAGES pointing at it.
"""

import io
import json
import os
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from moto.server import ThreadedMotoServer

from partrack import backup, files
from partrack.inspections import services as inspection_services
from partrack.inspections.models import InspectionFile
from partrack.plans.models import Evidence, ProgressUpdate
from partrack.settings import s3_storage
from tests.conftest import client_as, post_form
from tests.files import PDF
from tests.test_files import check_files, record

pytestmark = pytest.mark.django_db
BUCKET = "partrack-media"
PREFIX = "media"
STORE_DOWN = "không kết nối được kho lưu trữ tệp"


class S3Server:
    """moto in server mode on a free port; stop() and start() again keep its buckets."""

    def __init__(self):
        self.port = 0
        self.server = None
        self.start()

    def start(self):
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self.port = self.server.get_host_and_port()[1]

    def stop(self):
        self.server.stop()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    def objects(self):
        listing = self.client().list_objects_v2(Bucket=BUCKET)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def body(self, key):
        return self.client().get_object(Bucket=BUCKET, Key=key)["Body"].read()

    @contextmanager
    def down(self):
        """The store unreachable for the block (connections refused), then back."""
        self.stop()
        try:
            yield
        finally:
            self.start()


@pytest.fixture(scope="module")
def s3_server():
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def s3(s3_server, settings):
    client = s3_server.client()
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket=BUCKET,
            endpoint_url=s3_server.url,
            region="us-east-1",
            access_key="test",
            secret_key="test",
            path_style=True,
            prefix=PREFIX,
            connect_timeout=1,
            attempts=1,  # one try: a store that is down fails at once
        ),
    }
    yield s3_server
    for key in s3_server.objects():
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)


def local_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


def post_progress(client, task, **fields):
    data = {
        "status": "in_progress",
        "percent": "40",
        "narrative": "Đã trình dự thảo",
        "done_on": "",
        "version": str(task.version),
        "evidence_number": "112/TTr-SKHCN",
        **fields,
    }
    return post_form(client, f"/nhiem-vu/{task.pk}/tien-do/", data)


def test_an_uploaded_evidence_file_is_in_the_bucket_and_served_to_its_readers_only(
    world, s3, settings
):
    response = post_progress(
        world.client(world.lead_member),
        world.task,
        evidence_file=SimpleUploadedFile("to-trinh.pdf", PDF),
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    # In the bucket under its real name, nothing left under .partial/, nothing on the disk.
    assert s3.objects() == [f"{PREFIX}/{evidence.file.name}"]
    assert s3.body(f"{PREFIX}/{evidence.file.name}") == PDF
    assert local_files(settings) == []
    url = evidence.get_absolute_url()
    for person in (world.lead_member, world.leader, world.bystander, world.province_viewer):
        response = world.client(person).get(url)
        assert response.status_code == 200, person
        assert b"".join(response.streaming_content) == PDF
        assert 'filename="to-trinh.pdf"' in response["Content-Disposition"]
    assert world.client(world.outsider).get(url).status_code == 404
    assert client_as().get(url)["Location"].startswith("/dang-nhap/")
    # Never a link to the bucket: the page links the app's own permission-checked view.
    page = world.client(world.lead_member).get(world.task.get_absolute_url()).content.decode()
    assert url in page and s3.url not in page
    assert check_files() == (0, "Files and rows match.\n")
    # An object lost from the bucket: the page that says so, not a server error.
    s3.client().delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{evidence.file.name}")
    response = world.client(world.leader).get(url)
    assert response.status_code == 410
    assert "Tệp này không còn trên máy chủ" in response.content.decode()


def test_a_download_queries_the_database_a_fixed_number_of_times(
    world, s3, django_assert_num_queries
):
    post_progress(
        world.client(world.lead_member), world.task, evidence_file=SimpleUploadedFile("a.pdf", PDF)
    )
    client = world.client(world.leader)
    url = Evidence.objects.get().get_absolute_url()
    with django_assert_num_queries(4):  # session, user and membership, agencies, evidence
        assert client.get(url).status_code == 200


def test_a_database_failure_after_the_upload_leaves_no_object(world, s3, monkeypatch):
    def database_fails(self, *args, **kwargs):
        raise OperationalError("server closed the connection")

    world.lead_member.refresh_from_db()
    monkeypatch.setattr(Evidence, "save", database_fails)
    with pytest.raises(OperationalError):
        record(world.task, world.lead_member, "bao-cao.pdf")
    assert s3.objects() == []
    assert not ProgressUpdate.objects.exists()


def test_a_store_that_is_down_saves_nothing_and_says_so_in_vietnamese(world, s3):
    client = world.client(world.lead_member)
    client.get("/dang-nhap/")  # the CSRF cookie, while the page still answers
    with s3.down():
        response = post_progress(
            client, world.task, evidence_file=SimpleUploadedFile("to-trinh.pdf", PDF)
        )
    page = response.content.decode()
    assert response.status_code == 503
    assert "kho lưu trữ tệp" in page
    assert "Đã trình dự thảo" in page  # what was typed is still there
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()
    world.task.refresh_from_db()
    assert world.task.version == 0 or world.task.percent == 0
    assert s3.objects() == []


def test_a_store_lost_between_upload_and_publish_leaves_the_database_unchanged(
    world, s3, monkeypatch
):
    """The upload succeeded; the store goes before the copy to the real name."""
    real_publish = files.publish
    world.lead_member.refresh_from_db()
    version = world.task.version

    def store_goes_down(name):
        s3.stop()
        return real_publish(name)

    monkeypatch.setattr(files, "publish", store_goes_down)
    try:
        with pytest.raises(files.StorageUnavailable, match=STORE_DOWN):
            record(world.task, world.lead_member, "bao-cao.pdf")
    finally:
        s3.start()
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()
    world.task.refresh_from_db()
    assert world.task.version == version
    # The rollback could not delete the staged object: only a partial key, which no row
    # names and no page serves; check_files removes it once stale.
    [partial] = s3.objects()
    assert partial.startswith(f"{PREFIX}/{files.PARTIAL}/evidence/")
    assert check_files() == (
        0,
        "1 file(s) being written now, left alone.\nFiles and rows match.\n",
    )
    code, output = check_files("--stale-minutes", "0")
    assert code == 1 and "Leftover of an interrupted write: evidence/" in output
    assert check_files("--stale-minutes", "0", "--fix")[0] == 0
    assert s3.objects() == []


def test_check_files_finishes_unfinished_publishes_and_removes_orphans_in_the_bucket(world, s3):
    world.lead_member.refresh_from_db()
    record(world.task, world.lead_member, "a.pdf", "b.pdf")
    first, second = Evidence.objects.order_by("pk")
    client = s3.client()
    # A crash after the commit, before the copy: the row's file only under its partial key.
    client.copy_object(
        Bucket=BUCKET,
        CopySource={"Bucket": BUCKET, "Key": f"{PREFIX}/{first.file.name}"},
        Key=f"{PREFIX}/{files.PARTIAL}/{first.file.name}",
    )
    client.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{first.file.name}")
    # A crash after the copy, before the commit: an object no row names.
    client.put_object(Bucket=BUCKET, Key=f"{PREFIX}/evidence/1/1/orphan.pdf", Body=PDF)
    # Outside the prefix: not PARtrack's, never touched.
    client.put_object(Bucket=BUCKET, Key="other-app/keep.txt", Body=b"x")
    code, output = check_files()
    assert code == 1
    assert first.file.name in output and "evidence/1/1/orphan.pdf" in output
    assert second.file.name not in output
    assert check_files("--fix")[0] == 0
    assert s3.objects() == sorted(
        ["other-app/keep.txt", f"{PREFIX}/{first.file.name}", f"{PREFIX}/{second.file.name}"]
    )
    assert s3.body(f"{PREFIX}/{first.file.name}") == PDF


def test_deleting_a_row_removes_its_object_once_committed(
    world, s3, django_capture_on_commit_callbacks
):
    world.lead_member.refresh_from_db()
    record(world.task, world.lead_member, "a.pdf")
    evidence = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        evidence.delete()
    assert s3.objects() == []


def test_a_backup_reads_the_bucket_and_verifies_against_it(world, s3, tmp_path):
    world.lead_member.refresh_from_db()
    record(world.task, world.lead_member, "a.pdf")
    name = Evidence.objects.get().file.name
    summary = backup.backup(tmp_path / "backup.zip")
    assert summary.missing == [] and list(summary.files) == [name]
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        assert archive.read(f"media/{name}") == PDF
        manifest = json.loads(archive.read("manifest.json"))
    assert backup.verify(manifest).differences == []
    s3.client().delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{name}")
    assert f"file missing: {name}" in backup.verify(manifest).differences
    # Restore puts the file back into the bucket.
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        backup._extract(archive, name)
    assert s3.body(f"{PREFIX}/{name}") == PDF
    assert backup.verify(manifest).differences == []


def test_an_inspection_file_goes_to_the_bucket_and_keeps_its_unit_rule(world, s3):
    import time_machine

    from tests.inspections.conftest import DURING, InspectionWorld

    with time_machine.travel(DURING):
        iw = InspectionWorld(world)
        stored = inspection_services.store_file(
            inspection=iw.inspection,
            kind=InspectionFile.Kind.MINUTES,
            content=b"docx bytes",
            by=world.coordinator,
            inspected=iw.inspected,
        )
    assert f"{PREFIX}/{stored.file.name}" in s3.objects()
    url = stored.get_absolute_url()
    response = world.client(world.coordinator).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"docx bytes"
    assert world.client(world.outsider).get(url).status_code == 404
    assert world.client(world.bystander).get(url).status_code == 404
    assert client_as().get(url).status_code == 302


def test_healthz_writes_to_the_bucket_and_names_the_store_when_it_is_down(s3, client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert s3.objects() == []  # the probe's object is removed
    with s3.down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["media"] == "object store not writable"


def test_the_store_is_configured_from_the_environment():
    env = {
        **os.environ,
        "DEBUG": "1",
        "PARTRACK_S3_BUCKET": "cchc-media",
        "PARTRACK_S3_ENDPOINT_URL": "https://s3.example.vn",
        "PARTRACK_S3_REGION": "hn-1",
        "PARTRACK_S3_ACCESS_KEY_ID": "AKIA-TEST",
        "PARTRACK_S3_SECRET_ACCESS_KEY": "secret",
        "PARTRACK_S3_PATH_STYLE": "1",
        "PARTRACK_S3_PREFIX": "/partrack/",
    }
    code = (
        "import django; django.setup(); from django.core.files.storage import storages;"
        's = storages["default"];'
        "import json; print(json.dumps([type(s).__name__, s.bucket_name, s.endpoint_url,"
        " s.region_name, s.access_key, s.location, s.client_config.s3, s.default_acl]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "partrack.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "S3Storage",
        "cchc-media",
        "https://s3.example.vn",
        "hn-1",
        "AKIA-TEST",
        "partrack",
        {"addressing_style": "path"},
        None,
    ]


def test_a_register_file_goes_to_the_bucket_and_a_replaced_one_is_removed(
    world, s3, django_capture_on_commit_callbacks
):
    from datetime import date

    from django.urls import reverse

    from partrack.activities.models import Activity
    from partrack.activities.services import Attachment, delete_record, save_record

    activity = Activity(
        plan=world.plan,
        unit=world.lead_unit,
        date=date(2026, 3, 2),
        form="conference",
        topic="procedures",
        title="Hội nghị tập huấn",
    )
    with django_capture_on_commit_callbacks(execute=True):
        save_record(
            record=activity,
            by=world.lead_member,
            attachment=Attachment(file=SimpleUploadedFile("giay-moi.pdf", PDF)),
        )
    first = activity.file.name
    assert s3.objects() == [f"{PREFIX}/{first}"]
    url = reverse("activity_file", args=[activity.pk])
    response = world.client(world.bystander).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert world.client(world.outsider).get(url).status_code == 404
    assert client_as().get(url).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        save_record(
            record=activity,
            by=world.lead_member,
            attachment=Attachment(file=SimpleUploadedFile("giay-moi-2.pdf", PDF + b"2")),
        )
    assert s3.objects() == [f"{PREFIX}/{activity.file.name}"] != [f"{PREFIX}/{first}"]
    assert Activity.objects.get().file.name == activity.file.name
    with django_capture_on_commit_callbacks(execute=True):
        delete_record(record=Activity.objects.get(), by=world.lead_member)
    assert s3.objects() == []


def test_index_evidence_is_bundled_from_the_bucket_and_a_lost_object_is_reported(db, s3):
    from django.urls import reverse

    from partrack.indices import services as index_services
    from tests.indices.conftest import IndexWorld

    iw = IndexWorld()
    score = iw.score("VII.1")
    link = index_services.upload_evidence(
        score=score, by=iw.coordinator, upload=SimpleUploadedFile("bao-cao.pdf", PDF), label=""
    )
    index_services.upload_evidence(
        score=iw.score("I.4"),
        by=iw.coordinator,
        upload=SimpleUploadedFile("anh.pdf", PDF + b"2"),
        label="",
    )
    assert f"{PREFIX}/{link.file.name}" in s3.objects()
    url = reverse("evidence_link_file", args=[iw.sa.pk, link.pk])
    response = iw.client(iw.coordinator).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert iw.client(iw.outsider).get(url).status_code == 404
    bundle = reverse("self_assessment_bundle", args=[iw.sa.pk])
    assert iw.client(iw.lead_member).get(bundle).status_code == 403
    s3.client().delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{link.file.name}")
    response = iw.client(iw.coordinator).get(bundle)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len([n for n in archive.namelist() if "/" in n]) == 1  # the other file, delivered
    # Reported as on disk: the file is missing, the rest of the bundle delivered.
    assert "không đọc được tệp: FileNotFoundError" in archive.read("index.csv").decode("utf-8-sig")
