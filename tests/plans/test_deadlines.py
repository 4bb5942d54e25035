"""Deadlines in words (docs/domain.md): each phrasing gives a kind and the last day on time."""

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from partrack.plans.deadlines import Deadline, DeadlineKind, parse_deadline

K = DeadlineKind
PLAN_YEAR = 2026

SEED_PLAN = Path(__file__).parents[2] / "partrack/plans/data/seed-plan-2026.json"


# (text as written, kind, due date) — all read with plan year 2026.
PHRASINGS = [
    # date
    ("Trước ngày 30/11/2025", K.DATE, date(2025, 11, 30)),
    ("trước ngày 30/11/2025", K.DATE, date(2025, 11, 30)),
    ("15/6/2026", K.DATE, date(2026, 6, 15)),
    ("15/06/2026", K.DATE, date(2026, 6, 15)),
    ("05/01/2026", K.DATE, date(2026, 1, 5)),
    ("15-6-2026", K.DATE, date(2026, 6, 15)),
    ("15.6.2026", K.DATE, date(2026, 6, 15)),
    ("trước ngày 15/11", K.DATE, date(2026, 11, 15)),
    ("Trước 15/11", K.DATE, date(2026, 11, 15)),
    ("ngày 15 tháng 6 năm 2026", K.DATE, date(2026, 6, 15)),
    ("Trước ngày 10 tháng 12", K.DATE, date(2026, 12, 10)),
    ("Chậm nhất là ngày 20/12/2026", K.DATE, date(2026, 12, 20)),
    ("Hoàn thành trước ngày 31/3/2026", K.DATE, date(2026, 3, 31)),
    ("Trước ngày\n30/6/2026", K.DATE, date(2026, 6, 30)),
    ("29/02/2028", K.DATE, date(2028, 2, 29)),
    # month
    ("Tháng 01/2026", K.MONTH, date(2026, 1, 31)),
    ("Trong tháng 01/2026", K.MONTH, date(2026, 1, 31)),
    ("tháng 6 năm 2026", K.MONTH, date(2026, 6, 30)),
    ("Tháng 02/2026", K.MONTH, date(2026, 2, 28)),
    ("Tháng 2/2028", K.MONTH, date(2028, 2, 29)),
    ("Tháng 6-2026", K.MONTH, date(2026, 6, 30)),
    ("Tháng 6/ 2026", K.MONTH, date(2026, 6, 30)),
    ("Tháng 9", K.MONTH, date(2026, 9, 30)),
    ("THÁNG 12/2026", K.MONTH, date(2026, 12, 31)),
    ("Tháng \n\n01/2026", K.MONTH, date(2026, 1, 31)),
    ("Cuối tháng 6/2026", K.MONTH, date(2026, 6, 30)),
    ("06/2026", K.MONTH, date(2026, 6, 30)),
    # quarter
    ("Quý I/2026", K.QUARTER, date(2026, 3, 31)),
    ("Quý II/2026", K.QUARTER, date(2026, 6, 30)),
    ("Quý III/2026", K.QUARTER, date(2026, 9, 30)),
    ("Quý IV/2026", K.QUARTER, date(2026, 12, 31)),
    ("Quí IV-2025", K.QUARTER, date(2025, 12, 31)),
    ("Quý 3/2026", K.QUARTER, date(2026, 9, 30)),
    ("Quý 1 năm 2026", K.QUARTER, date(2026, 3, 31)),
    ("Quý I/ 2026", K.QUARTER, date(2026, 3, 31)),
    ("Quý I /2026", K.QUARTER, date(2026, 3, 31)),
    ("Quý II năm 2026", K.QUARTER, date(2026, 6, 30)),
    ("Quý II - 2026", K.QUARTER, date(2026, 6, 30)),
    ("QUÝ III NĂM 2026", K.QUARTER, date(2026, 9, 30)),
    ("quý iv/2026", K.QUARTER, date(2026, 12, 31)),
    ("Quí 2", K.QUARTER, date(2026, 6, 30)),
    ("Quý IV", K.QUARTER, date(2026, 12, 31)),
    ("Trong quý III/2026", K.QUARTER, date(2026, 9, 30)),
    ("Quý\nII/2026", K.QUARTER, date(2026, 6, 30)),
    # half
    ("6 tháng đầu năm 2026", K.HALF, date(2026, 6, 30)),
    ("6 tháng cuối năm", K.HALF, date(2026, 12, 31)),
    ("6 tháng đầu năm", K.HALF, date(2026, 6, 30)),
    ("6 tháng cuối năm 2026", K.HALF, date(2026, 12, 31)),
    ("Sáu tháng đầu năm 2026", K.HALF, date(2026, 6, 30)),
    ("Trong 6 tháng đầu năm 2026", K.HALF, date(2026, 6, 30)),
    # year
    ("Năm 2026", K.YEAR, date(2026, 12, 31)),
    ("2025", K.YEAR, date(2025, 12, 31)),
    ("Thực hiện trong năm 2026", K.YEAR, date(2026, 12, 31)),
    ("Thực hiện\ntrong năm\n2026", K.YEAR, date(2026, 12, 31)),
    ("Trong năm 2026", K.YEAR, date(2026, 12, 31)),
    ("Trong năm", K.YEAR, date(2026, 12, 31)),
    ("Cuối năm 2026", K.YEAR, date(2026, 12, 31)),
    ("NĂM 2026", K.YEAR, date(2026, 12, 31)),
    ("Năm\u00a02026", K.YEAR, date(2026, 12, 31)),
    ("Năm 2026.", K.YEAR, date(2026, 12, 31)),
    ("  Năm 2027  ", K.YEAR, date(2027, 12, 31)),
    # range
    ("2025 - 2030", K.RANGE, date(2030, 12, 31)),
    ("Giai đoạn 2026-2030", K.RANGE, date(2030, 12, 31)),
    ("Giai đoạn 2026 – 2030", K.RANGE, date(2030, 12, 31)),
    ("2026—2030", K.RANGE, date(2030, 12, 31)),
    ("Từ năm 2026 đến năm 2030", K.RANGE, date(2030, 12, 31)),
    ("Năm 2026 - 2027", K.RANGE, date(2027, 12, 31)),
    ("Tháng 10-12/2026", K.RANGE, date(2026, 12, 31)),
    ("Tháng 10 - 12 năm 2026", K.RANGE, date(2026, 12, 31)),
    ("Từ tháng 10 đến tháng 12/2026", K.RANGE, date(2026, 12, 31)),
    ("Tháng 6, 7/2026", K.RANGE, date(2026, 7, 31)),
    ("Tháng 6,7,8/2026", K.RANGE, date(2026, 8, 31)),
    ("Tháng 1-2", K.RANGE, date(2026, 2, 28)),
    ("Quý III-IV/2026", K.RANGE, date(2026, 12, 31)),
    ("Quý III, IV năm 2026", K.RANGE, date(2026, 12, 31)),
    ("Quý III và quý IV năm 2026", K.RANGE, date(2026, 12, 31)),
    ("Quí I - II/2026", K.RANGE, date(2026, 6, 30)),
    ("Quý 2-3/2026", K.RANGE, date(2026, 9, 30)),
    ("Quý III/2026 - Quý I/2027", K.RANGE, date(2027, 3, 31)),
    ("Từ quý IV/2025 đến quý II/2026", K.RANGE, date(2026, 6, 30)),
    ("Tháng 11/2025 - tháng 2/2026", K.RANGE, date(2026, 2, 28)),
    ("2026-2028", K.RANGE, date(2028, 12, 31)),
    ("Giai đoạn 2026 - 2030", K.RANGE, date(2030, 12, 31)),
    ("Trước năm 2030", K.YEAR, date(2029, 12, 31)),
    ("Ban hành trong năm 2026", K.YEAR, date(2026, 12, 31)),
    # continuous
    ("Thường xuyên", K.CONTINUOUS, date(2026, 12, 31)),
    ("Thường xuyên trong năm 2026", K.CONTINUOUS, date(2026, 12, 31)),
    ("Thường xuyên năm 2027", K.CONTINUOUS, date(2027, 12, 31)),
    ("Hằng năm", K.CONTINUOUS, date(2026, 12, 31)),
    ("Hàng năm", K.CONTINUOUS, date(2026, 12, 31)),
    ("Thường xuyên, định kỳ hằng quý", K.CONTINUOUS, date(2026, 12, 31)),
    ("Thường xuyên, liên tục", K.CONTINUOUS, date(2026, 12, 31)),
    ("Định kỳ hàng tháng", K.CONTINUOUS, date(2026, 12, 31)),
    ("THƯỜNG XUYÊN", K.CONTINUOUS, date(2026, 12, 31)),
    ("Thực hiện thường xuyên", K.CONTINUOUS, date(2026, 12, 31)),
    ("Thường\nxuyên", K.CONTINUOUS, date(2026, 12, 31)),
    ("Tháng 12 hằng năm", K.CONTINUOUS, date(2026, 12, 31)),
    ("Tháng 6 hàng năm", K.CONTINUOUS, date(2026, 12, 31)),
    ("Quý IV hằng năm", K.CONTINUOUS, date(2026, 12, 31)),
    ("Nhiệm vụ thường xuyên", K.CONTINUOUS, date(2026, 12, 31)),
    ("Thường xuyên, định kỳ 6 tháng báo cáo kết quả", K.CONTINUOUS, date(2026, 12, 31)),
    ("Thường xuyên; định kỳ hằng quý báo cáo UBND tỉnh", K.CONTINUOUS, date(2026, 12, 31)),
    # on request
    ("Theo chỉ đạo của UBND tỉnh", K.ON_REQUEST, None),
    ("Theo chỉ đạo \ncủa UBND \n\ntỉnh", K.ON_REQUEST, None),
    ("Theo yêu cầu của UBND tỉnh", K.ON_REQUEST, None),
    ("Theo Kế hoạch riêng", K.ON_REQUEST, None),
    ("Khi có yêu cầu", K.ON_REQUEST, None),
    ("Theo yêu cầu", K.ON_REQUEST, None),
    ("Khi có hướng dẫn của Sở Nội vụ", K.ON_REQUEST, None),
    ("Theo văn bản chỉ đạo của Bộ Khoa học và Công nghệ", K.ON_REQUEST, None),
    ("(Theo chỉ đạo của UBND tỉnh)", K.ON_REQUEST, None),
    ("Theo kế hoạch", K.ON_REQUEST, None),
    ("Khi có phát sinh", K.ON_REQUEST, None),
    ("Sau khi có hướng dẫn của Bộ", K.ON_REQUEST, None),
    ("Sau khi Nghị định 15/2026/NĐ-CP có hiệu lực", K.ON_REQUEST, None),
    ("Theo lộ trình được giao", K.ON_REQUEST, None),
    ("Theo tiến độ của Bộ Nội vụ", K.ON_REQUEST, None),
]


