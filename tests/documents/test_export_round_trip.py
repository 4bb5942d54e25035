"""Both appendix writers: importing an exported file gives back the same plan, quickly."""

import time

import pytest

from partrack.documents.reading import read_plan
from partrack.documents.structure import ParsedArea
from partrack.documents.writing import appendix_docx, appendix_xlsx

from .test_export_docx import load_seed_plan

WRITERS = pytest.mark.parametrize("write", [appendix_docx, appendix_xlsx], ids=["docx", "xlsx"])


@WRITERS
def test_round_trip_through_the_reader(write):
    plan = load_seed_plan()
    assert read_plan(write(plan)).to_json()["sections"] == plan.to_json()["sections"]


@WRITERS
def test_round_trip_keeps_unmodelled_columns(write):
    plan = load_seed_plan()
    # As a reader leaves them: every task has the column, most of them empty.
    for task in plan.tasks:
        task.extra = {"Kinh phí": "50 triệu đồng" if task.number == 1 else ""}
    assert read_plan(write(plan)).to_json()["sections"] == plan.to_json()["sections"]


@WRITERS
def test_a_hundred_tasks_well_under_a_second(write):
    plan = load_seed_plan()
    plan.areas = [ParsedArea("I", "Một lĩnh vực", tasks=(plan.tasks * 3)[:100])]
    started = time.perf_counter()
    write(plan)
    assert time.perf_counter() - started < 1.0
