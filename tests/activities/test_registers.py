"""Recording communication activities, initiatives and documents: evidence, history, counts."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from partrack.activities.models import Activity, Change, Initiative, LegalDocument
from tests.conftest import post_form

pytestmark = pytest.mark.django_db
TODAY = "2026-04-20 10:00 +07:00"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def activity_data(world, **extra):
    return {
        "date": "05/03/2026",
        "form": "web_post",
        "topic": "procedures",
        "title": "Hướng dẫn nộp hồ sơ trực tuyến",
        "unit": world.lead_unit.pk,
        "participants": "",
        "task": world.task.pk,
        "url": "",
        **extra,
    }


def add_activity(world, user, **extra):
    url = f"/ke-hoach/{world.plan.pk}/tuyen-truyen/them/"
    return post_form(world.client(user), url, activity_data(world, **extra))


@time_machine.travel(TODAY)
def test_a_unit_records_its_activity_with_a_file_checked_by_its_content(world):
    upload = SimpleUploadedFile("bai-dang.pdf", PDF, content_type="application/pdf")
    response = add_activity(world, world.lead_member, file=upload)

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.unit == world.lead_unit
    assert activity.file_type == "pdf"
    assert activity.file_name == "bai-dang.pdf"
    # The stored name is random: a URL cannot be guessed from the document's name.
    assert "bai-dang" not in activity.file.name
    assert activity.created_by == world.lead_member


@time_machine.travel(TODAY)
def test_a_renamed_file_that_is_not_a_document_is_refused_and_nothing_is_lost(world):
    upload = SimpleUploadedFile("bai-dang.pdf", b"MZ\x90\x00 not a pdf", content_type="x")
    response = add_activity(world, world.lead_member, file=upload)

    assert response.status_code == 400
    assert "Chỉ nhận tệp PDF, DOCX, XLSX" in response.content.decode()
    # What was typed is shown again, and nothing was written.
    assert "Hướng dẫn nộp hồ sơ trực tuyến" in response.content.decode()
    assert not Activity.objects.exists()
    assert not Change.objects.exists()


@time_machine.travel(TODAY)
def test_an_activity_dated_in_the_future_is_refused(world):
    response = add_activity(world, world.lead_member, date="21/04/2026")

    assert response.status_code == 400
    assert "Ngày không thể sau hôm nay." in response.content.decode()
    assert not Activity.objects.exists()


@time_machine.travel(TODAY)
def test_every_write_is_in_the_history_with_its_author_even_after_a_delete(world):
    add_activity(world, world.lead_member)
    activity = Activity.objects.get()
    client = world.client(world.lead_member)
    post_form(client, f"/tuyen-truyen/{activity.pk}/sua/", activity_data(world, title="Bài mới"))
    post_form(client, f"/tuyen-truyen/{activity.pk}/xoa/", {})

    assert not Activity.objects.exists()
    changes = list(Change.objects.order_by("pk").values_list("action", "summary", "author"))
    assert changes == [
        ("created", "Hướng dẫn nộp hồ sơ trực tuyến", world.lead_member.pk),
        ("updated", "Bài mới", world.lead_member.pk),
        ("deleted", "Bài mới", world.lead_member.pk),
    ]
    page = world.client(world.leader).get(f"/ke-hoach/{world.plan.pk}/so-theo-doi/lich-su/")
    assert "Bài mới" in page.content.decode()


@time_machine.travel(TODAY)
def test_the_list_counts_a_periods_activities_by_form_and_topic_within_its_data_window(world):
    q1 = world.plan.periods.get(kind="q1")  # 15/12/2025 – 14/03/2026
    for day, form in [
        ("14/03/2026", "web_post"),  # the window's last day counts
        ("15/03/2026", "web_post"),  # the next day does not
        ("10/01/2026", "conference"),
        ("11/01/2026", "web_post"),
    ]:
        add_activity(world, world.coordinator, date=day, form=form)

    response = world.client(world.leader).get(f"/ke-hoach/{world.plan.pk}/tuyen-truyen/?ky={q1.pk}")

    html = response.content.decode()
    assert "2 bài đăng, 1 hội nghị" in html
    assert response.context["counts"]["total"] == 3
    assert response.context["counts"]["topics"]["procedures"] == 3
    assert response.context["total"] == 3
    # The counts follow the unit filter, as the list does.
    other = world.client(world.leader).get(
        f"/ke-hoach/{world.plan.pk}/tuyen-truyen/?ky={q1.pk}&don_vi={world.helping_unit.pk}"
    )
    assert (other.context["counts"]["total"], other.context["total"]) == (0, 0)


@time_machine.travel(TODAY)
def test_the_task_page_shows_what_its_activities_add_up_to(world):
    for form in ["web_post", "web_post", "conference"]:
        add_activity(world, world.lead_member, form=form)

    response = world.client(world.viewer).get(f"/nhiem-vu/{world.task.pk}/")

    assert "2 bài đăng, 1 hội nghị" in response.content.decode()


@time_machine.travel(TODAY)
def test_initiatives_and_documents_are_registered_with_their_decision_and_symbol(world):
    client = world.client(world.coordinator)
    post_form(
        client,
        f"/ke-hoach/{world.plan.pk}/sang-kien/them/",
        {
            "title": "Số hóa hồ sơ",
            "authors": "Nguyễn Văn A",
            "unit": world.bystander_unit.pk,
            "decision_number": "25/QĐ-SKHCN",
            "date": "27/02/2026",
            "level": "agency",
            "applied_where": "Bộ phận Một cửa",
            "task": "",
            "url": "",
        },
    )
    post_form(
        client,
        f"/ke-hoach/{world.plan.pk}/van-ban/them/",
        {
            "number_symbol": "05/2025/QĐ-UBND",
            "date": "10/02/2026",
            "kind": "legal",
            "action": "reviewed",
            "summary": "Quy định quản lý nhiệm vụ KH&CN",
            "unit": world.office.pk,
            "task": world.task.pk,
            "url": "https://vbpl.vn/1",
        },
    )

    initiative = Initiative.objects.get()
    assert (initiative.decision_number, initiative.date) == ("25/QĐ-SKHCN", date(2026, 2, 27))
    document = LegalDocument.objects.get()
    assert (document.number_symbol, document.url) == ("05/2025/QĐ-UBND", "https://vbpl.vn/1")
    listing = world.client(world.leader).get(f"/ke-hoach/{world.plan.pk}/van-ban/")
    assert "Quy định quản lý nhiệm vụ KH&amp;CN" in listing.content.decode()


@time_machine.travel(TODAY)
def test_a_register_file_is_served_to_readers_of_the_plan_only(world):
    add_activity(world, world.lead_member, file=SimpleUploadedFile("a.pdf", PDF))
    activity = Activity.objects.get()
    url = f"/tuyen-truyen/{activity.pk}/tep/"

    assert world.client(world.leader).get(url).status_code == 200
    assert world.client(world.outsider).get(url).status_code == 404
    assert world.client().get(url).status_code == 302


@time_machine.travel(TODAY)
def test_when_the_disk_refuses_the_file_nothing_is_recorded_and_the_form_says_so(
    world, monkeypatch
):
    from partrack import files

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    # The file is written (staged) by partrack/files.py; the disk fills as it is flushed.
    monkeypatch.setattr(files.os, "fsync", full_disk)
    response = add_activity(world, world.lead_member, file=SimpleUploadedFile("a.pdf", PDF))

    assert response.status_code == 400
    assert "Không lưu được tệp trên máy chủ; chưa có gì được ghi." in response.content.decode()
    assert "Hướng dẫn nộp hồ sơ trực tuyến" in response.content.decode()
    assert not Activity.objects.exists() and not Change.objects.exists()
