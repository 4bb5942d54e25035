"""Four public documents of shapes the seed lacks (tests/data/corpus, built by its build.py
from tests/data/corpus/markdown): each reads, from DOCX and from PDF, as its JSON, written by
hand for every task of the document: every field, the task count, the sections and the header.

The JSON describes the files as build.py makes them, which is not always the document as issued:
the Markdown drops the cells a vertical merge covers, and build.py rebuilds them as merges with
the row above (see its docstring). So in document 01 the second task of section G has "Các bộ,
ngành liên quan" under "Thuộc nhóm nhiệm vụ, hành động", where the short row's cells land.
Document 02's Phụ lục II lost more than that in the Markdown: rows broken after their deadline,
cells moved to the front. build.py puts them back on the header's columns (``mend_rows``): a
result or a status the Markdown lost is an empty cell merged with the one above, so tasks 24,
31 and 36 show no status, tasks 40 to 48 none either (the cell merged down from the group row),
and the task after the first "37" (numbered "37" again in the document) and task 39 show the
status "Đã hoàn thành" of the merged cell above them. The office sees those cells so in the file,
and the JSON expects what it sees. Its Phụ lục II is an area of its own, named by its caption,
with the group rows "Nhiệm vụ giao Bộ trưởng … chỉ đạo" as the tasks' groups.

Deadlines are read as an office would date them: a long phrase by the first time it names for
finishing ("Hoàn thành trong năm 2026 và có rà soát …" is due at the end of 2026), a phrase that
names only a start ("Triển khai từ năm 2026") left undated, undated words in the year the
document was issued where its title names no year of its own (01, 02, 03) and in the title's year
otherwise (04).
"""

import json
from pathlib import Path

import pytest

from partrack.documents.reading import read_plan

from .reading_support import fold_spaces

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
NAMES = sorted(path.stem for path in CORPUS.glob("*.json"))


@pytest.fixture(scope="module", params=[(n, e) for n in NAMES for e in ("docx", "pdf")])
def case(request):
    name, extension = request.param
    plan = read_plan(CORPUS / f"{name}.{extension}")
    expected = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    return plan, expected, extension


def test_four_corpus_documents_are_checked_in_both_formats():
    assert len(NAMES) == 4
    for name in NAMES:
        assert (CORPUS / f"{name}.docx").exists() and (CORPUS / f"{name}.pdf").exists()


def test_the_documents_facts_are_read(case):
    plan, expected, extension = case
    data = plan.to_plan_data()["plan"]
    wanted = {**expected["plan"], **(expected["docx_plan"] if extension == "docx" else {})}
    for key, value in wanted.items():
        assert fold_spaces(data.get(key)) == fold_spaces(value), key


def test_the_header_block_is_read_alike_from_docx_and_pdf(case):
    """Issuer, number, place and date, title in its own case, the signer's name and title
    with the "KT." line apart: the JSON's "plan" holds them for both formats (no docx_plan)."""
    plan, expected, _extension = case
    assert not expected["docx_plan"]
    for key in ("agency", "symbol", "issued_on", "title", "signer"):
        assert key in expected["plan"]
    assert plan.parent_body == expected["header"]["parent_body"]
    assert plan.place == expected["header"]["place"]


def test_every_task_row_is_read_in_its_section(case):
    plan, expected, _extension = case
    assert len(plan.tasks) == expected["task_count"]
    sections = [[area.numeral, area.title, len(area.tasks)] for area in plan.areas]
    assert sections == expected["sections"]


def test_the_json_writes_out_every_task():
    for name in NAMES:
        expected = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
        assert sorted(map(int, expected["tasks"])) == list(range(expected["task_count"]))
        assert sum(count for _numeral, _title, count in expected["sections"]) == len(
            expected["tasks"]
        )


def test_every_task_reads_field_for_field(case):
    plan, expected, _extension = case
    tasks = [task.to_json() for task in plan.tasks]
    for index, wanted in expected["tasks"].items():
        actual = tasks[int(index)]
        assert set(actual) == set(wanted), index  # no field read that the JSON leaves out
        for key, value in wanted.items():
            assert fold_spaces(actual.get(key)) == fold_spaces(value), (index, key)