@pytest.mark.parametrize(("text", "kind", "due_date"), PHRASINGS)
def test_each_phrasing_reads_as_its_kind_and_last_day_on_time(text, kind, due_date):
    assert parse_deadline(text, PLAN_YEAR) == Deadline(kind, due_date)


@pytest.mark.parametrize(("text", "kind", "due_date"), PHRASINGS)
def test_the_same_phrasing_in_nfd_upper_or_lower_case_reads_the_same(text, kind, due_date):
    for variant in (
        unicodedata.normalize("NFD", text),
        text.upper(),
        text.lower(),
        text.replace(" ", "\u00a0"),
    ):
        assert parse_deadline(variant, PLAN_YEAR) == Deadline(kind, due_date), variant


@pytest.mark.parametrize(("text", "kind", "due_date"), PHRASINGS)
def test_no_phrasing_fits_two_rules_so_their_order_does_not_matter(text, kind, due_date):
    from partrack.plans.deadlines import _COMPILED_RULES, _clean, _split_conditions

    head, _ = _split_conditions(_clean(text))
    fitting = [rule for rule, pattern, _ in _COMPILED_RULES if pattern.fullmatch(head.lower())]
    assert fitting == [kind]


def test_the_table_has_at_least_seventy_phrasings_and_every_kind_but_unknown():
    assert len(PHRASINGS) >= 70
    assert {kind for _, kind, _ in PHRASINGS} == set(DeadlineKind) - {K.UNKNOWN}


