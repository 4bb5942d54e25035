"""The import page, the results page (rank, year before, published values, weak criteria turned
into tasks), and the in-year label on the ranking."""

from decimal import Decimal
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile

from partrack.indices import services
from partrack.indices.models import CriteriaSet, NationalIndexValue
from partrack.plans.models import Area, Plan
from tests.conftest import client_as, post_form
from tests.indices.conftest import DEMO_SET, parse_file

D = Decimal
HEADER = "code,parent_code,level,title,max_points,evidence_required,scoring_rule\n"


def upload(client, content, name="set.csv"):
    if "csrftoken" not in client.cookies:
        client.get("/dang-nhap/")
    return client.post(
        "/chi-so/bo-tieu-chi/nhap/",
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "name": "Bộ chỉ số 2027",
            "decision": "12/QĐ-UBND",
            "year": "2027",
            "scale": "100",
            "purpose": "index",
            "file": SimpleUploadedFile(name, content),
        },
    )


def test_a_set_with_errors_is_refused_with_every_cell_and_nothing_is_saved(iw):
    before = CriteriaSet.objects.count()
    content = (
        HEADER + "I,,1,Chỉ đạo,60,,\nI.1,I,2,Kế hoạch,50,,\nI.1,I,2,Báo cáo,10,,\n"
        "TOTAL,,0,Tổng,100,,\n"
    ).encode()

    response = upload(client_as(iw.appraiser), content)

    assert response.status_code == 400
    assert 'Ô A4: mã "I.1" trùng với ô A3' in unescape(response.content.decode())
    assert CriteriaSet.objects.count() == before


def test_the_province_imports_a_set_that_its_agencies_can_start(iw):
    response = upload(client_as(iw.appraiser), DEMO_SET.read_bytes(), "demo.csv")

    assert response.status_code == 302
    imported = CriteriaSet.objects.get(name="Bộ chỉ số 2027")
    assert imported.criteria.count() == len(parse_file(DEMO_SET).criteria)
    page = client_as(iw.coordinator).get("/chi-so/").content.decode()
    assert "Bộ chỉ số 2027" in page and 'id="start-form"' in page
    response = post_form(
        client_as(iw.coordinator), "/chi-so/tu-danh-gia/bat-dau/", {"criteria_set": imported.pk}
    )
    assert response.status_code == 302
    assert imported.self_assessments.get().agency == iw.agency


def final(iw, sa):
    iw.fill_all(sa=sa)
    services.lock(self_assessment=sa, by=iw.coordinator, accept_missing_evidence=True)
    services.send_round1(self_assessment=sa, by=iw.appraiser)
    services.send_answers(self_assessment=sa, by=iw.coordinator)
    services.appraise_final(
        score=sa.scores.get(criterion__code="V.1"),
        by=iw.appraiser,
        value=D(1),
        reason="Tuyển dụng chưa theo vị trí việc làm.",
    )
    services.finalize(self_assessment=sa, by=iw.appraiser)


def test_the_results_show_rank_the_year_before_published_values_and_make_tasks(iw):
    # Last year's set and result, for the comparison.
    last_set = services.import_set(
        owner=iw.province,
        by=iw.appraiser,
        name="2025",
        decision="",
        year=2025,
        scale=D(100),
        parsed=parse_file(DEMO_SET),
        rescale_without_survey=True,
    )
    last = services.start_self_assessment(
        agency=iw.agency, criteria_set=last_set, by=iw.coordinator
    )
    iw.fill_all(sa=last, share=D("0.5"))
    services.lock(self_assessment=last, by=iw.coordinator, accept_missing_evidence=True)
    final(iw, iw.sa)
    NationalIndexValue.objects.create(
        province=iw.province,
        year=2025,
        index="par_index",
        value=D("84.1"),
        rank=30,
        source="Bộ Nội vụ",
    )
    plan_2027 = Plan.objects.create(agency=iw.agency, year=2027, title="Kế hoạch CCHC 2027")
    Area.objects.create(plan=plan_2027, order=5, numeral="V", title="Cải cách chế độ công vụ")
    client = client_as(iw.coordinator)

    page = client.get(f"/chi-so/tu-danh-gia/{iw.sa.pk}/ket-qua/").content.decode()

    # 70 − 2 (V.1 from 3 to 1), rescaled to 100 without the survey: 68 × 100 / 70.
    assert 'id="appraised-total">97,14<' in page
    assert 'id="own-total">100<' in page
    assert "Hạng 1 trên 1 cơ quan" in page
    assert "PAR INDEX" in page and "84,1" in page
    assert "Thêm vào kế hoạch 2027" in page
    score = iw.sa.scores.get(criterion__code="V.1")
    response = post_form(
        client, f"/chi-so/tu-danh-gia/{iw.sa.pk}/tieu-chi/{score.pk}/", {"action": "task"}
    )
    assert response.status_code == 302
    task = plan_2027.tasks.get()
    assert task.area.numeral == "V" and "V.1" in task.content
    # A unit member or the province cannot make tasks of the agency's plan.
    assert (
        post_form(
            client_as(iw.appraiser),
            f"/chi-so/tu-danh-gia/{iw.sa.pk}/tieu-chi/{score.pk}/",
            {"action": "task"},
        ).status_code
        == 403
    )


def test_the_year_before_is_shown_beside_each_area(iw):
    last_set = services.import_set(
        owner=iw.province,
        by=iw.appraiser,
        name="2025",
        decision="",
        year=2025,
        scale=D(100),
        parsed=parse_file(DEMO_SET),
    )
    last = services.start_self_assessment(
        agency=iw.agency, criteria_set=last_set, by=iw.coordinator
    )
    iw.fill_all(sa=last, share=D("0.5"))

    page = client_as(iw.leader).get(f"/chi-so/tu-danh-gia/{iw.sa.pk}/ket-qua/").content.decode()

    assert "Năm 2025" in page
    # Area IV (8 points, all free) at half: 4.
    assert (
        'Cải cách tổ chức bộ máy</th><td class="text-end">8</td>'
        '<td class="text-end">—</td><td class="text-end">4</td>' in page
    )


def test_the_ranking_page_is_labelled_as_the_in_year_view(iw):
    page = client_as(iw.leader).get(f"/ke-hoach/{iw.plan.pk}/xep-hang/").content.decode()

    assert "Xếp hạng trong năm" in page
    assert 'href="/xep-loai/"' in page
