"""Old Word (.doc) and OpenDocument (.odt) copies of the seed plan, read through LibreOffice.

The copies were made by LibreOffice itself (the DOCX saved as ODT, and that ODT as DOC). Each
conversion starts LibreOffice (a few seconds): one shared reading per format.
"""

import pytest

from partrack.documents import libreoffice
from partrack.documents.errors import DocumentError
from partrack.documents.reading import convert, read_plan

from .reading_support import assert_same_sections, expected_plan, fold_spaces, seed_path

needs_libreoffice = pytest.mark.skipif(
    not libreoffice.program(),
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
)


@pytest.fixture(scope="module", params=["doc", "odt"])
def old_format(request):
    return request.param, read_plan(seed_path(request.param))


@needs_libreoffice
def test_the_old_word_and_opendocument_copies_read_as_the_hand_checked_plan(old_format):
    _extension, plan = old_format
    actual, expected = plan.to_json(), expected_plan()
    assert_same_sections(actual["sections"], expected["sections"])
    assert fold_spaces(actual["plan"]) == fold_spaces(expected["plan"])


def test_without_libreoffice_an_old_word_file_gets_a_message_saying_what_to_do(monkeypatch):
    monkeypatch.setattr(libreoffice, "program", lambda: None)
    with pytest.raises(DocumentError) as error:
        read_plan(seed_path("doc"))
    assert error.value.message == convert.NEEDS_LIBREOFFICE
    assert ".docx" in error.value.message
