"""Who sees and does what, through the pages, with CSRF on: units their criteria, the office its
agency, Sở Nội vụ locked self-assessments only, other agencies and strangers nothing."""

from decimal import Decimal

import pytest

from partrack.indices import services
from partrack.indices.models import SelfAssessment
from tests.conftest import client_as, post_form

D = Decimal


@pytest.fixture
def pw(iw):
    services.assign_units(
        self_assessment=iw.sa,
        criterion=iw.criteria_set.criteria.get(code="VII"),
        unit=iw.lead_unit,
        by=iw.coordinator,
    )
    return iw


def person(world, who):
    return None if who == "anonymous" else getattr(world, who)


def sa_url(world, suffix=""):
    return f"/chi-so/tu-danh-gia/{world.sa.pk}/{suffix}"


def lock(world):
    world.fill_all()
    services.lock(self_assessment=world.sa, by=world.coordinator, accept_missing_evidence=True)


DRAFT_PAGE = {
    "coordinator": 200,
    "leader": 200,
    "viewer": 200,
    "lead_member": 200,
    "bystander": 200,  # sees the page, with no criterion of its own
    "outsider": 404,
    "province_viewer": 404,
    "appraiser": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("who", DRAFT_PAGE)
def test_a_draft_is_seen_by_its_agency_only(pw, who):
    response = client_as(person(pw, who)).get(sa_url(pw))

    assert response.status_code == DRAFT_PAGE[who]
    if who == "anonymous":
        assert response["Location"].startswith("/dang-nhap/")


def test_a_unit_sees_only_the_criteria_assigned_to_it(pw):
    page = client_as(pw.lead_member).get(sa_url(pw)).content.decode()
    others = client_as(pw.bystander).get(sa_url(pw)).content.decode()

    assert "VII.1" in page and "VII.3" in page
    assert "I.1.a" not in page and "Điểm tự chấm" not in page
    assert "VII.1" not in others


LOCKED_PAGE = {"province_viewer": 200, "appraiser": 200, "outsider": 404, "coordinator": 200}


@pytest.mark.parametrize("who", LOCKED_PAGE)
def test_once_locked_the_province_reads_it_and_other_agencies_still_do_not(pw, who):
    lock(pw)

    assert client_as(person(pw, who)).get(sa_url(pw)).status_code == LOCKED_PAGE[who]


SELF_SCORE = {
    "lead_member": 302,
    "coordinator": 302,
    "bystander": 404,
    "leader": 403,
    "outsider": 404,
    "province_viewer": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("who", SELF_SCORE)
def test_only_the_assigned_unit_and_the_office_score_a_criterion(pw, who):
    score = pw.score("VII.3")
    url = sa_url(pw, f"tieu-chi/{score.pk}/")

    response = post_form(
        client_as(person(pw, who)),
        url,
        {"action": "self", "score": "1,5", "explanation": "Đã triển khai."},
    )

    assert response.status_code == SELF_SCORE[who]
    score.refresh_from_db()
    assert score.self_score == (D("1.5") if SELF_SCORE[who] == 302 and who != "anonymous" else None)


def test_a_unit_cannot_open_a_criterion_of_another_unit(pw):
    response = client_as(pw.lead_member).get(sa_url(pw, f"tieu-chi/{pw.score('I.4').pk}/"))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("lead_member", 403), ("leader", 403), ("appraiser", 404), ("coordinator", 302)],
)
def test_only_the_office_locks(pw, who, status):
    pw.fill_all()

    response = post_form(
        client_as(person(pw, who)), sa_url(pw, "buoc/khoa/"), {"accept_missing_evidence": "on"}
    )

    assert response.status_code == status
    pw.sa.refresh_from_db()
    assert (pw.sa.status == SelfAssessment.Status.LOCKED) == (status == 302)


@pytest.mark.parametrize(
    ("who", "status"),
    [("appraiser", 302), ("province_viewer", 403), ("coordinator", 403), ("outsider", 404)],
)
def test_only_sở_nội_vụs_appraisers_score_round_one(pw, who, status):
    lock(pw)
    score = pw.score("I.4")

    response = post_form(
        client_as(person(pw, who)),
        sa_url(pw, f"tieu-chi/{score.pk}/"),
        {"action": "round1", "score": "1", "note": "Thiếu tài liệu."},
    )

    assert response.status_code == status
    score.refresh_from_db()
    assert score.round1_score == (D(1) if status == 302 else None)


