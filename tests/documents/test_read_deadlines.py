"""A task's deadline as the reader dates it: a long phrase the deadline rules do not read
whole is due by the first time it names as an end; one that names only a start is not dated."""

from datetime import date

import pytest

from partrack.documents.reading.table import FIRST_DATE, date_tasks
from partrack.documents.structure import ParsedArea, ParsedPlan, ParsedTask


def dated(text, year=2025):
    task = ParsedTask(1, "Nhiệm vụ", deadline_text=text)
    date_tasks(ParsedPlan(year=year, areas=[ParsedArea("I", "Mục", [task])]))
    return task


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("Hoàn thành trong năm 2026 và có rà soát, bổ sung (nếu có)", "year", date(2026, 12, 31)),
        ("Hoàn thành trong quý I năm 2026 và có rà soát (nếu có)", "quarter", date(2026, 3, 31)),
        (
            "Thí điểm trong giai đoạn 2026 - 2027 và thực hiện mở rộng sau năm 2028",
            "range",
            date(2027, 12, 31),
        ),
        (
            "Thực hiện nghiên cứu trong giai đoạn 2026 - 2027. Tổ chức thí điểm từ sau năm 2027",
            "range",
            date(2027, 12, 31),
        ),
        (
            "Hoàn thành trước năm 2027 và vận hành thường xuyên, liên tục.",
            "year",
            date(2026, 12, 31),
        ),
    ],
)
def test_a_long_phrase_is_due_by_the_first_end_it_names(text, kind, due):
    task = dated(text)
    assert (task.deadline_kind, task.due_date) == (kind, due)
    assert FIRST_DATE in task.reading  # the review says how it was dated


@pytest.mark.parametrize(
    "text", ["Triển khai từ năm 2026 và thực hiện thường xuyên, liên tục", "Triển khai từ năm 2026"]
)
def test_a_phrase_that_names_only_a_start_is_left_for_the_office(text):
    task = dated(text)
    assert (task.deadline_kind, task.due_date) == ("unknown", None)
    assert any("Chưa hiểu thời hạn" in warning for warning in task.warnings)


def test_a_phrase_the_rules_read_whole_is_not_noted():
    task = dated("Ban hành trong quý I năm 2026. Thực hiện rà soát, điều chỉnh (nếu có)")
    assert (task.deadline_kind, task.due_date) == ("quarter", date(2026, 3, 31))
    assert FIRST_DATE not in task.reading
