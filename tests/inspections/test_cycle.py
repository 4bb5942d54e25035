"""The units' reports and self-inspections, the minutes, and recommendations that become tasks."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from partrack.inspections import services
from partrack.inspections.models import FOLLOW_UP_AREA, Rating, UnitSubmission
from partrack.plans import services as plan_services
from partrack.plans.models import State, Status
from partrack.reporting.reminders import reminders_due
from tests.conftest import post_form
from tests.inspections.conftest import DURING

pytestmark = pytest.mark.django_db


@time_machine.travel(DURING)
def test_a_self_inspection_goes_draft_submitted_returned_and_accepted(iw):
    w = iw.world
    services.update_inspection(
        inspection=iw.inspection, by=w.coordinator, self_inspection_due=date(2026, 10, 31)
    )
    plan_services.record_progress(
        task=w.add_task(number=2, content="Tuyên truyền cải cách hành chính", lead=w.helping_unit),
        by=w.helping_member,
        unit=w.helping_unit,
        status=Status.IN_PROGRESS,
        percent=40,
        narrative="",
        done_on=None,
        expected_version=1,
    )
    unit = w.client(w.helping_member)
    url = iw.url(f"bao-cao/{w.helping_unit.pk}/")
    assert "Chưa lập" in w.client(w.coordinator).get(iw.url()).content.decode()
    assert post_form(unit, url, {}).status_code == 302  # start
    submission = UnitSubmission.objects.get(unit=w.helping_unit)
    assert submission.kind == UnitSubmission.Kind.SELF
    # Prefilled: the unit's task on communication sits under the communication content.
    assert "Nhiệm vụ số 2: Tuyên truyền cải cách hành chính" in submission.answers[1]["text"]
    assert "(40%)" in submission.answers[1]["text"]

    texts = {f"text-{n}": f"Kết quả {n}" for n in range(6)}
    unrated = post_form(unit, url, {**texts, "lock_version": 1, "submit": ""})
    assert unrated.status_code == 400
    assert "Hãy tự đánh giá từng nội dung trước khi gửi." in unrated.content.decode()
    ratings = {f"rating-{n}": Rating.PASSED for n in range(6)}
    submission.refresh_from_db()
    sent = post_form(
        unit, url, {**texts, **ratings, "lock_version": submission.lock_version, "submit": ""}
    )
    assert sent.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "submitted" and submission.answers[0]["text"] == "Kết quả 0"
    locked = post_form(unit, url, {**texts, "lock_version": submission.lock_version})
    assert locked.status_code == 400
    assert "Báo cáo đã gửi nên không sửa được nữa." in locked.content.decode()

    office = w.client(w.coordinator)
    review = iw.url(f"bao-cao/{w.helping_unit.pk}/xem-xet/")
    assert post_form(office, review, {"decision": "return", "comment": ""}).status_code == 400
    assert (
        post_form(office, review, {"decision": "return", "comment": "Bổ sung số liệu"}).status_code
        == 302
    )
    submission.refresh_from_db()
    assert submission.status == "returned"
    assert "Bổ sung số liệu" in unit.get(url).content.decode()
    post_form(
        unit, url, {**texts, **ratings, "lock_version": submission.lock_version, "submit": ""}
    )
    post_form(office, review, {"decision": "accept", "comment": ""})
    submission.refresh_from_db()
    assert submission.status == "accepted"
    assert [v.outcome for v in submission.versions.all()] == ["accepted", "returned"]
    board = office.get(iw.url()).content.decode()
    assert "1/2 đã gửi" in board  # the bystander unit has not sent its own


@time_machine.travel(DURING)
def test_a_stale_save_is_refused_and_keeps_what_was_typed(iw):
    w = iw.world
    submission = services.start_unit_submission(
        inspection=iw.inspection, unit=w.lead_unit, by=w.lead_member
    )
    assert submission.kind == UnitSubmission.Kind.REPORT
    unit = w.client(w.lead_member)
    url = iw.url(f"bao-cao/{w.lead_unit.pk}/")
    post_form(unit, url, {"text-0": "Lần một", "lock_version": 1})
    stale = post_form(unit, url, {"text-0": "Lần hai, chưa lưu", "lock_version": 1})
    assert stale.status_code == 409
    assert "Lần hai, chưa lưu" in stale.content.decode()
    submission.refresh_from_db()
    assert submission.answers[0]["text"] == "Lần một"


@time_machine.travel(DURING)
def test_the_assigned_member_writes_the_minutes_and_only_the_leader_signs_them(iw):
    w = iw.world
    url = iw.url(f"don-vi/{w.lead_unit.pk}/bien-ban/")
    rows = {f"checked-{n}": f"Hồ sơ {n}" for n in range(6)}
    rows.update({f"found-{n}": "Đầy đủ" for n in range(6)})
    rows.update({f"rating-{n}": Rating.PASSED for n in range(5)})
    assert post_form(w.client(w.coordinator), url, rows).status_code == 302
    items = list(iw.inspected.minutes.all())
    assert [i.rating for i in items] == [Rating.PASSED] * 5 + [""]
    sign = iw.url(f"don-vi/{w.lead_unit.pk}/ky/")
    assert post_form(w.client(w.coordinator), sign, {}).status_code == 403
    post_form(w.client(w.leader), sign, {})  # one content is not rated yet
    iw.inspected.refresh_from_db()
    assert not iw.inspected.minutes_signed
    rows["rating-5"] = Rating.NOT_APPLICABLE
    post_form(w.client(w.leader), url, rows)
    assert post_form(w.client(w.leader), sign, {}).status_code == 302
    iw.inspected.refresh_from_db()
    assert iw.inspected.minutes_signed_by == w.leader
    # Signed minutes are locked for everyone.
    assert post_form(w.client(w.coordinator), url, rows).status_code == 403
    with pytest.raises(ValidationError):
        services.save_minutes(inspected=iw.inspected, by=w.leader, rows={})


def test_a_team_member_not_assigned_to_the_unit_cannot_write_its_minutes(iw):
    w = iw.world
    services.set_team(
        inspection=iw.inspection,
        by=w.coordinator,
        members=[w.leader, w.coordinator, w.viewer],
        leader=w.leader,
    )
    url = iw.url(f"don-vi/{w.lead_unit.pk}/bien-ban/")
    assert w.client(w.viewer).get(url).status_code == 403
    assert w.client(w.coordinator).get(url).status_code == 200


def test_a_recommendation_becomes_a_task_that_is_tracked_reminded_and_counted_fixed(iw):
    w = iw.world
    with time_machine.travel(DURING):
        iw.write_minutes([Rating.FAILED] + [Rating.PASSED] * 5)
        iw.sign_and_conclude()
        response = post_form(
            w.client(w.coordinator),
            iw.url(f"don-vi/{w.lead_unit.pk}/kien-nghi/"),
            {
                "finding": "Chưa cập nhật kế hoạch",
                "text": "Bổ sung kế hoạch CCHC của phòng",
                "lead_unit": w.lead_unit.pk,
                "due_date": "15/09/2026",
            },
        )
        assert response.status_code == 302
    recommendation = iw.inspected.recommendations.get()
    task = recommendation.task
    assert task.area.title == FOLLOW_UP_AREA and task.plan == w.plan
    assert list(task.lead_units.all()) == [w.lead_unit]
    assert (task.due_date, task.number) == (date(2026, 9, 15), 2)
    assert task.inspection_recommendation == recommendation
    # The task's page leads back to the inspection that gave it.
    task_page = w.client(w.lead_member).get(task.get_absolute_url()).content.decode()
    assert (
        f'<a href="{iw.inspected.get_absolute_url()}">Kiến nghị sau kiểm tra CCHC năm 2026 '
        "tại Phòng Chuyển đổi số</a>" in task_page
    )
    assert (
        "Kiến nghị sau kiểm tra"
        not in w.client(w.lead_member).get(w.task.get_absolute_url()).content.decode()
    )
    # In the unit's "Cần làm" when it falls due, and reminded like any task.
    with time_machine.travel("2026-09-10 09:00 +07:00"):
        todo = w.client(w.lead_member).get("/can-lam/").content.decode()
        assert "Bổ sung kế hoạch CCHC của phòng" in todo
        keys = [r.key for r in reminders_due(date(2026, 9, 10))]
        assert any(key.startswith(f"task-due:{task.pk}:") for key in keys)
        assert task.state(date(2026, 9, 10)) == State.DUE_SOON
        page = w.client(w.coordinator).get(iw.url()).content.decode()
        assert 'id="fixed">0/1<' in page
        plan_services.record_progress(
            task=task,
            by=w.lead_member,
            unit=w.lead_unit,
            status=Status.DONE,
            percent=100,
            narrative="Đã bổ sung",
            done_on=date(2026, 9, 10),
            expected_version=task.version,
            no_evidence_reason="Kế hoạch nội bộ",
        )
        page = w.client(w.coordinator).get(iw.url()).content.decode()
        assert 'id="fixed">1/1<' in page
        assert (
            "Bổ sung kế hoạch CCHC của phòng"
            not in w.client(w.lead_member).get("/can-lam/").content.decode()
        )


@time_machine.travel(DURING)
def test_a_recommendation_waits_for_the_conclusion_and_needs_a_future_deadline(iw):
    w = iw.world
    args = {"inspected": iw.inspected, "by": w.coordinator, "text": "Sửa", "lead_unit": w.lead_unit}
    with pytest.raises(ValidationError):
        services.add_recommendation(**args, due_date=date(2026, 9, 1))
    iw.write_minutes()
    iw.sign_and_conclude()
    with pytest.raises(ValidationError):
        services.add_recommendation(**args, due_date=date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.add_recommendation(
            **{**args, "lead_unit": w.other_task.lead_units.first()}, due_date=date(2026, 9, 1)
        )
    assert not iw.inspected.recommendations.exists()


def test_cần_làm_lists_the_self_inspection_the_minutes_and_the_reviews_once_issued(iw):
    w = iw.world
    with time_machine.travel(DURING):
        services.update_inspection(
            inspection=iw.inspection, by=w.coordinator, self_inspection_due=date(2026, 10, 31)
        )
        helper = w.client(w.helping_member)
        assert "Tự kiểm tra CCHC năm 2026" not in helper.get("/can-lam/").content.decode()
        services.issue_plan(
            inspection=iw.inspection,
            by=w.coordinator,
            symbol="98/KH-SKHCN",
            issued_on=date(2026, 8, 1),
            document=b"PK",
        )
        todo = helper.get("/can-lam/").content.decode()
        assert "Tự kiểm tra CCHC năm 2026" in todo and "31/10/2026" in todo
        lead = w.client(w.lead_member).get("/can-lam/").content.decode()
        assert "Báo cáo theo nội dung kiểm tra CCHC năm 2026" in lead
        assert (
            "Biên bản kiểm tra tại Phòng Chuyển đổi số"
            in w.client(w.coordinator).get("/can-lam/").content.decode()
        )
        own = services.start_unit_submission(
            inspection=iw.inspection, unit=w.helping_unit, by=w.helping_member
        )
        services.save_unit_submission(
            submission=own,
            by=w.helping_member,
            texts={},
            ratings={n: Rating.PASSED for n in range(6)},
            expected_version=own.lock_version,
        )
        services.submit_unit_submission(submission=own, by=w.helping_member)
        assert "Tự kiểm tra CCHC năm 2026" not in helper.get("/can-lam/").content.decode()
        office = w.client(w.coordinator).get("/can-lam/").content.decode()
        assert "Xem xét báo cáo tự kiểm tra của Phòng Kế hoạch Tài chính" in office
        iw.write_minutes()
        services.sign_minutes(inspected=iw.inspected, by=w.leader)
        assert (
            "Biên bản kiểm tra tại" not in w.client(w.coordinator).get("/can-lam/").content.decode()
        )


def test_the_office_does_not_inspect_itself(iw):
    w = iw.world
    url = iw.url(f"bao-cao/{w.office.pk}/")
    office = w.client(w.coordinator)
    assert post_form(office, url, {}).status_code == 302
    assert not UnitSubmission.objects.filter(unit=w.office).exists()
    assert (
        "Văn phòng là đơn vị đầu mối, không lập báo cáo tự kiểm tra."
        in office.get(url).content.decode()
    )


def test_an_unsent_form_follows_the_choice_of_units(iw):
    w = iw.world
    own = services.start_unit_submission(
        inspection=iw.inspection, unit=w.helping_unit, by=w.helping_member
    )
    assert own.kind == UnitSubmission.Kind.SELF
    services.select_units(
        inspection=iw.inspection, by=w.coordinator, units=[w.lead_unit, w.helping_unit]
    )
    own.refresh_from_db()
    assert own.kind == UnitSubmission.Kind.REPORT
