"""The consolidated report's approval: sent to the leaders the office picks, approved or returned
with a comment, issued with its number and date; every step in the history and notified; edits
after approval undo it; only the right people may take each step."""

import pytest
import time_machine

from partrack.reporting import approval, consolidation
from partrack.reporting.models import (
    ConsolidatedReport,
    Notification,
    OutgoingEmail,
    ReportFile,
    ReportStep,
)
from partrack.reporting.todo import todo_for
from tests.conftest import client_as, post_form
from tests.reporting.chain_support import (
    chain_world,
    decide,
    issue,
    page,
    refreshed,
    submit,
    up_to_issued,
)

pytestmark = pytest.mark.django_db
Status = ConsolidatedReport.Status
AT = "2026-03-18 10:00 +07:00"


@pytest.fixture
def chain(world, settings, monkeypatch):
    with time_machine.travel(AT, tick=True):
        yield chain_world(world, settings, monkeypatch)


def notified(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind))


def history(world):
    return list(
        ReportStep.objects.filter(report=world.report).values_list("action", "by__username")
    )


def test_the_office_sends_a_leader_approves_and_the_office_issues(chain):
    world = chain
    office, leader = world.client(world.coordinator), world.client(world.leader)
    html = office.get(page(world.q1)).content.decode()
    assert 'id="submit-form"' in html and "Nguyễn Leader" in html and "Nguyễn Leader2" in html

    response = submit(office, world, world.leader, comment="Kính trình anh duyệt.")
    assert response.status_code == 302
    assert refreshed(world).status == Status.PENDING
    # The leader asked is notified, in the app and by e-mail; the other leader is not.
    [note] = notified(world.leader, Notification.Kind.CONSOLIDATED_PENDING)
    assert note.body == "Kính trình anh duyệt." and note.url.endswith("#approval")
    assert OutgoingEmail.objects.filter(to="leader@example.vn").exists()
    assert not notified(world.other_leader, Notification.Kind.CONSOLIDATED_PENDING)
    # It is in the leader's "Cần làm", not in the other leader's.
    items = todo_for(world.leader.membership, world.q1.unit_due)
    assert [i.title for i in items if "Duyệt báo cáo tổng hợp" in i.title]
    assert not [
        i for i in todo_for(world.other_leader.membership, world.q1.unit_due) if "Duyệt" in i.title
    ]
    page_html = leader.get(page(world.q1)).content.decode()
    assert 'id="approve-button"' in page_html and 'id="return-button"' in page_html
    assert (
        'id="approve-button"'
        not in world.client(world.other_leader).get(page(world.q1)).content.decode()
    )

    assert decide(leader, world, "approve", "Đồng ý.").status_code == 302
    assert refreshed(world).status == Status.APPROVED
    [note] = notified(world.coordinator, Notification.Kind.CONSOLIDATED_APPROVED)
    assert "chờ ban hành" in note.title

    # A number is required; the bare "/BC-SKHCN" is not one.
    issue(office, world, symbol="/BC-SKHCN")
    assert refreshed(world).status == Status.APPROVED
    assert issue(office, world, day="19/03/2026").status_code == 302  # after today: refused
    assert refreshed(world).status == Status.APPROVED
    assert issue(office, world).status_code == 302
    report = refreshed(world)
    assert report.status == Status.ISSUED and report.symbol == "05/BC-SKHCN"
    assert report.issued_on.isoformat() == "2026-03-18"
    # The files of the issued text carry the number and are kept for good.
    docx = report.files.get(kind=ReportFile.Kind.DOCX, issued=True)
    assert docx.version == report.files.order_by("-version").first().version
    assert list(ConsolidatedReport.objects.issued()) == [report]
    assert not ConsolidatedReport.objects.sent().exists()
    [note] = notified(world.leader, Notification.Kind.CONSOLIDATED_ISSUED)
    assert "05/BC-SKHCN" in note.body

    assert history(world) == [
        ("submitted", "office"),
        ("approved", "leader"),
        ("issued", "office"),
    ]
    html = leader.get(page(world.q1)).content.decode()
    history_html = html.split('id="history"')[1]
    assert "Kính trình anh duyệt." in history_html and "Đồng ý." in history_html
    assert "Số 05/BC-SKHCN ngày 18/03/2026" in history_html
    assert 'id="text-locked"' in html


