"""A criteria set, a self-assessment and Sở Nội vụ's people on top of the plain World."""

from decimal import Decimal
from pathlib import Path

import pytest

from partrack.indices import criteria_io, services
from partrack.org.models import Role
from tests.conftest import World, make_person

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
DEMO_SET = REFERENCE / "demo-index-departments-2026.criteria.csv"


def parse_file(path):
    return criteria_io.parse_set(*criteria_io.read_table(path.read_bytes(), path.name))


def parse_text(text, name="set.csv"):
    return criteria_io.parse_set(*criteria_io.read_table(text.encode("utf-8"), name))


class IndexWorld(World):
    """World, plus the province's appraiser, the demo's set and the agency's self-assessment."""

    def __init__(self):
        super().__init__()
        self.appraiser = make_person("sonoivu", self.province, Role.COORDINATOR)
        parsed = parse_file(DEMO_SET)
        assert parsed.errors == []
        self.criteria_set = services.import_set(
            owner=self.province,
            by=self.appraiser,
            name="Chỉ số CCHC các sở 2026",
            decision="",
            year=2026,
            scale=Decimal(100),
            parsed=parsed,
            rescale_without_survey=True,
        )
        self.sa = services.start_self_assessment(
            agency=self.agency, criteria_set=self.criteria_set, by=self.coordinator
        )

    def score(self, code, sa=None):
        return (sa or self.sa).scores.select_related("criterion").get(criterion__code=code)

    def fill_all(self, sa=None, by=None, share=Decimal(1)):
        """Give every normal criterion `share` of its maximum (the top option for options)."""
        sa = sa or self.sa
        for score in sa.scores.select_related("criterion"):
            criterion = score.criterion
            if criterion.kind != "normal":
                continue
            if criterion.rule == "options":
                value = max(criterion.option_points())
            else:
                value = (criterion.max_points * share).quantize(Decimal("0.01"))
            services.save_self_score(
                score=score, by=by or self.coordinator, value=value, explanation="Đã làm."
            )


@pytest.fixture
def iw(db):
    return IndexWorld()
