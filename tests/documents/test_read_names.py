"""Splitting the lead and coordinator cells into body names, and matching names to units."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partrack.documents.reading.names import match_bodies, normalise_body_name, split_bodies


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Văn phòng Sở", ["Văn phòng Sở"]),
        ("Cán bộ trực một cửa; Văn phòng Sở", ["Cán bộ trực một cửa", "Văn phòng Sở"]),
        ("Văn phòng Sở\n(Phụ trách pháp chế)", ["Văn phòng Sở (Phụ trách pháp chế)"]),
        (
            "Các phòng, đơn vị thuộc Sở;\nCác cơ quan, đơn vị có liên quan",
            ["Các phòng, đơn vị thuộc Sở", "Các cơ quan, đơn vị có liên quan"],
        ),
        ("Các phòng, đơn vị thuộc Sở", ["Các phòng, đơn vị thuộc Sở"]),
        ("Phòng Sở hữu\ntrí tuệ &ATBX", ["Phòng Sở hữu trí tuệ &ATBX"]),
        ("Cán bộ trực một\ncửa; Văn phòng\nSở", ["Cán bộ trực một cửa", "Văn phòng Sở"]),
        ("Các phòng, đơn vị\nthuộc Sở", ["Các phòng, đơn vị thuộc Sở"]),
        ("Các phòng, đơn vị thuộc\nSở Nội vụ", ["Các phòng, đơn vị thuộc Sở Nội vụ"]),
        ("Phòng Tổ chức\nCán bộ", ["Phòng Tổ chức Cán bộ"]),
        ("Văn phòng Sở\nSở Nội vụ", ["Văn phòng Sở", "Sở Nội vụ"]),
        ("- Văn phòng Sở;\n- Phòng Chuyển đổi số.", ["Văn phòng Sở", "Phòng Chuyển đổi số"]),
        ("Văn phòng Sở, Phòng Chuyển đổi số", ["Văn phòng Sở", "Phòng Chuyển đổi số"]),
        ("Phòng Kế hoạch, Tài chính", ["Phòng Kế hoạch, Tài chính"]),
        ("Các Sở, ban, ngành", ["Các Sở, ban, ngành"]),
        (
            "CCVC làm việc\ntại Bộ phận một\ncửa (Trung tâm\nPhục vụ HCC)",
            ["CCVC làm việc tại Bộ phận một cửa (Trung tâm Phục vụ HCC)"],
        ),
        ("Trung tâm (Bộ phận một cửa; Tổ TTHC)", ["Trung tâm (Bộ phận một cửa; Tổ TTHC)"]),
        ("", []),
        (" ;\n ; ", []),
    ],
)
def test_split_bodies(cell, names):
    assert split_bodies(cell) == names


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_split_bodies_gives_tidy_one_line_names(cell):
    for name in split_bodies(cell):
        assert name and name == name.strip() and "\n" not in name


def test_normalised_names_agree_across_spellings():
    assert normalise_body_name("P. KH&TC") == normalise_body_name("Phòng KH và TC")
    assert normalise_body_name("Phòng Sở hữu trí tuệ &ATBX") == "phong so huu tri tue va atbx"
    assert normalise_body_name("  Văn phòng  Sở. ") == "van phong so"
    assert normalise_body_name("TP. Hà Nội") == "tp ha noi"  # "P." inside a word is no "Phòng"


def test_match_bodies_matches_exactly_or_not_at_all():
    units = {
        "office": ["Văn phòng Sở", "VP Sở"],
        "digital": ["Phòng Chuyển đổi số"],
        "finance": ["Phòng Kế hoạch - Tài chính"],
    }
    names = ["Văn phòng Sở", "P. Chuyển đổi số", "Phòng Kế hoạch Tài chính", "Phòng Chuyển đổi"]
    assert match_bodies(names, units) == [
        ("Văn phòng Sở", "office"),
        ("P. Chuyển đổi số", "digital"),
        ("Phòng Kế hoạch Tài chính", "finance"),
        ("Phòng Chuyển đổi", None),  # close is not equal: no guessing
    ]


def test_a_name_two_units_share_matches_neither():
    units = {"a": ["Văn phòng"], "b": ["Văn phòng"]}
    assert match_bodies(["Văn phòng"], units) == [("Văn phòng", None)]