def test_a_leader_returns_with_a_comment_and_the_office_edits_and_resends(chain):
    world = chain
    office, leader = world.client(world.coordinator), world.client(world.leader)
    submit(office, world, world.leader, world.other_leader)
    # Returning needs the words of what to change.
    decide(leader, world, "return", "  ")
    assert refreshed(world).status == Status.PENDING
    decide(leader, world, "return", "Bổ sung số liệu phần II.")
    assert refreshed(world).status == Status.RETURNED
    [note] = notified(world.coordinator, Notification.Kind.CONSOLIDATED_RETURNED)
    assert note.body == "Bổ sung số liệu phần II."
    # The other leader asked cannot decide on a report no longer waiting.
    decide(world.client(world.other_leader), world, "approve")
    assert refreshed(world).status == Status.RETURNED
    html = office.get(page(world.q1)).content.decode()
    assert "Bổ sung số liệu phần II." in html.split('id="returned-comment"')[1]
    assert "Trình lại lãnh đạo" in html
    # The office edits (it stays returned) and sends again.
    form = office.get(page(world.q1)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["text_proposals"] = "Đã bổ sung."
    assert post_form(office, page(world.q1, "luu"), data).status_code == 302
    assert refreshed(world).status == Status.RETURNED
    submit(office, world, world.other_leader)
    assert refreshed(world).status == Status.PENDING
    decide(world.client(world.other_leader), world, "approve")
    assert refreshed(world).status == Status.APPROVED
    assert [a for a, _by in history(world)] == ["submitted", "returned", "submitted", "approved"]


def test_editing_after_approval_takes_the_report_back_to_draft(chain):
    world = chain
    office, leader = world.client(world.coordinator), world.client(world.leader)
    submit(office, world, world.leader)
    decide(leader, world, "approve")
    html = office.get(page(world.q1)).content.decode()
    assert "việc trình/duyệt không còn giá trị" in html.split('id="edit-invalidates"')[1]
    form = office.get(page(world.q1)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["text_proposals"] = "Sửa sau khi duyệt."
    response = post_form(office, page(world.q1, "luu"), data)
    assert response.status_code == 302
    report = refreshed(world)
    assert report.status == Status.DRAFT and not report.approvers.exists()
    assert history(world)[-1] == ("reopened", "office")
    assert notified(world.leader, Notification.Kind.CONSOLIDATED_REOPENED)
    follow = office.get(page(world.q1))
    assert "việc trình/duyệt trước không còn giá trị" in follow.content.decode()
    # Approval cannot be claimed any more: issuing is refused.
    issue(office, world)
    assert refreshed(world).status == Status.DRAFT
    # Redrafting from the data while pending undoes the sending too.
    submit(office, world, world.leader)
    post_form(office, page(world.q1, "soan-lai"), {"version": refreshed(world).version})
    assert refreshed(world).status == Status.DRAFT


def test_an_issued_reports_text_is_locked(chain):
    world = chain
    office, _leader = up_to_issued(world)
    before = refreshed(world)
    response = office.get(page(world.q1))
    assert response.context["form"] is None
    data = {
        "version": before.version,
        "symbol": "06/BC-SKHCN",
        "issued_on": "",
        "text_proposals": "x",
    }
    response = post_form(office, page(world.q1, "luu"), data)
    assert response.status_code == 302
    response = post_form(office, page(world.q1, "soan-lai"), {"version": before.version})
    after = refreshed(world)
    assert (after.version, after.symbol, after.narrative) == (
        before.version,
        "05/BC-SKHCN",
        before.narrative,
    )
    with pytest.raises(consolidation.StaleConsolidatedReport):
        consolidation.save_consolidated_report(
            report=after,
            narrative={},
            symbol="x",
            issued_on=None,
            by=world.coordinator,
            expected_version=after.version,
        )


def test_who_may_take_each_step(chain):
    """Every step refused to everyone but the office (send, issue) or the leader asked (decide)."""
    world = chain
    office, leader = world.client(world.coordinator), world.client(world.leader)
    forbidden = {
        "unit member": world.lead_member,
        "viewer": world.viewer,
        "administrator": world.administrator,
        "other agency": world.outsider,
        "province": world.province_viewer,
        "Sở Nội vụ": world.snv_desk,
    }
    # Sending for approval.
    for who, user in {**forbidden, "leader": world.leader}.items():
        response = submit(world.client(user), world, world.leader)
        assert response.status_code in (403, 404), who
    response = submit(client_as(None), world, world.leader)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert refreshed(world).status == Status.DRAFT
    # Only a leader of the agency may be asked.
    submit(office, world, world.outsider)
    submit(office, world, world.viewer)
    assert refreshed(world).status == Status.DRAFT
    submit(office, world, world.leader)
    # Deciding: the leader asked, no one else (the office, the other leader, outsiders).
    for who, user in {
        **forbidden,
        "office": world.coordinator,
        "leader not asked": world.other_leader,
    }.items():
        for decision in ("approve", "return"):
            response = decide(world.client(user), world, decision, "Không đồng ý")
            assert response.status_code in (403, 404), who
    assert decide(client_as(None), world, "approve").status_code == 302
    assert refreshed(world).status == Status.PENDING
    decide(leader, world, "approve")
    # Issuing: the office only.
    for who, user in {**forbidden, "leader": world.leader}.items():
        assert issue(world.client(user), world).status_code in (403, 404), who
    assert refreshed(world).status == Status.APPROVED
    issue(office, world)
    assert refreshed(world).status == Status.ISSUED
    # Once issued, it cannot be sent for approval again, nor decided.
    submit(office, world, world.leader)
    assert refreshed(world).status == Status.ISSUED
    assert history(world) == [
        ("submitted", "office"),
        ("approved", "leader"),
        ("issued", "office"),
    ]


def test_two_leaders_deciding_at_once_make_one_decision(chain):
    world = chain
    office = world.client(world.coordinator)
    submit(office, world, world.leader, world.other_leader)
    report = refreshed(world)
    approval.approve(report=report, by=world.leader)
    with pytest.raises(approval.WrongStep):
        approval.return_for_changes(report=report, by=world.other_leader, comment="Không")
    assert refreshed(world).status == Status.APPROVED
    response = decide(world.client(world.other_leader), world, "return", "Không")
    assert response.status_code == 302
    assert refreshed(world).status == Status.APPROVED


def test_the_report_page_and_cần_làm_keep_their_query_counts_at_every_step(
    chain, django_assert_max_num_queries
):
    world = chain
    office, leader = world.client(world.coordinator), world.client(world.leader)
    from tests.reporting.test_consolidated_pages import MAX_QUERIES

    submit(office, world, world.leader)
    # The leader's page: the approvers asked are read once more.
    with django_assert_max_num_queries(MAX_QUERIES + 1):
        assert leader.get(page(world.q1)).status_code == 200
    with django_assert_max_num_queries(14):
        assert leader.get("/can-lam/").status_code == 200
    decide(leader, world, "approve")
    with django_assert_max_num_queries(MAX_QUERIES):
        assert office.get(page(world.q1)).status_code == 200
    issue(office, world)
    # Issued: the signed file is read too (no leaders to choose from any more).
    with django_assert_max_num_queries(MAX_QUERIES):
        assert office.get(page(world.q1)).status_code == 200
