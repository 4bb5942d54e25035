"""The blocks of a DOCX: its paragraphs as lines and its tables as rows of cells, in order.

Tables are walked in the XML rather than through python-docx's ``row.cells``, which repeats a
merged cell once per grid column and per row: here a merged cell's text is given once and the
cells it covers say so (``from_left``, ``from_above``). Word's automatic list numbers (an "STT"
column numbered with the Numbering button) are in no text node, so they are counted here.
"""

import re
from dataclasses import dataclass
from io import BytesIO

import docx
from docx.oxml.ns import qn

from .preamble import CENTRE, FULL, LEFT, RIGHT, Line
from .table import Cell, squash

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_VAL = qn("w:val")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Never text: properties (a paragraph's tab stops are "w:tab" too), and the copy of a text
# box that older readers fall back on.
_NOT_TEXT = {qn("w:pPr"), qn("w:rPr"), qn("w:tblPr"), qn("w:trPr"), qn("w:tcPr"), _FALLBACK}
# Containers around blocks, rows or cells: content controls, custom XML, tracked moves.
_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins"), qn("w:moveTo")}
_TABS = re.compile(r"\t+")
_MOST_GRID_COLUMNS = 63  # Word's own limit


def read_docx(data):
    """Lines and tables (lists of rows of ``Cell``) of the document body, in reading order."""
    document = docx.Document(BytesIO(data))
    body = document.element.body
    reader = _Reader(_list_labels(document, body))
    blocks = []
    for element in _children(body, (_P, _TBL)):
        if element.tag == _TBL:
            blocks.append(reader.table_rows(element))
        else:
            blocks.extend(reader.paragraph_lines(element))
    return blocks


class _Reader:
    def __init__(self, list_labels):
        self._list_labels = list_labels  # paragraph element -> "1.", "I.", "-"…

    def paragraph_lines(self, paragraph):
        """A paragraph as lines; tabs set sides apart: "Nơi nhận:⇥KT. GIÁM ĐỐC", "⇥⇥Tên"."""
        lines = []
        for each in _paragraphs(paragraph):
            centred = _is_centred(each)
            for text in self.text(each).split("\n"):
                lines.extend(_sides(text, centred))
        return lines

    def table_rows(self, table):
        rows = []
        merged_text = {}  # grid column -> text of the vertically merged cell that starts there
        for tr in _children(table, (_TR,)):
            row = [Cell() for _ in range(_grid_before(tr))]
            for tc in _children(tr, (_TC,)):
                column = len(row)
                span, merge = _cell_layout(tc)
                if merge == "continue":
                    cell = Cell(merged_text.get(column, ""), from_above=True)
                else:
                    text = "\n".join(self.text(p) for p in _paragraphs(tc))
                    cell = Cell(text, emphasis=_emphasised(tc))
                    merged_text[column] = cell.text
                row.append(cell)
                row.extend(Cell(from_left=True) for _ in range(span - 1))
            rows.append(row)
        return rows

    def text(self, paragraph):
        text = "".join(_text_parts(paragraph))
        label = self._list_labels.get(paragraph)
        return f"{label} {text}" if label else text


_R, _B, _I = qn("w:r"), qn("w:b"), qn("w:i")


def _emphasised(tc):
    """Whether every run of text in the cell is bold or italic (a heading, not a task)."""
    runs = [run for run in tc.iter(_R) if "".join(t.text or "" for t in run.iter(_T)).strip()]
    return bool(runs) and all(_run_emphasised(run) for run in runs)


def _run_emphasised(run):
    properties = run.find(qn("w:rPr"))
    if properties is None:
        return False
    for tag in (_B, _I):
        mark = properties.find(tag)
        if mark is not None and mark.get(_VAL) not in ("0", "false"):
            return True
    return False


def _children(parent, tags):
    """Child elements with one of ``tags``, looking through wrappers such as content controls."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tags)


def _paragraphs(element):
    """Paragraphs at or under ``element`` in order, each text box's after its anchor."""
    if element.tag == _P:
        yield element
    for child in element:
        if child.tag not in _NOT_TEXT:
            yield from _paragraphs(child)


def _text_parts(element):
    for child in element:
        tag = child.tag
        if tag == _T:
            yield child.text or ""
        elif tag == _TAB:
            yield "\t"
        elif tag in (_BR, _CR):
            yield "\n"
        elif tag not in _NOT_TEXT and tag != _P:
            yield from _text_parts(child)


def _is_centred(paragraph):
    alignment = paragraph.find(f"{qn('w:pPr')}/{qn('w:jc')}")
    return alignment is not None and alignment.get(_VAL) == "center"


def _sides(text, centred):
    raw_parts = _TABS.split(text)
    parts = [squash(part) for part in raw_parts if squash(part)]
    if len(parts) > 1:
        middle = [Line(part, FULL) for part in parts[1:-1]]
        return [Line(parts[0], LEFT), *middle, Line(parts[-1], RIGHT)]
    pushed_right = len(raw_parts) > 1 and not squash(raw_parts[0])
    side = RIGHT if pushed_right else CENTRE if centred else FULL
    return [Line(part, side) for part in parts]


def _grid_before(tr):
    value = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
    return _count(value.get(_VAL) if value is not None else None, 0)


def _cell_layout(tc):
    """(columns spanned, "restart" / "continue" / None for the vertical merge)."""
    properties = tc.find(qn("w:tcPr"))
    if properties is None:
        return 1, None
    span = properties.find(qn("w:gridSpan"))
    merge = properties.find(qn("w:vMerge"))
    columns = _count(span.get(_VAL) if span is not None else None, 1)
    if merge is None:
        return columns, None
    return columns, merge.get(_VAL) or "continue"


def _count(value, default):
    """A count from the XML, kept within a grid's bounds: a hostile file may say anything."""
    try:
        return max(0, min(int(value), _MOST_GRID_COLUMNS))
    except (TypeError, ValueError):
        return default


# --- Automatic list numbers -----------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    number_format: str = "decimal"
    text: str = "%1."
    start: int = 1


def _list_labels(document, body):
    """The label Word shows before each numbered paragraph, counted in document order."""
    definitions = _list_definitions(document.part.numbering_part.element)
    counters = {}  # numId -> {level: current count}
    labels = {}
    for paragraph in body.iter(_P):
        reference = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if reference is None:
            continue
        list_id = _attribute(reference, "w:numId")
        level = _number(_attribute(reference, "w:ilvl"), 0)
        levels = definitions.get(list_id, {})
        if level not in levels:
            continue
        counts = counters.setdefault(list_id, {})
        counts[level] = counts.get(level, levels[level].start - 1) + 1
        for deeper in [other for other in counts if other > level]:
            del counts[deeper]  # a sub-list starts again under each item
        labels[paragraph] = _label(levels, level, counts)
    return labels


def _list_definitions(numbering):
    """numId -> {level: _Level}, from the numbering part's abstract lists and overrides."""
    abstract = {
        element.get(qn("w:abstractNumId")): _levels(element)
        for element in numbering.findall(qn("w:abstractNum"))
    }
    definitions = {}
    for element in numbering.findall(qn("w:num")):
        levels = dict(abstract.get(_attribute(element, "w:abstractNumId"), {}))
        for override in element.findall(qn("w:lvlOverride")):
            level = _number(override.get(qn("w:ilvl")), 0)
            start = _attribute(override, "w:startOverride")
            if level in levels and start is not None:
                base = levels[level]
                levels[level] = _Level(base.number_format, base.text, _number(start, 1))
        definitions[element.get(qn("w:numId"))] = levels
    return definitions


def _levels(abstract_list):
    return {
        _number(level.get(qn("w:ilvl")), 0): _Level(
            _attribute(level, "w:numFmt") or "decimal",
            _attribute(level, "w:lvlText") or "",
            _number(_attribute(level, "w:start"), 1),
        )
        for level in abstract_list.findall(qn("w:lvl"))
    }


def _label(levels, level, counts):
    if levels[level].number_format == "bullet":
        return "-"

    def number(match):
        shown = int(match[1]) - 1
        definition = levels.get(shown, _Level())
        return _formatted(counts.get(shown, definition.start), definition.number_format)

    return re.sub(r"%([1-9])", number, levels[level].text)


def _formatted(number, number_format):
    if number_format in ("upperRoman", "lowerRoman"):
        roman = _roman(number)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format in ("upperLetter", "lowerLetter") and 1 <= number <= 26:
        letter = chr(ord("A") + number - 1)
        return letter if number_format == "upperLetter" else letter.lower()
    return "" if number_format == "none" else str(number)


def _roman(number):
    if not 0 < number < 4000:
        return str(number)
    numerals = []
    for value, numeral in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        numerals.append(numeral * count)
    return "".join(numerals)


def _attribute(element, child_tag):
    """The w:val of ``element``'s child ``child_tag``, or None."""
    child = element.find(qn(child_tag))
    return child.get(_VAL) if child is not None else None


def _number(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
