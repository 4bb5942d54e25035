"""Splitting the lead and coordinator cells into body names, and matching names to units."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partrack.documents.reading.names import split_bodies, split_lead_note


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
        # A city standing for its committee, and the provinces named in the plural, start
        # another body; a department whose name holds "và" does not part.
        (
            "UBND thành phố Hà Nội, Thành phố Hồ Chí Minh",
            ["UBND thành phố Hà Nội", "Thành phố Hồ Chí Minh"],
        ),
        (
            "UBND Thành phố Hồ Chí Minh và các tỉnh/thành phố khác",
            ["UBND Thành phố Hồ Chí Minh", "các tỉnh/thành phố khác"],
        ),
        ("UBND các tỉnh, thành phố khác", ["UBND các tỉnh, thành phố khác"]),
        (
            "Các bộ, ngành liên quan và UBND\ncác tỉnh/ thành phố",
            ["Các bộ, ngành liên quan", "UBND các tỉnh/ thành phố"],
        ),
        ("Cục Tiền lương và Bảo hiểm xã hội", ["Cục Tiền lương và Bảo hiểm xã hội"]),
        ("Bộ Xây dựng, Tòa án nhân dân tối cao", ["Bộ Xây dựng", "Tòa án nhân dân tối cao"]),
        (
            "Mặt trận Tổ quốc Việt Nam và các tổ chức thành viên",
            ["Mặt trận Tổ quốc Việt Nam", "các tổ chức thành viên"],
        ),
    ],
)
def test_split_bodies(cell, names):
    assert split_bodies(cell) == names


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_split_bodies_gives_tidy_one_line_names(cell):
    for name in split_bodies(cell):
        assert name and name == name.strip() and "\n" not in name


@pytest.mark.parametrize(
    ("leads", "split"),
    [
        # Among several leads, each one's share in brackets goes to the note under its name.
        (
            ["Bộ Nông nghiệp và Môi trường (mạng lưới quốc gia)", "UBND thành phố Hà Nội"],
            (
                ["Bộ Nông nghiệp và Môi trường", "UBND thành phố Hà Nội"],
                "Bộ Nông nghiệp và Môi trường: mạng lưới quốc gia",
            ),
        ),
        # One lead's bracket names a part of it: the lead stays whole.
        (["Văn phòng Sở (Phụ trách pháp chế)"], None),
        (
            ["Bộ Công an chủ trì, phối hợp với các bộ"],
            (["Bộ Công an"], "chủ trì, phối hợp với các bộ"),
        ),
    ],
)
def test_a_leads_qualifying_phrase_goes_to_the_note(leads, split):
    assert split_lead_note(leads) == split