# --- The seed plan ----------------------------------------------------------------------------


def _seed_plan_path():
    return SEED_PLAN


def _tasks_with_deadlines(node):
    if isinstance(node, dict):
        if "deadline_text" in node:
            yield node
        for value in node.values():
            yield from _tasks_with_deadlines(value)
    elif isinstance(node, list):
        for value in node:
            yield from _tasks_with_deadlines(value)


def _seed_plan_cases():
    path = _seed_plan_path()
    if not path.exists():
        return [pytest.param(None, None, None, None, marks=pytest.mark.skip("no seed plan"))]
    data = json.loads(path.read_text(encoding="utf-8"))
    year = data.get("plan", {}).get("year", PLAN_YEAR)
    return [
        pytest.param(
            task["deadline_text"],
            year,
            task["deadline_kind"],
            task["due_date"],
            id=f"{task.get('no', i)}:{task['deadline_text']}",
        )
        for i, task in enumerate(_tasks_with_deadlines(data))
    ]


@pytest.mark.parametrize(("text", "plan_year", "kind", "due_date"), _seed_plan_cases())
def test_every_deadline_of_the_seed_plan_reads_as_expected(text, plan_year, kind, due_date):
    deadline = parse_deadline(text, plan_year)
    assert deadline.kind == kind
    assert deadline.due_date == (date.fromisoformat(due_date) if due_date else None)


