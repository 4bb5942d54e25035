"""The self-assessment from the units' scores to Sở Nội vụ's final word, with its history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from partrack.indices import evidence_sources, results, services
from partrack.indices.models import ScoreChange, SelfAssessment
from partrack.plans.models import Area, Evidence, Plan

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def add_evidence(world, task, symbol, *, with_file=False):
    evidence = Evidence(
        task=task,
        added_by=world.coordinator,
        number_symbol=symbol,
        issued_on=date(2026, 1, 20),
        summary=f"Văn bản {symbol}",
    )
    if with_file:
        # The stored name comes from the type found in the file, set first.
        evidence.file_name, evidence.file_type = "ke-hoach.pdf", "pdf"
        evidence.file.save("ke-hoach.pdf", ContentFile(PDF + symbol.encode()), save=False)
    evidence.save()
    return evidence


def test_suggestions_come_from_the_tasks_of_the_matching_area_only(iw):
    area_iii = Area.objects.create(plan=iw.plan, order=3, numeral="III", title="Cải cách TTHC")
    procedures = iw.add_task(number=2, content="Rà soát TTHC", area=area_iii)
    in_area_i = add_evidence(iw, iw.task, "15/KH-SKHCN")
    in_area_iii = add_evidence(iw, procedures, "16/KH-SKHCN")
    other_agency = add_evidence(iw, iw.other_task, "3/KH-STP")

    for_i = list(evidence_sources.suggestions(iw.sa, iw.score("I.1.a").criterion))
    for_iii = list(evidence_sources.suggestions(iw.sa, iw.score("III.1.a").criterion))

    assert for_i == [in_area_i]
    assert for_iii == [in_area_iii]
    assert other_agency not in for_i + for_iii
    # A picked suggestion is not suggested again.
    services.link_source(
        score=iw.score("I.1.a"),
        by=iw.coordinator,
        source_key="task_evidence",
        object_id=in_area_i.pk,
    )
    assert (
        list(evidence_sources.suggestions(iw.sa, iw.score("I.1.a").criterion, [in_area_i.pk])) == []
    )


def test_a_document_of_another_agency_cannot_be_linked(iw):
    foreign = add_evidence(iw, iw.other_task, "3/KH-STP")

    with pytest.raises(ValidationError, match="Không tìm thấy tài liệu"):
        services.link_source(
            score=iw.score("I.1.a"),
            by=iw.coordinator,
            source_key="task_evidence",
            object_id=foreign.pk,
        )


def test_the_office_assigns_an_area_and_the_unit_fills_only_its_criteria(iw):
    area = iw.criteria_set.criteria.get(code="VII")

    count = services.assign_units(
        self_assessment=iw.sa, criterion=area, unit=iw.lead_unit, by=iw.coordinator
    )

    assert count == 3
    assert set(
        iw.sa.scores.filter(unit=iw.lead_unit).values_list("criterion__code", flat=True)
    ) == {"VII.1", "VII.2", "VII.3"}


def test_locking_needs_every_criterion_scored_and_flags_those_without_evidence(iw):
    with pytest.raises(ValidationError, match="Chưa chấm điểm các tiêu chí: I.1.a, I.1.b"):
        services.lock(self_assessment=iw.sa, by=iw.coordinator)
    iw.fill_all()
    evidence = add_evidence(iw, iw.task, "15/KH-SKHCN")
    services.link_source(
        score=iw.score("I.1.a"),
        by=iw.coordinator,
        source_key="task_evidence",
        object_id=evidence.pk,
    )

    unscored, no_evidence = services.lock_problems(iw.sa)
    assert unscored == []
    assert "I.1.a" not in {s.criterion.code for s in no_evidence}
    assert "I.1.b" in {s.criterion.code for s in no_evidence}
    with pytest.raises(ValidationError, match="chưa có tài liệu kiểm chứng: I.1.b"):
        services.lock(self_assessment=iw.sa, by=iw.coordinator)
    services.lock(self_assessment=iw.sa, by=iw.coordinator, accept_missing_evidence=True)
    iw.sa.refresh_from_db()
    assert iw.sa.status == SelfAssessment.Status.LOCKED
    with pytest.raises(ValidationError, match="Đã khóa"):
        services.save_self_score(
            score=iw.score("I.4"), by=iw.coordinator, value=D(1), explanation=""
        )


def locked(iw):
    iw.fill_all()
    services.lock(self_assessment=iw.sa, by=iw.coordinator, accept_missing_evidence=True)
    return SelfAssessment.objects.get(pk=iw.sa.pk)


def test_the_two_appraisal_rounds_end_with_reasons_and_every_change_in_the_history(iw):
    sa = locked(iw)
    score = iw.score("I.4")  # self-scored 2 of 2
    with pytest.raises(ValidationError, match="lý do"):
        services.appraise_round1(score=score, by=iw.appraiser, value=D(1), note="")
    services.appraise_round1(
        score=score,
        by=iw.appraiser,
        value=D(1),
        note="Thiếu tin bài tuyên truyền; đề nghị bổ sung.",
    )
    services.enter_survey(score=iw.score("KS.2"), by=iw.appraiser, value=D(16))
    services.send_round1(self_assessment=sa, by=iw.appraiser)
    # Criteria the council did not touch keep the agency's score.
    assert iw.score("I.5").round1_score == D(2)

    services.answer(
        score=iw.score("I.4"), by=iw.coordinator, text="Bổ sung 12 tin bài trên cổng thông tin."
    )
    services.send_answers(self_assessment=sa, by=iw.coordinator)
    with pytest.raises(ValidationError, match="Ghi lý do"):
        services.appraise_final(score=iw.score("I.4"), by=iw.appraiser, value=D("1.5"), reason="")
    services.appraise_final(
        score=iw.score("I.4"),
        by=iw.appraiser,
        value=D("1.5"),
        reason="Đã bổ sung một phần tài liệu.",
    )
    services.appraise_final(
        score=iw.score("I.5"), by=iw.appraiser, value=D(0), reason="Sáng kiến chưa được công nhận."
    )
    services.finalize(self_assessment=sa, by=iw.appraiser)

    sa.refresh_from_db()
    assert sa.status == SelfAssessment.Status.FINAL
    final = iw.score("I.4")
    assert (final.self_score, final.round1_score, final.final_score) == (D(2), D(1), D("1.5"))
    steps = list(final.changes.order_by("at", "pk").values_list("step", "before", "after"))
    assert steps == [
        ("self", "", "2"),
        ("round1", "", "1"),
        ("answer", "", ""),
        ("final", "1", "1,5"),
    ]
    assert iw.score("III.3").final_score == iw.score("III.3").self_score
    # The agency sees the appraised total: 70 − 0,5 − 2 on the 70 points, with 16 survey points.
    scores = list(sa.scores.select_related("criterion"))
    criteria = list(sa.criteria_set.criteria.order_by("order"))
    appraised = results.totals_of(sa, criteria, scores, "appraised")
    assert appraised.total == D("83.50")
    assert not appraised.rescaled
    assert (
        ScoreChange.objects.filter(self_assessment=sa, step="status").count() == 5
    )  # started, locked, round 1 sent, answered, final


def test_the_council_cannot_score_a_draft_nor_skip_a_round(iw):
    with pytest.raises(ValidationError):
        services.appraise_round1(score=iw.score("I.4"), by=iw.appraiser, value=D(1), note="x")
    sa = locked(iw)
    with pytest.raises(ValidationError):
        services.appraise_final(score=iw.score("I.4"), by=iw.appraiser, value=D(1), reason="x")
    with pytest.raises(ValidationError):
        services.finalize(self_assessment=sa, by=iw.appraiser)


def test_the_office_may_reopen_until_the_council_starts(iw):
    sa = locked(iw)
    services.reopen(self_assessment=sa, by=iw.coordinator)
    sa = locked(iw)
    services.appraise_round1(score=iw.score("I.4"), by=iw.appraiser, value=D(2), note="")

    with pytest.raises(ValidationError, match="đã bắt đầu thẩm định"):
        services.reopen(self_assessment=sa, by=iw.coordinator)


def test_a_weak_criterion_becomes_a_task_of_the_next_plan(iw):
    sa = locked(iw)
    services.send_round1(self_assessment=sa, by=iw.appraiser)
    services.send_answers(self_assessment=sa, by=iw.coordinator)
    services.appraise_final(
        score=iw.score("II.3"),
        by=iw.appraiser,
        value=D(1),
        reason="Chưa kiểm tra thi hành pháp luật.",
    )
    services.finalize(self_assessment=sa, by=iw.appraiser)
    next_plan = Plan.objects.create(agency=iw.agency, year=2027, title="Kế hoạch CCHC 2027")
    Area.objects.create(plan=next_plan, order=1, numeral="I", title="Chỉ đạo")
    Area.objects.create(plan=next_plan, order=2, numeral="II", title="Cải cách thể chế")
    scores = list(sa.scores.select_related("criterion"))

    weakest = results.weakest(scores)
    task = services.task_from_criterion(score=weakest[0], by=iw.coordinator, plan=next_plan)

    assert weakest[0].criterion.code == "II.3"
    assert task.area.numeral == "II"
    assert task.content.startswith("Khắc phục tiêu chí II.3 của Chỉ số CCHC năm 2026")
    assert task.note == "Điểm năm 2026: 1/3"
    assert task.due_date == date(2027, 12, 31)


def test_the_rank_counts_only_submitted_assessments_and_shares_equal_totals(iw):
    other = services.start_self_assessment(
        agency=iw.other_agency, criteria_set=iw.criteria_set, by=iw.outsider
    )
    iw.fill_all(sa=other, by=iw.outsider, share=D("0.5"))
    criteria = list(iw.criteria_set.criteria.order_by("order"))
    assert results.standings(iw.criteria_set, criteria) == []

    services.lock(self_assessment=other, by=iw.outsider, accept_missing_evidence=True)
    locked(iw)
    standing = results.standings(iw.criteria_set, criteria)

    assert [(s.sa.agency.short_name, s.rank) for s in standing] == [("SKHCN", 1), ("STP", 2)]


def test_an_upload_must_really_be_a_document(iw):
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf")

    with pytest.raises(ValidationError, match="Chỉ nhận tệp PDF"):
        services.upload_evidence(score=iw.score("I.4"), by=iw.coordinator, upload=fake, label="")
    assert not iw.score("I.4").evidence_links.exists()


def test_an_activity_of_the_agency_is_evidence_and_another_agencys_is_not(iw):
    from partrack.activities.models import Activity, Form, Topic

    def activity(plan, unit, title):
        return Activity.objects.create(
            plan=plan,
            unit=unit,
            date=date(2026, 3, 5),
            form=Form.values[0],
            topic=Topic.values[0],
            title=title,
            created_by=iw.coordinator,
        )

    own = activity(iw.plan, iw.lead_unit, "Hội nghị quán triệt Kế hoạch CCHC năm 2026")
    foreign = activity(iw.other_plan, iw.other_task.plan.agency.units.first(), "Hội nghị khác")

    link = services.link_source(
        score=iw.score("I.1.a"), by=iw.coordinator, source_key="activity", object_id=own.pk
    )
    assert (
        link.label == "Hội nghị quán triệt Kế hoạch CCHC năm 2026 (Phòng Chuyển đổi số, 05/03/2026)"
    )
    with pytest.raises(ValidationError, match="Không tìm thấy tài liệu"):
        services.link_source(
            score=iw.score("I.1.a"), by=iw.coordinator, source_key="activity", object_id=foreign.pk
        )
