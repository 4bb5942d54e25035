"""Names as plans write them, matched to the agency's units: exactly, or not at all."""

import pytest

from partrack.org.models import Agency, Unit
from partrack.vietnamese import fold_body_name


def test_spellings_of_one_body_fold_alike():
    assert fold_body_name("P. KH&TC") == fold_body_name("Phòng KH và TC")
    assert fold_body_name("Phòng Sở hữu trí tuệ &ATBX") == "phong so huu tri tue va atbx"
    assert fold_body_name("  Văn phòng  Sở. ") == "van phong so"
    assert fold_body_name("TP. Hà Nội") == "tp ha noi"  # "P." inside a word is no "Phòng"


@pytest.fixture
def units(db):
    agency = Agency.objects.create(name="Sở KH&CN", short_name="SKHCN")
    Unit.objects.create(agency=agency, name="Văn phòng Sở", aliases=["VP Sở"])
    Unit.objects.create(agency=agency, name="Phòng Chuyển đổi số")
    Unit.objects.create(agency=agency, name="Phòng Kế hoạch - Tài chính")
    return agency.units.all()


def test_names_match_exactly_or_not_at_all(units):
    found, unmatched = units.resolve(
        ["VP Sở", "P. Chuyển đổi số", "phong ke hoach tai chinh", "Phòng Chuyển đổi"]
    )
    assert [u.name for u in found] == [
        "Văn phòng Sở",
        "Phòng Chuyển đổi số",
        "Phòng Kế hoạch - Tài chính",
    ]
    assert unmatched == ["Phòng Chuyển đổi"]  # close is not equal: no guessing


def test_every_unit_of_the_agency_in_the_words_plans_use(units):
    for phrase in ["Các phòng, đơn vị thuộc Sở", "Các phòng, đơn vị trực thuộc Sở"]:
        found, unmatched = units.resolve([phrase])
        assert (len(found), unmatched) == (3, [])


def test_a_name_two_units_share_matches_neither(units):
    agency = units.first().agency
    Unit.objects.create(agency=agency, name="Văn phòng Đảng ủy", aliases=["VP Sở"])
    found, unmatched = agency.units.all().resolve(["VP Sở"])
    assert (found, unmatched) == ([], ["VP Sở"])
