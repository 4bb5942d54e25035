"""Splitting the lead and coordinator cells into body names, and matching names to units."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partrack.documents.reading.names import split_bodies


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
