"""Plans shaped as real plans are: every synthetic shape (tests/data/shapes, built by its
build.py) reads, from DOCX and from the PDF LibreOffice made of it, as its hand-written JSON."""

import json
from pathlib import Path

import pytest

from partrack.documents.reading import read_plan

from .reading_support import assert_same_sections, fold_spaces

SHAPES = Path(__file__).resolve().parent.parent / "data" / "shapes"
NAMES = sorted(path.stem for path in SHAPES.glob("*.json"))
FORMATS = ["docx", "pdf"]


@pytest.fixture(scope="module")
def read():
    cache = {}

    def read(name, extension):
        if (name, extension) not in cache:
            cache[name, extension] = read_plan(SHAPES / f"{name}.{extension}")
        return cache[name, extension]

    return read


def expected(name):
    return json.loads((SHAPES / f"{name}.json").read_text(encoding="utf-8"))


def test_every_shape_has_its_docx_and_pdf():
    assert len(NAMES) >= 4
    for name in NAMES:
        for extension in FORMATS:
            assert (SHAPES / f"{name}.{extension}").exists(), f"{name}.{extension}"


@pytest.mark.parametrize("extension", FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_the_shape_reads_as_its_hand_written_json(read, name, extension):
    plan, wanted = read(name, extension), expected(name)
    data = plan.to_plan_data()
    for key, value in wanted["plan"].items():
        assert fold_spaces(data["plan"].get(key)) == fold_spaces(value), key
    assert [s.get("part", "") for s in data["sections"]] == [
        s.get("part", "") for s in wanted["sections"]
    ]
    assert_same_sections(data["sections"], wanted["sections"])
    assert fold_spaces(data["sections"]) == fold_spaces(wanted["sections"])


@pytest.mark.parametrize("extension", FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_the_rows_that_are_no_task_say_what_the_reader_took_them_for(read, name, extension):
    plan, wanted = read(name, extension), expected(name)
    others = [[row.kind, row.content] for row in plan.rows if row.kind != "task"]
    assert fold_spaces(others) == fold_spaces(wanted["rows_not_tasks"])


@pytest.mark.parametrize("extension", FORMATS)
@pytest.mark.parametrize("name", [name for name in NAMES if "reading" in expected(name)])
def test_the_readers_decisions_are_noted_on_their_rows(read, name, extension):
    plan = read(name, extension)
    notes = {(task.label or task.number, note) for task in plan.tasks for note in task.reading}
    for label, note in expected(name)["reading"]:
        assert (label, note) in notes