def test_the_seed_plan_has_deadlines_to_check():
    path = _seed_plan_path()
    if not path.exists():
        pytest.skip("no seed plan")
    tasks = list(_tasks_with_deadlines(json.loads(path.read_text(encoding="utf-8"))))
    assert len(tasks) >= 30


# --- Conditions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Năm 2026 (Khi có hướng dẫn của Sở Nội vụ)",
            Deadline(K.YEAR, date(2026, 12, 31), "Khi có hướng dẫn của Sở Nội vụ"),
        ),
        (
            "Năm 2026\n(Khi có hướng dẫn\ncủa Sở Nội vụ)",
            Deadline(K.YEAR, date(2026, 12, 31), "Khi có hướng dẫn của Sở Nội vụ"),
        ),
        (
            "Quý I/2026 (dự kiến)",
            Deadline(K.QUARTER, date(2026, 3, 31), "dự kiến"),
        ),
        (
            "Thường xuyên (khi có phát sinh)",
            Deadline(K.CONTINUOUS, date(2026, 12, 31), "khi có phát sinh"),
        ),
        (
            "Theo yêu cầu của UBND tỉnh (nếu có)",
            Deadline(K.ON_REQUEST, None, "nếu có"),
        ),
        (
            "Tháng 6/2026 [sau khi có kinh phí]",
            Deadline(K.MONTH, date(2026, 6, 30), "sau khi có kinh phí"),
        ),
        (
            "Năm 2026 (Khi có hướng dẫn) (nếu có kinh phí).",
            Deadline(K.YEAR, date(2026, 12, 31), "Khi có hướng dẫn; nếu có kinh phí"),
        ),
        (
            "Trước ngày 30/11/2025 (theo Công văn 12/UBND-KGVX)",
            Deadline(K.DATE, date(2025, 11, 30), "theo Công văn 12/UBND-KGVX"),
        ),
    ],
)
def test_a_condition_in_brackets_keeps_the_kind_of_the_words_before_it(text, expected):
    assert parse_deadline(text, PLAN_YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ban hành trong quý I năm 2026. Thực hiện rà soát hằng năm",
            Deadline(K.QUARTER, date(2026, 3, 31), "Thực hiện rà soát hằng năm"),
        ),
        (
            "Năm 2027. Sơ kết vào quý IV (nếu có)",
            Deadline(K.YEAR, date(2027, 12, 31), "Sơ kết vào quý IV; nếu có"),
        ),
        (
            "Trước ngày 15/12/2025. Báo cáo kết quả về Văn phòng",
            Deadline(K.DATE, date(2025, 12, 15), "Báo cáo kết quả về Văn phòng"),
        ),
    ],
)
def test_a_long_phrase_is_dated_by_its_first_sentence_and_keeps_the_rest(text, expected):
    assert parse_deadline(text, PLAN_YEAR) == expected


