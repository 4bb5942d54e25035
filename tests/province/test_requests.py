"""Requests from Sở Nội vụ: the cycle, who may do what, the pages' queries, bad input, a disk
that fails midway. Days are fixed (time_machine): on time, late and overdue are computed."""

import errno
import io
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from partrack import files
from partrack.org.models import Agency, Role
from partrack.province import requests as services
from partrack.province.models import ReportRequest, RequestAnswer, RequestEvent, RequestRecipient
from partrack.reporting.models import ConsolidatedReport, Notification
from partrack.reporting.reminders import create_notifications, reminders_due
from partrack.reporting.todo import todo_for
from tests.conftest import (
    client_as,
    make_other_province,
    make_person,
    make_province_desk,
    post_form,
)
from tests.files import PDF, docx_bytes

pytestmark = pytest.mark.django_db

TODAY = "2026-04-06 10:00 +07:00"  # four days before the request's due date (10/04/2026)
DUE = date(2026, 4, 10)


def at(day, hour=9):
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def province(world):
    """Sở Nội vụ at the province: its desk (sonoivu), a leader, the world's viewer; a third
    agency under the province; a second province with its own Sở Nội vụ and agency."""
    world.province_office, world.sonoivu, world.province_leader = make_province_desk(world.province)
    world.third_agency = Agency.objects.create(
        name="Sở Xây dựng", short_name="SXD", parent=world.province
    )
    world.third_office = make_person("sxd-office", world.third_agency, Role.COORDINATOR)
    world.second_province, world.second_sonoivu, world.second_agency = make_other_province(
        name="UBND tỉnh khác",
        short_name="UBND2",
        coordinator="snv2",
        agency_name="Sở KH&CN tỉnh khác",
        agency_short_name="SKHCN2",
    )
    return world


def send(world, *, to_all=True, agencies=(), due=DUE, now=None, template=None):
    return services.create_request(
        province=world.province,
        by=world.sonoivu,
        topic="Báo cáo một cửa quý I",
        outline="1. Số hồ sơ\n2. Khó khăn",
        due_date=due,
        to_all=to_all,
        agencies=agencies,
        template=template,
        now=now or at(date(2026, 3, 25)),
    )


def answer(world, request, *, agency=None, by=None, day=date(2026, 4, 8), name="tra-loi.pdf"):
    return services.answer_request(
        request=request,
        agency=agency or world.agency,
        by=by or world.coordinator,
        kind="document",
        file=SimpleUploadedFile(name, PDF),
        number_symbol="125/SKHCN-VP",
        issued_on=day,
        note="Gửi kèm số liệu",
        now=at(day),
    )


def standings(request, today):
    slots = RecipientQuery(request)
    return {slot.agency.short_name: slot.standing(today).code for slot in slots}


def RecipientQuery(request):  # noqa: N802 - reads like the queryset it is
    return RequestRecipient.objects.filter(request=request).select_related("agency", "request")


# The cycle.


def test_a_request_to_every_agency_reaches_every_agency_of_its_province_and_no_other(province):
    request = send(province)
    assert standings(request, date(2026, 4, 1)) == {
        "SKHCN": "waiting",
        "STP": "waiting",
        "SXD": "waiting",
    }
    chosen = send(province, to_all=False, agencies=[province.other_agency])
    assert list(chosen.agencies.values_list("short_name", flat=True)) == ["STP"]
    assert RequestEvent.objects.filter(request=request, kind="created").get().summary == (
        "Gửi 3 cơ quan, hạn trả lời 10/04/2026"
    )


