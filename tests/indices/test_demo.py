"""The demo brings a criteria set of the national index's seven areas and a 2026
self-assessment ready to fill."""

from partrack.indices.models import CriteriaSet, SelfAssessment, UnitGrading
from partrack.org.models import Membership
from tests.conftest import demo_client


def test_the_demo_loads_the_index_set_a_draft_to_fill_and_a_locked_one_to_appraise(demo):
    index_set = CriteriaSet.objects.get(purpose="index")
    areas = list(index_set.criteria.filter(level=1, kind="normal").values_list("code", flat=True))
    draft = SelfAssessment.objects.get(agency__short_name="SKHCN")
    other = SelfAssessment.objects.get(agency__short_name="STP")

    assert areas == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert draft.year == 2026 and draft.is_draft
    assert set(
        draft.scores.filter(unit__short_name="CĐS").values_list("criterion__code", flat=True)
    ) == {"VII.1", "VII.2", "VII.3"}
    assert other.status == SelfAssessment.Status.LOCKED
    appraiser = Membership.objects.get(user__username="sonoivu")
    assert appraiser.appraises(draft.agency)
    assert UnitGrading.objects.filter(unit__agency=draft.agency).count() == 6


def test_the_demo_appraiser_sees_the_locked_one_and_not_the_draft(demo):
    client = demo_client("sonoivu")
    draft = SelfAssessment.objects.get(agency__short_name="SKHCN")
    other = SelfAssessment.objects.get(agency__short_name="STP")

    assert client.get(f"/chi-so/tu-danh-gia/{draft.pk}/").status_code == 404
    assert client.get(f"/chi-so/tu-danh-gia/{other.pk}/").status_code == 200
    assert "Sở Tư pháp" in client.get("/chi-so/").content.decode()
