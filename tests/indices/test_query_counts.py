"""Every page of the index runs as many SQL queries for a set of 3 areas as for one of 8,
with more evidence and history."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.indices import services
from partrack.indices.models import CriterionScore
from tests.conftest import client_as
from tests.indices.conftest import parse_text
from tests.indices.test_self_assessment import add_evidence

HEADER = "code,parent_code,level,title,max_points,evidence_required,scoring_rule\n"
MAX_QUERIES = 22


def numeral(n):
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][n - 1]


def build(iw, areas, per_area):
    """A set of `areas` areas × `per_area` criteria, the agency's draft for it, filled."""
    lines = [HEADER]
    for a in range(1, areas + 1):
        code = numeral(a)
        lines.append(f"{code},,1,Lĩnh vực {code},{per_area},,\n")
        for c in range(1, per_area + 1):
            lines.append(f"{code}.{c},{code},2,Tiêu chí {c},1,,Tối đa\n")
    lines.append(f"TOTAL,,0,Tổng,{areas * per_area},,\n")
    parsed = parse_text("".join(lines))
    assert parsed.errors == []
    criteria_set = services.import_set(
        owner=iw.province,
        by=iw.appraiser,
        name=f"Bộ {areas}",
        decision="",
        year=2026,
        scale=Decimal(areas * per_area),
        parsed=parsed,
    )
    sa = services.start_self_assessment(
        agency=iw.agency, criteria_set=criteria_set, by=iw.coordinator
    )
    services.assign_units(
        self_assessment=sa,
        criterion=criteria_set.criteria.get(code="I"),
        unit=iw.lead_unit,
        by=iw.coordinator,
    )
    iw.fill_all(sa=sa, share=Decimal("0.5"))
    first = sa.scores.get(criterion__code="I.1")
    for n in range(areas):
        evidence = add_evidence(iw, iw.task, f"{n}/KH-SKHCN", with_file=n % 2 == 0)
        for score in CriterionScore.objects.filter(
            self_assessment=sa, criterion__code__in=["I.1", "II.2"]
        ):
            services.link_source(
                score=score, by=iw.coordinator, source_key="task_evidence", object_id=evidence.pk
            )
    return sa, first


def pages(sa, score):
    base = f"/chi-so/tu-danh-gia/{sa.pk}/"
    return {
        "table": base,
        "criterion": f"{base}tieu-chi/{score.pk}/",
        "results": f"{base}ket-qua/",
        "history": f"{base}lich-su/",
        "set": f"/chi-so/bo-tieu-chi/{sa.criteria_set_id}/",
        "index": "/chi-so/",
    }


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("who", ["coordinator", "lead_member"])
def test_each_page_runs_a_fixed_number_of_queries_whatever_the_size(iw, who):
    small, small_score = build(iw, 3, 2)
    large, large_score = build(iw, 8, 4)
    client = client_as(getattr(iw, who))

    for name, url in pages(small, small_score).items():
        if who == "lead_member" and name in ("results", "history"):
            continue
        small_count = count(client, url)
        large_count = count(client, pages(large, large_score)[name])
        assert small_count == large_count, name
        assert large_count <= MAX_QUERIES, name


def test_the_province_pages_run_a_fixed_number_of_queries(iw):
    small, small_score = build(iw, 3, 2)
    large, large_score = build(iw, 8, 4)
    for sa in (small, large):
        services.lock(self_assessment=sa, by=iw.coordinator, accept_missing_evidence=True)
    client = client_as(iw.appraiser)

    for name in ("table", "criterion", "results"):
        assert count(client, pages(small, small_score)[name]) == count(
            client, pages(large, large_score)[name]
        ), name


def test_the_grading_pages_run_a_fixed_number_of_queries_whatever_the_units(world):
    from datetime import date

    from partrack.indices import criteria_io, grading
    from partrack.indices.demo import DEMO_GRADING, DEMO_RATINGS
    from partrack.org.models import Unit
    from tests.indices.conftest import parse_file

    grades, _errors = criteria_io.parse_ratings(
        *criteria_io.read_table(DEMO_RATINGS.read_bytes(), DEMO_RATINGS.name)
    )
    regime = services.import_set(
        owner=world.agency,
        by=world.coordinator,
        name="Xếp loại",
        decision="",
        year=2026,
        scale=Decimal(100),
        parsed=parse_file(DEMO_GRADING),
        grades=grades,
        purpose="grading",
    )
    grading.start_gradings(regime=regime, agency=world.agency, today=date(2026, 12, 31))
    client = client_as(world.coordinator)
    record = regime.unit_gradings.get(unit=world.lead_unit)
    urls = [f"/xep-loai/{regime.pk}/", f"/xep-loai/don-vi/{record.pk}/"]
    before = [count(client, url) for url in urls]

    for n in range(8):
        unit = Unit.objects.create(agency=world.agency, name=f"Phòng {n}", order=10 + n)
        world.add_task(number=10 + n, content=f"Việc {n}", lead=unit)
    grading.start_gradings(regime=regime, agency=world.agency, today=date(2026, 12, 31))

    assert [count(client, url) for url in urls] == before
    assert max(before) <= MAX_QUERIES