def test_on_time_late_and_missing_are_computed_from_the_due_date(province):
    request = send(province)
    answer(province, request, day=DUE)  # the due day itself is on time
    answer(
        province, request, agency=province.other_agency, by=province.outsider, day=date(2026, 4, 13)
    )
    assert standings(request, date(2026, 4, 20)) == {
        "SKHCN": "answered",
        "STP": "late",
        "SXD": "missing",
    }
    slot = RecipientQuery(request).get(agency=province.third_agency)
    assert slot.standing(date(2026, 4, 20)).label == "Chưa trả lời — quá hạn 10 ngày"
    late = RecipientQuery(request).get(agency=province.other_agency)
    assert late.standing(date(2026, 4, 20)).label == "Trả lời chậm 3 ngày (13/04/2026)"
    # Moving the due date moves the standings: nothing was stored.
    services.change_due_date(
        request=request, by=province.sonoivu, due_date=date(2026, 4, 15), reason="Gia hạn"
    )
    assert standings(request, date(2026, 4, 20))["STP"] == "answered"
    assert RequestEvent.objects.get(kind="due_changed").summary == (
        "10/04/2026 → 15/04/2026 (Gia hạn)"
    )


def test_an_answer_replaced_before_the_due_date_keeps_the_first_day_and_the_history(province):
    request = send(province)
    first = answer(province, request, day=date(2026, 4, 8))
    second = answer(province, request, day=date(2026, 4, 10), name="ban-sua.pdf")
    slot = RecipientQuery(request).get(agency=province.agency)
    assert slot.answer == second
    assert slot.first_answered_at == at(date(2026, 4, 8))
    first.refresh_from_db()
    assert first.replaced_at == at(date(2026, 4, 10))
    assert [e.kind for e in RequestEvent.objects.filter(agency=province.agency)] == [
        "answered",
        "replaced",
    ]
    with pytest.raises(Exception, match="Đã quá hạn trả lời"):
        answer(province, request, day=date(2026, 4, 11))
    assert RequestAnswer.objects.filter(request=request).count() == 2


def test_sở_nội_vụ_is_notified_when_an_answer_comes(province):
    request = send(province)
    answer(province, request)
    notified = Notification.objects.filter(key__startswith="request-answer:")
    assert sorted(notified.values_list("user__username", flat=True)) == ["sonoivu"]
    assert notified.get().title == ("Sở KH&CN đã trả lời yêu cầu “Báo cáo một cửa quý I”")


def test_answering_with_an_issued_report_and_never_a_draft(province):
    request = send(province)
    period = province.plan.periods.get(kind="q1")
    draft = ConsolidatedReport.objects.create(
        period=period, symbol="/BC-SKHCN", created_by=province.coordinator
    )
    with pytest.raises(Exception, match="báo cáo định kỳ đã ban hành"):
        services.answer_request(
            request=request,
            agency=province.agency,
            by=province.coordinator,
            kind="report",
            report=draft,
            now=at(date(2026, 4, 8)),
        )
    ConsolidatedReport.objects.filter(pk=draft.pk).update(
        symbol="05/BC-SKHCN", issued_on=date(2026, 4, 2), status=ConsolidatedReport.Status.ISSUED
    )
    draft.refresh_from_db()
    done = services.answer_request(
        request=request,
        agency=province.agency,
        by=province.coordinator,
        kind="report",
        report=draft,
        now=at(date(2026, 4, 8)),
    )
    assert done.citation() == "Báo cáo Quý I số 05/BC-SKHCN ngày 02/04/2026"
    # Another agency's issued report is not the agency's to point at.
    with pytest.raises(Exception, match="báo cáo định kỳ đã ban hành"):
        services.answer_request(
            request=request,
            agency=province.other_agency,
            by=province.outsider,
            kind="report",
            report=draft,
            now=at(date(2026, 4, 8)),
        )


@time_machine.travel(TODAY)
def test_the_request_sits_in_the_office_and_leaders_cần_làm_until_answered(province):
    request = send(province)
    url = f"/yeu-cau/{request.pk}/"
    for person in (province.coordinator, province.leader):
        page = client_as(person).get("/can-lam/").content.decode()
        assert "Trả lời yêu cầu của Sở Nội vụ: Báo cáo một cửa quý I" in page
        assert url in page
    for person in (province.lead_member, province.viewer):
        assert "Báo cáo một cửa quý I" not in client_as(person).get("/can-lam/").content.decode()
    answer(province, request, day=date(2026, 4, 6))
    assert (
        "Báo cáo một cửa quý I" not in client_as(province.leader).get("/can-lam/").content.decode()
    )
    # Still on Sở Tư pháp's, and gone once Sở Nội vụ cancels the request.
    membership = province.outsider.membership
    assert [i.url for i in todo_for(membership, date(2026, 4, 6)) if i.url == url] == [url]
    services.cancel_request(request=request, by=province.sonoivu, reason="Đã có số liệu")
    assert [i.url for i in todo_for(membership, date(2026, 4, 6)) if i.url == url] == []