def test_a_long_phrase_whose_first_sentence_names_no_deadline_stays_unknown():
    deadline = parse_deadline("Rà soát, đánh giá. Báo cáo trong quý I/2026", PLAN_YEAR)
    assert deadline.kind == K.UNKNOWN and deadline.due_date is None


def test_a_condition_keeps_its_case_and_is_normalised_to_nfc():
    text = unicodedata.normalize("NFD", "Năm 2026 (Khi có Hướng dẫn của Sở Nội vụ)")
    assert parse_deadline(text, PLAN_YEAR).condition == "Khi có Hướng dẫn của Sở Nội vụ"


def test_an_undatable_text_with_a_condition_stays_unknown_but_keeps_the_condition():
    assert parse_deadline("Sớm nhất có thể (ưu tiên)", PLAN_YEAR) == Deadline(
        K.UNKNOWN, None, "ưu tiên"
    )


# --- Never guessed ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n",
        "abc",
        "Sớm nhất có thể",
        "31/02/2026",
        "32/1/2026",
        "15/13/2026",
        "Tháng 13/2026",
        "Tháng 0/2026",
        "Quý V/2026",
        "Quý 5/2026",
        "Quý 0/2026",
        "Tháng 12-10/2026",
        "Quý IV-II/2026",
        "2030 - 2026",
        "Năm",
        "Tháng",
        "Quý",
        "Năm 26",
        "15/6/26",
        "Năm 2150",
        "10-12/2026",
        "Trước quý III/2026",
        "Trước tháng 6/2026",
        "Đầu năm 2026",
        "Giữa năm 2026",
        "6 tháng",
        "6 tháng năm 2026",
        "Theo quy định",
        "Theo yêu cầu, trước ngày 30/6/2026",
        "Quý I/2026 và Quý III/2026",
        "Năm 2026 và các năm tiếp theo",
        "Quý I/2026 (khi có",
        "Năm 2026 (Khi có hướng dẫn))",
        "Tháng 2/2026 - tháng 11/2025",
        "Quý I/2027 - Quý III/2026",
        "Thí điểm trong giai đoạn 2026 - 2027 và thực hiện mở rộng sau năm 2028",
        "Trước năm",
        "Ngay",
        "Đã hoàn thành",
        "x" * 1000,
    ],
)
def test_a_text_that_fits_no_phrasing_is_unknown_and_never_guessed(text):
    deadline = parse_deadline(text, PLAN_YEAR)
    assert deadline.kind == K.UNKNOWN
    assert deadline.due_date is None


