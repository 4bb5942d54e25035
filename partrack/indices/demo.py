"""The index's part of the demo: a criteria set modelled on the national index's seven areas,
Sở KH&CN's 2026 self-assessment ready to fill, Sở Tư pháp's locked one (appraised by the base
demo's Sở Nội vụ login), and a grading regime for the units.

Called by plans.demo.load_demo through IndicesConfig.extend_demo.
"""

from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model

from partrack.indices import criteria_io, services
from partrack.indices.grading import start_gradings
from partrack.indices.models import NationalIndexValue
from partrack.org.models import Agency

DATA = Path(__file__).parent / "data"
DEMO_SET = DATA / "demo-index-departments-2026.criteria.csv"
DEMO_GRADING = DATA / "demo-unit-grading-2026.criteria.csv"
DEMO_RATINGS = DATA / "grading-cantho-2579-qd-ubnd-2025.ratings.csv"
DEMO_PASSWORD = "partrack-demo"

# Which unit fills which area of Sở KH&CN's self-assessment (the office keeps the rest).
ASSIGNMENTS = {"VI": "KHTC", "VII": "CĐS"}


def parsed_file(path):
    parsed = criteria_io.parse_set(*criteria_io.read_table(path.read_bytes(), path.name))
    if parsed.errors:
        raise ValueError(parsed.errors)
    return parsed


def load_indices_demo(*, agency, province, people):
    # Sở Nội vụ's desk, made by the base demo (plans.demo.load_province), appraises the index.
    user = people["sonoivu"]
    criteria_set = services.import_set(
        owner=province,
        by=user,
        name="Bộ Chỉ số CCHC các sở, ban, ngành tỉnh Phú Thọ năm 2026 (minh họa)",
        decision="Quyết định số …/QĐ-UBND (minh họa cho bản demo)",
        year=2026,
        scale=Decimal(100),
        parsed=parsed_file(DEMO_SET),
        rescale_without_survey=True,
    )
    office = people["vanphong"]
    sa = services.start_self_assessment(agency=agency, criteria_set=criteria_set, by=office)
    units = {unit.short_name: unit for unit in agency.units.all()}
    for criterion in criteria_set.criteria.filter(level=1):
        short = ASSIGNMENTS.get(criterion.code)
        if short:
            services.assign_units(
                self_assessment=sa, criterion=criterion, unit=units[short], by=office
            )

    # Sở Tư pháp has locked its own, so that Sở Nội vụ sees two agencies and a rank.
    justice = Agency.objects.get(short_name="STP")
    justice_office = get_user_model().objects.get(username="sotuphap")
    other = services.start_self_assessment(
        agency=justice, criteria_set=criteria_set, by=justice_office
    )
    for score in other.scores.select_related("criterion"):
        if score.criterion.kind == "normal":
            low, high = score.criterion.bounds()
            value = (
                high if score.criterion.rule != "options" else max(score.criterion.option_points())
            )
            services.save_self_score(
                score=score,
                by=justice_office,
                value=value * Decimal("0.8") if score.criterion.rule != "options" else value,
                explanation="Tự chấm theo báo cáo năm 2026.",
            )
    services.lock(self_assessment=other, by=justice_office, accept_missing_evidence=True)

    # Published values are illustrations, marked as such: no real figures are invented.
    for index, value, rank in (("par_index", "84.10", 30), ("sipas", "82.50", 28)):
        NationalIndexValue.objects.create(
            province=province,
            year=2025,
            index=index,
            value=Decimal(value),
            rank=rank,
            source="Số liệu minh họa cho bản demo, không phải số công bố",
        )
    load_grading_demo(agency=agency, by=office)


def load_grading_demo(*, agency, by):
    grades, _errors = criteria_io.parse_ratings(
        *criteria_io.read_table(DEMO_RATINGS.read_bytes(), DEMO_RATINGS.name)
    )
    parsed = parsed_file(DEMO_GRADING)
    regime = services.import_set(
        owner=agency,
        by=by,
        name="Xếp loại các phòng, đơn vị năm 2026 (theo mức của QĐ 2579/QĐ-UBND Cần Thơ)",
        decision="minh họa cho bản demo",
        year=2026,
        scale=Decimal(100),
        parsed=parsed,
        grades=grades,
        purpose="grading",
    )
    start_gradings(regime=regime, agency=agency)