def test_reminders_before_the_due_date_and_when_overdue_once_each(province):
    request = send(province)
    answer(province, request, day=date(2026, 4, 5))

    def made(day):
        return create_notifications(reminders=reminders_due(day), now=at(day))

    ours = lambda notes: sorted(  # noqa: E731
        (n.user.username, n.key) for n in notes if n.key.startswith("request-")
    )
    assert ours(made(date(2026, 4, 6))) == [
        ("outsider", f"request-due:{request.pk}:{province.other_agency.pk}@20260410:7d"),
        ("sxd-office", f"request-due:{request.pk}:{province.third_agency.pk}@20260410:7d"),
    ]
    assert ours(made(date(2026, 4, 7))) == []  # the same reminder is not sent twice
    assert [k for _u, k in ours(made(date(2026, 4, 9)))] == [
        f"request-due:{request.pk}:{province.other_agency.pk}@20260410:1d",
        f"request-due:{request.pk}:{province.third_agency.pk}@20260410:1d",
    ]
    overdue = ours(made(date(2026, 4, 11)))
    assert [k for _u, k in overdue] == [
        f"request-overdue:{request.pk}:{province.other_agency.pk}@20260410:1",
        f"request-overdue:{request.pk}:{province.third_agency.pk}@20260410:1",
    ]
    assert ours(made(date(2026, 4, 12))) == []
    assert len(ours(made(date(2026, 4, 18)))) == 2  # chased again a week later
    # An agency that answers, and then a cancelled request, are reminded no more.
    answer(
        province,
        request,
        agency=province.third_agency,
        by=province.third_office,
        day=date(2026, 4, 20),
    )
    assert [u for u, _k in ours(made(date(2026, 4, 25)))] == ["outsider"]
    services.cancel_request(request=request, by=province.sonoivu, reason="Thôi")
    assert ours(made(date(2026, 5, 2))) == []


# Permissions.


@time_machine.travel(TODAY)
def test_who_sees_the_request_its_board_and_the_answers(province):
    request = send(province)
    mine = answer(province, request, day=date(2026, 4, 6))
    theirs = answer(
        province, request, agency=province.other_agency, by=province.outsider, day=date(2026, 4, 6)
    )
    detail = f"/yeu-cau/{request.pk}/"
    mine_file = f"/yeu-cau/{request.pk}/tra-loi/{mine.pk}/tep/"
    theirs_file = f"/yeu-cau/{request.pk}/tra-loi/{theirs.pk}/tep/"
    # Sở Nội vụ's people (viewer included) read the board and open every answer.
    for person in (province.sonoivu, province.province_viewer):
        client = client_as(person)
        page = client.get(detail).content.decode()
        assert 'id="board"' in page and "Sở Tư pháp" in page
        assert b"".join(client.get(mine_file).streaming_content) == PDF
        assert client.get(theirs_file).status_code == 200
        assert client.get(f"/yeu-cau/{request.pk}/xuat.xlsx").status_code == 200
    # An agency sees the request and its own answer, never another's nor the board.
    office = client_as(province.coordinator)
    page = office.get(detail).content.decode()
    assert 'id="board"' not in page and "Sở Tư pháp" not in page
    assert office.get(mine_file).status_code == 200
    assert office.get(theirs_file).status_code == 404
    assert office.get(f"/yeu-cau/{request.pk}/xuat.xlsx").status_code == 404
    # An agency not addressed, a second province, anonymous: nothing.
    chosen = send(province, to_all=False, agencies=[province.other_agency])
    assert office.get(f"/yeu-cau/{chosen.pk}/").status_code == 404
    assert (
        "Báo cáo một cửa"
        not in client_as(province.second_sonoivu).get("/yeu-cau/").content.decode()
    )
    for url in (detail, mine_file, f"/yeu-cau/{request.pk}/tep-mau/"):
        assert client_as(province.second_sonoivu).get(url).status_code == 404
        assert client_as().get(url).status_code == 302