def test_a_bad_score_is_refused_with_a_vietnamese_message_and_nothing_saved(pw):
    options, free = pw.score("I.2"), pw.score("I.4")  # options 2, 1, 0; free from 0 to 2
    client = client_as(pw.coordinator)

    not_an_option = post_form(
        client,
        sa_url(pw, f"tieu-chi/{options.pk}/"),
        {"action": "self", "score": "7", "explanation": "x"},
    )
    too_high = post_form(
        client,
        sa_url(pw, f"tieu-chi/{free.pk}/"),
        {"action": "self", "score": "2,5", "explanation": "Giữ nguyên lời."},
    )

    assert not_an_option.status_code == too_high.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ" in not_an_option.content.decode()
    page = too_high.content.decode()
    assert "Điểm của tiêu chí I.4 phải từ 0 đến 2." in page
    assert "Giữ nguyên lời." in page  # what was typed is not lost
    options.refresh_from_db()
    free.refresh_from_db()
    assert options.self_score is None and free.self_score is None


def test_the_agency_sees_the_appraised_scores_and_reasons_once_round_one_is_sent(pw):
    lock(pw)
    score = pw.score("I.4")
    services.appraise_round1(score=score, by=pw.appraiser, value=D(1), note="Thiếu tin bài.")
    url = sa_url(pw, f"tieu-chi/{score.pk}/")
    assert "Thiếu tin bài." not in client_as(pw.coordinator).get(url).content.decode()

    services.send_round1(self_assessment=pw.sa, by=pw.appraiser)
    page = client_as(pw.coordinator).get(url).content.decode()

    assert "Thiếu tin bài." in page
    assert 'id="answer-form"' in page


@pytest.mark.parametrize(
    ("who", "status"), [("coordinator", 403), ("lead_member", 403), ("anonymous", 302)]
)
def test_importing_a_set_is_for_the_office_or_the_province(pw, who, status):
    assert client_as(person(pw, who)).get("/chi-so/bo-tieu-chi/nhap/").status_code == (
        200 if who == "coordinator" else status
    )


def test_a_set_of_another_province_is_not_found(pw):
    assert (
        client_as(pw.outsider).get(f"/chi-so/bo-tieu-chi/{pw.criteria_set.pk}/").status_code == 200
    )  # the outsider's agency is under the same province
    from partrack.org.models import Agency

    stranger_province = Agency.objects.create(name="Tỉnh khác", short_name="TK")
    pw.criteria_set.owner = stranger_province
    pw.criteria_set.save()
    assert (
        client_as(pw.outsider).get(f"/chi-so/bo-tieu-chi/{pw.criteria_set.pk}/").status_code == 404
    )


@pytest.mark.parametrize(
    ("who", "status"), [("appraiser", 302), ("coordinator", 403), ("province_viewer", 403)]
)
def test_published_values_are_entered_by_the_province_and_read_by_its_agencies(pw, who, status):
    response = post_form(
        client_as(person(pw, who)),
        "/chi-so/cong-bo/",
        {
            "year": "2025",
            "index": "par_index",
            "value": "84,10",
            "rank": "30",
            "source": "Bộ Nội vụ",
            "components_text": "Chỉ đạo điều hành = 9,1",
        },
    )

    assert response.status_code == status
    page = client_as(pw.coordinator).get("/chi-so/cong-bo/").content.decode()
    assert ("Chỉ đạo điều hành: 9,1" in page) == (status == 302)


def test_an_uploaded_evidence_file_is_served_only_to_those_who_see_its_criterion(pw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.indices.test_self_assessment import PDF

    link = services.upload_evidence(
        score=pw.score("I.4"), by=pw.coordinator, upload=SimpleUploadedFile("a.pdf", PDF), label=""
    )
    url = sa_url(pw, f"tai-lieu/{link.pk}/")

    assert client_as(pw.leader).get(url).status_code == 200
    assert client_as(pw.lead_member).get(url).status_code == 404
    assert client_as(pw.outsider).get(url).status_code == 404