# --- Without a plan year ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "due_date"),
    [
        ("Quý I/2026", K.QUARTER, date(2026, 3, 31)),
        ("Trước ngày 30/11/2025", K.DATE, date(2025, 11, 30)),
        ("Thường xuyên trong năm 2026", K.CONTINUOUS, date(2026, 12, 31)),
        ("Giai đoạn 2026-2030", K.RANGE, date(2030, 12, 31)),
        ("6 tháng đầu năm 2026", K.HALF, date(2026, 6, 30)),
        ("Theo chỉ đạo của UBND tỉnh", K.ON_REQUEST, None),
        ("Quý IV", K.UNKNOWN, None),
        ("Tháng 9", K.UNKNOWN, None),
        ("trước ngày 15/11", K.UNKNOWN, None),
        ("6 tháng cuối năm", K.UNKNOWN, None),
        ("Trong năm", K.UNKNOWN, None),
        ("Thường xuyên", K.UNKNOWN, None),
        ("Hằng năm", K.UNKNOWN, None),
        ("Quý III-IV", K.UNKNOWN, None),
    ],
)
def test_without_a_plan_year_only_a_text_naming_its_year_is_dated(text, kind, due_date):
    assert parse_deadline(text, None) == Deadline(kind, due_date)


def test_a_named_year_wins_over_the_plan_year():
    assert parse_deadline("Quý II/2025", 2026).due_date == date(2025, 6, 30)


def test_an_impossible_plan_year_gives_unknown_rather_than_an_error():
    assert parse_deadline("Quý IV", 0).kind == K.UNKNOWN
    assert parse_deadline("Thường xuyên", 10**30).kind == K.UNKNOWN


def test_the_kind_is_a_string_that_compares_with_its_stored_value():
    assert parse_deadline("Quý I/2026", PLAN_YEAR).kind == "quarter"


# --- Properties -------------------------------------------------------------------------------

FRAGMENTS = [
    "Quý", "Quí", "quý", "Tháng", "tháng", "Năm", "năm", "ngày", "Trước", "trước", "Trong",
    "Thực hiện", "Thường xuyên", "Hằng năm", "Hàng", "định kỳ", "Giai đoạn", "6 tháng",
    "đầu", "cuối", "Theo chỉ đạo", "Theo yêu cầu", "của UBND tỉnh", "Khi có yêu cầu",
    "I", "II", "III", "IV", "V", "i", "0", "1", "3", "4", "5", "6", "01", "10", "12", "13",
    "15", "29", "30", "31", "32", "99", "2025", "2026", "2030", "1899", "9999",
    "/", "-", "–", "—", ".", ",", ";", ":", " ", "  ", "\n", "\u00a0", "(", ")", "[", "]",
    "đến", "và", "từ", "\u0301", "\u200b",
]  # fmt: skip

deadline_ish = st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(" ".join) | st.lists(
    st.sampled_from(FRAGMENTS), max_size=12
).map("".join)
plan_years = st.none() | st.integers(min_value=-(10**6), max_value=10**6) | st.just(PLAN_YEAR)


def _is_consistent(deadline):
    assert isinstance(deadline, Deadline)
    assert isinstance(deadline.kind, DeadlineKind)
    assert isinstance(deadline.condition, str)
    if deadline.due_date is not None:
        assert deadline.kind not in (K.UNKNOWN, K.ON_REQUEST)
    else:
        assert deadline.kind in (K.UNKNOWN, K.ON_REQUEST)


@given(st.text(), plan_years)
def test_any_text_at_all_parses_without_raising(text, plan_year):
    _is_consistent(parse_deadline(text, plan_year))


@given(deadline_ish, plan_years)
@example("Quý I/2026", 2026)
@example("((((((((((Năm 2026))))))))))", 2026)
@example("(" * 400 + ")" * 400, 2026)
def test_deadline_like_text_parses_without_raising_and_is_dated_only_when_it_has_a_kind(
    text, plan_year
):
    _is_consistent(parse_deadline(text, plan_year))


@given(deadline_ish)
def test_a_dated_reading_of_a_text_without_a_year_uses_the_plan_year(text):
    deadline = parse_deadline(text, None)
    _is_consistent(deadline)
    if deadline.due_date is not None:
        assert parse_deadline(text, 1999).due_date == deadline.due_date