@time_machine.travel(TODAY)
def test_only_the_addressed_office_answers_and_only_sở_nội_vụ_sends_and_amends(province):
    request = send(province)
    data = {"kind": "document", "number_symbol": "1/SKHCN", "file": io.BytesIO(PDF)}
    url = f"/yeu-cau/{request.pk}/tra-loi/"
    for person in (province.lead_member, province.leader, province.viewer, province.sonoivu):
        data["file"] = SimpleUploadedFile("a.pdf", PDF)
        assert post_form(client_as(person), url, data).status_code in (403, 404), person
    assert not RequestAnswer.objects.exists()
    for person in (province.province_viewer, province.coordinator, province.second_sonoivu):
        client = client_as(person)
        # Another province's Sở Nội vụ sends its own requests, never amends this one.
        assert client.get("/yeu-cau/moi/").status_code == (
            200 if person == province.second_sonoivu else 403
        )
        assert post_form(client, f"/yeu-cau/{request.pk}/huy/", {"reason": "x"}).status_code in (
            403,
            404,
        )
        assert post_form(
            client, f"/yeu-cau/{request.pk}/han/", {"due_date": "20/04/2026"}
        ).status_code in (403, 404)
    request.refresh_from_db()
    assert request.due_date == DUE and not request.is_cancelled
    # The leader of Sở Nội vụ sends; a service call by anyone else is refused too.
    assert client_as(province.province_leader).get("/yeu-cau/moi/").status_code == 200
    with pytest.raises(PermissionError):
        services.create_request(
            province=province.province,
            by=province.province_viewer,
            topic="x",
            outline="y",
            due_date=DUE,
            to_all=True,
        )


# Pages through the web, and their queries.


@time_machine.travel(TODAY)
def test_sending_through_the_page_with_a_template_and_answering_with_a_file(province):
    client = client_as(province.sonoivu)
    response = post_form(
        client,
        "/yeu-cau/moi/",
        {
            "topic": "Báo cáo chuyển đổi số",
            "outline": "",
            "template": SimpleUploadedFile("de-cuong.docx", docx_bytes("Đề cương")),
            "due_date": "15/04/2026",
            "agencies": [province.agency.pk, province.third_agency.pk],
        },
    )
    request = ReportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/yeu-cau/{request.pk}/"
    assert sorted(request.agencies.values_list("short_name", flat=True)) == ["SKHCN", "SXD"]
    office = client_as(province.coordinator)
    template = office.get(f"/yeu-cau/{request.pk}/tep-mau/")
    assert template["Content-Disposition"] == 'attachment; filename="de-cuong.docx"'
    response = post_form(
        office,
        f"/yeu-cau/{request.pk}/tra-loi/",
        {
            "kind": "document",
            "file": SimpleUploadedFile("tra-loi.pdf", PDF),
            "number_symbol": "130/SKHCN-VP",
            "issued_on": "06/04/2026",
            "note": "Kính gửi Sở Nội vụ",
        },
    )
    assert response.status_code == 302
    page = client_as(province.sonoivu).get(f"/yeu-cau/{request.pk}/").content.decode()
    assert "Văn bản số 130/SKHCN-VP ngày 06/04/2026" in page
    assert "Trả lời đúng hạn (06/04/2026)" in page
    listing = client_as(province.sonoivu).get("/yeu-cau/").content.decode()
    assert 'data-count="answered">1<' in listing and 'data-count="waiting">1<' in listing


@time_machine.travel("2026-04-20 10:00 +07:00")
def test_the_board_sorts_and_exports_what_it_shows(province):
    request = send(province)
    Agency.objects.filter(pk=province.third_agency.pk).update(name='=HYPERLINK("x")')
    answer(province, request, day=date(2026, 4, 8))
    answer(
        province, request, agency=province.other_agency, by=province.outsider, day=date(2026, 4, 13)
    )
    client = client_as(province.sonoivu)
    page = client.get(f"/yeu-cau/{request.pk}/?sap-xep=tinh-trang").content.decode()
    order = [
        page.index(f'data-agency="{a.pk}"')
        for a in (province.third_agency, province.other_agency, province.agency)
    ]
    assert order == sorted(order)  # missing, late, on time
    assert "Đúng hạn: 1 · Chậm: 1 · Quá hạn chưa trả lời: 1" in page
    response = client.get(f"/yeu-cau/{request.pk}/xuat.xlsx?sap-xep=co-quan")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [r[1] for r in rows] == ['=HYPERLINK("x")', "Sở KH&CN", "Sở Tư pháp"]
    assert [r[2] for r in rows] == [
        "Chưa trả lời — quá hạn 10 ngày",
        "Trả lời đúng hạn (08/04/2026)",
        "Trả lời chậm 3 ngày (13/04/2026)",
    ]
    assert [r[4] for r in rows] == [10, None, 3]
    assert sheet.cell(row=4, column=2).data_type == "s"  # text, never a formula


def grow(world, n):
    """n more agencies under the province, each addressed and half of them answering."""
    request = ReportRequest.objects.get()
    start = Agency.objects.count()
    for i in range(n):
        agency = Agency.objects.create(
            name=f"Xã {start + i}", short_name=f"X{start + i}", parent=world.province
        )
        office = make_person(f"x{start + i}", agency, Role.COORDINATOR)
        RequestRecipient.objects.create(request=request, agency=agency)
        if i % 2:
            answer(world, request, agency=agency, by=office, day=date(2026, 4, 5))


@time_machine.travel(TODAY)
def test_every_page_runs_the_same_queries_with_three_agencies_as_with_twenty(
    province, django_assert_max_num_queries
):
    request = send(province)
    answer(province, request, day=date(2026, 4, 5))
    pages = {
        "list as Sở Nội vụ": (province.sonoivu, "/yeu-cau/"),
        "new request": (province.sonoivu, "/yeu-cau/moi/"),
        "board": (province.sonoivu, f"/yeu-cau/{request.pk}/?sap-xep=co-quan"),
        "xlsx": (province.sonoivu, f"/yeu-cau/{request.pk}/xuat.xlsx"),
        "list as an agency": (province.coordinator, "/yeu-cau/"),
        "request as its office": (province.coordinator, f"/yeu-cau/{request.pk}/"),
        "Cần làm": (province.outsider, "/can-lam/"),
    }
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        counts = {}
        for name, (person, url) in pages.items():
            client = client_as(person)
            client.get("/yeu-cau/")  # the session's own queries out of the way
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, name
            counts[name] = len(queries)
        return counts

    small = count()
    grow(province, 17)
    assert count() == small
    # Measured: 8 (lists, board), 9 (the office's request page), 7 (new), 5 (XLSX), 14 (Cần làm,
    # with the consolidated report's next step and the inbox of issue 16's chain).
    assert small["board"] <= 8 and small["list as Sở Nội vụ"] <= 8, small
    assert max(small.values()) <= 14, small


# Bad input.


@time_machine.travel(TODAY)
def test_bad_input_is_refused_in_vietnamese_and_what_was_typed_stays(province):
    client = client_as(province.sonoivu)
    response = post_form(
        client,
        "/yeu-cau/moi/",
        {"topic": "Báo cáo tuyên truyền", "outline": "", "due_date": "01/04/2026"},
    )
    page = response.content.decode()
    assert "Hãy nhập đề cương hoặc đính kèm tệp mẫu." in page
    assert "Hạn trả lời không thể trước hôm nay." in page
    assert "Hãy chọn ít nhất một cơ quan nhận yêu cầu." in page
    assert 'value="Báo cáo tuyên truyền"' in page
    response = post_form(
        client,
        "/yeu-cau/moi/",
        {
            "topic": "Báo cáo tuyên truyền",
            "outline": "Nội dung",
            "due_date": "31/02/2026",
            "to_all": "on",
            "template": SimpleUploadedFile("mau.pdf", b"<html>not a pdf</html>"),
        },
    )
    page = response.content.decode()
    assert "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy." in page
    response = post_form(
        client,
        "/yeu-cau/moi/",
        {
            "topic": "Báo cáo tuyên truyền",
            "outline": "Nội dung",
            "due_date": "30/04/2026",
            "to_all": "on",
            "template": SimpleUploadedFile("mau.pdf", b"<html>not a pdf</html>"),
        },
    )
    page = response.content.decode()
    assert "nội dung không phải tệp PDF" in page
    assert "hãy chọn lại tệp" in page
    assert not ReportRequest.objects.exists() and media_files() == []

    request = send(province)
    office = client_as(province.coordinator)
    response = post_form(
        office,
        f"/yeu-cau/{request.pk}/tra-loi/",
        {"kind": "document", "number_symbol": "", "issued_on": "09/04/2026", "note": "Ghi chú dài"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Hãy đính kèm văn bản trả lời." in page and "Hãy nhập số, ký hiệu văn bản." in page
    assert "Ngày văn bản không thể sau hôm nay." in page
    assert "Ghi chú dài" in page
    response = post_form(client, f"/yeu-cau/{request.pk}/huy/", {"reason": ""})
    assert response.status_code == 400
    response = post_form(client, f"/yeu-cau/{request.pk}/han/", {"due_date": "10/04/2026"})
    assert "Hạn mới trùng với hạn hiện tại." in response.content.decode()
    response = post_form(client, f"/yeu-cau/{request.pk}/han/", {"due_date": "20/03/2026"})
    assert "Hạn trả lời không thể trước ngày gửi yêu cầu." in response.content.decode()
    assert (
        not RequestAnswer.objects.exists() and not request.events.exclude(kind="created").exists()
    )


# A disk that fails midway.


def test_a_full_disk_while_writing_an_answer_leaves_nothing_and_the_slot_unanswered(
    province, monkeypatch
):
    request = send(province)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        answer(province, request)
    assert not RequestAnswer.objects.exists()
    assert RecipientQuery(request).get(agency=province.agency).first_answered_at is None
    assert not Notification.objects.exists()
    assert media_files() == []


def test_a_save_failing_after_the_file_was_written_leaves_neither_row_nor_file(
    province, monkeypatch
):
    request = send(province)
    first = answer(province, request)
    kept = media_files()

    def fails(self, *args, **kwargs):
        raise OSError(errno.EIO, "the database write failed")

    monkeypatch.setattr(RequestEvent, "save", fails)
    monkeypatch.setattr(RequestEvent.objects, "create", lambda **kw: fails(None))
    with pytest.raises(OSError):
        answer(province, request, day=date(2026, 4, 9), name="ban-sua.pdf")
    assert media_files() == kept
    slot = RecipientQuery(request).get(agency=province.agency)
    assert slot.answer == first
    first.refresh_from_db()
    assert first.replaced_at is None
    with pytest.raises(OSError):
        send(province, template=SimpleUploadedFile("mau.pdf", PDF))
    assert ReportRequest.objects.count() == 1 and media_files() == kept


# The demo.


def test_the_demo_request_was_answered_late_by_sở_khcn(db):
    from partrack.plans.demo import load_demo

    load_demo(extensions=True)
    request = ReportRequest.objects.get()
    assert request.created_by.username == "sonoivu"
    states = {
        s.agency.short_name: s.standing(date(2026, 11, 30)).label for s in RecipientQuery(request)
    }
    assert states["SKHCN"] == "Trả lời chậm 5 ngày (15/04/2026)"
    assert states["STP"] == "Trả lời đúng hạn (08/04/2026)"
    for answer_ in RequestAnswer.objects.all():
        assert Path(settings.MEDIA_ROOT, answer_.file.name).exists()
    # Nothing left to remind or to notify of the request (the demo's report up the chain has
    # notifications of its own).
    assert not Notification.objects.filter(key__startswith="request").exists()
    assert not [r for r in reminders_due(date(2026, 4, 20)) if r.key.startswith("request-")]
