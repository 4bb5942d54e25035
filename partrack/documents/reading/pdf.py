"""The blocks of a PDF made by a word processor: ruled tables as rows of cells, the rest as lines.

pdfplumber finds a table from its ruling lines, so a table without borders, or a scan, has
none. Text is grouped into lines by position; a wide gap splits a line into a left and a right
part, which is how the masthead and the signature block sit side by side.
"""

import copy
import hashlib
import re
import tempfile
from collections import OrderedDict
from io import BytesIO
from operator import itemgetter

import pdfplumber

from partrack.documents.errors import CORRUPT, SCANNED_PDF, DocumentError
from partrack.vietnamese import fold

from . import ocr
from .convert import can_ocr, ocr_pages
from .preamble import CENTRE, FULL, LEFT, RIGHT, Line
from .table import Cell

# A word hyphenated at a line end ("2026-" / "2030", "NĐ-" / "CP", "e-" / "Cabinet"): the
# text layer has a line break or a space after the hyphen, which the writer never typed.
_HYPHEN_AT_LINE_END = re.compile(r"(?<=[^\W_])-[ \t]*\n[ \t]*(?=[^\W_])")
_HYPHEN_SPACE = re.compile(r"(?<=[^\W_])- (?=[^\W_])")
# Symbols a PDF's text layer may space out letter by letter ("U BND", "B CĐ").
_SYMBOLS = (
    "UBND",
    "HĐND",
    "BCĐ",
    "CCHC",
    "TTHC",
    "CĐS",
    "MTTQ",
    "ĐVHC",
    "CQĐP",
    "KH&CN",
    "QĐ",
    "NĐ",
)


def _spaced(symbol):
    return r"(?<!\w)" + r"\s?".join(re.escape(ch) for ch in symbol) + r"(?!\w)"


_SPACED_SYMBOL = re.compile("|".join(f"({_spaced(symbol)})" for symbol in _SYMBOLS))


# A document's symbol cut by a narrow cell's line end ("07-TB/CQTTB" / "CĐ"): a short run of
# capitals after the break is the symbol's end, never a word of its own.
_SYMBOL_CUT = re.compile(r"(?<=[/-])([A-ZĐ]{2,12})\n([A-ZĐ]{1,3})(?=[\s,;.)]|$)")


def mend(text):
    """The words as written: hyphenation at line ends undone, symbols' letters joined."""
    text = _SYMBOL_CUT.sub(r"\1\2", text)
    text = _HYPHEN_AT_LINE_END.sub("-", text)
    text = _HYPHEN_SPACE.sub("-", text)
    return _SPACED_SYMBOL.sub(lambda match: re.sub(r"\s", "", match[0]), text)


# Fewer characters than this per page: the text layer is page numbers or a stamp, not the plan.
_FEWEST_CHARS_PER_PAGE = 50
_SAME_LINE = 3  # points between the tops of words on one line
_COLUMN_GAP = 40  # points: more between two words is two blocks side by side
_WIDE = 0.9  # of the text width: a part this wide is a line of body text
_CENTRED = 0.05  # of the text width: how far off the middle a centred line may be
_INSET = 4  # points: the gap a centred line keeps on both sides
# The state format's margins (Decree 30/2020): the text spans at least this much of a page,
# however little of it a page holds (the last page may hold just the signer's name).
_LEFT_MARGIN, _RIGHT_MARGIN = 85, 57  # points: 30 mm, 20 mm


class Blocks(list):
    """A reader's blocks; ``scanned`` when they were read from a scan by OCR."""

    scanned = False


def read_pdf(data):
    """Lines and tables (lists of rows of ``Cell``) of every page, in reading order.

    A scan (no text layer) is read by OCR when the machine can: every page made a PDF with a
    text layer by Tesseract, its tables found from the rules seen in the page's image.
    """
    blocks, chars = Blocks(), 0
    with pdfplumber.open(BytesIO(data)) as pdf:
        if not pdf.pages:
            raise DocumentError(CORRUPT)
        for number, page in enumerate(pdf.pages):
            chars += len(page.chars)
            blocks.extend(_page_blocks(page, masthead=number == 0))
            page.close()
        scanned = chars < _FEWEST_CHARS_PER_PAGE * len(pdf.pages)
    if scanned:
        if not can_ocr():
            raise DocumentError(SCANNED_PDF)
        return _scanned_blocks(data)
    return blocks


_OCR_TABLES = {
    "vertical_strategy": "explicit",
    "horizontal_strategy": "explicit",
    "snap_tolerance": 4,
    "join_tolerance": 6,
    "intersection_tolerance": 6,
}


# What OCR makes of a table's rules and dotted leaders: "|" between words, "_" after a number.
_RULE_MARKS = re.compile(r"(?:^|(?<=\s))[|¦_—]+(?=\s|$)|[|_]+$|^[|_]+|(?<=\d)[_|]+")


# Marks a section's roman numeral may be read as: its strokes as I, l, 1, |, T, H or "_".
_ROMAN_LIKE = re.compile(r"(?=.*[IVXlLHT|])[IVXlLHT|1_\[\]!]{1,5}")


_ROMANS = [ocr.roman(number) for number in range(1, 40)]


def _unruled(text):
    lines = (_RULE_MARKS.sub(" ", line) for line in text.split("\n"))
    kept = "\n".join(re.sub(r"[ \t]{2,}", " ", line).strip() for line in lines if line.strip())
    return ocr.correct(kept)


def _unruled_block(block):
    if isinstance(block, Line):
        return Line(_unruled(block.text), block.side)
    return [
        [Cell(_unruled(c.text), c.from_above, c.from_left, c.emphasis) for c in row]
        for row in block
    ]


def _legible(block):
    if isinstance(block, Line):
        return bool(block.text.strip())
    return any(cell.text.strip() for row in block for cell in row)


# The blocks of the last scans read, by their bytes' digest: the review reads an upload again
# (a column mapping, a chosen table) and OCR takes seconds a page.
_OCR_CACHE = OrderedDict()
_OCR_CACHE_SIZE = 4


def _scanned_blocks(data):
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _OCR_CACHE:
        _OCR_CACHE[digest] = _ocr_blocks(data)
        while len(_OCR_CACHE) > _OCR_CACHE_SIZE:
            _OCR_CACHE.popitem(last=False)
    _OCR_CACHE.move_to_end(digest)
    return copy.deepcopy(_OCR_CACHE[digest])


def _ocr_blocks(data):
    blocks = Blocks()
    blocks.scanned = True
    with tempfile.TemporaryDirectory(prefix="partrack-ocr-") as work:
        for path, horizontal, vertical in ocr_pages(data, work):
            settings = {
                **_OCR_TABLES,
                "explicit_horizontal_lines": horizontal,
                "explicit_vertical_lines": vertical,
            }
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    found = _page_blocks(page, settings if horizontal and vertical else None)
                    blocks.extend(_unruled_block(block) for block in found)
                    page.close()
    if not any(_legible(block) for block in blocks):
        raise DocumentError(SCANNED_PDF)  # nothing legible on the pages either
    _number_sections(blocks)
    return blocks


def _number_sections(blocks):
    """A section row's numeral as the order of sections says it must be, where the OCR read
    strokes of it as other marks ("I_", "TT" for III): a row with a short mark of roman-like
    letters in its first cell, a title beside it and nothing else."""
    previous = 0
    for block in blocks:
        if isinstance(block, Line):
            continue
        for index, row in enumerate(block):
            cells = [cell.own_text.strip() for cell in row]
            if len(cells) < 3 or not cells[1] or any(cells[2:]):
                continue
            mark = cells[0].replace(" ", "")
            if not _ROMAN_LIKE.fullmatch(mark):
                continue
            if mark in _ROMANS:  # read right, or a new appendix numbered from I again
                previous = _ROMANS.index(mark) + 1
                continue
            previous += 1
            block[index] = [Cell(ocr.roman(previous)), *row[1:]]


def _page_blocks(page, table_settings=None, *, masthead=False):
    """The page's tables and lines, ordered from the top of the page (the first page's
    masthead split into its two sides)."""
    if table_settings:
        tables = page.find_tables(table_settings)
    else:
        tables = page.find_tables() if page.edges else []
    boxes = [table.bbox for table in tables]
    words = [word for word in page.extract_words() if not _inside_any(word, boxes)]
    placed = [(table.bbox[1], [_table_rows(table, page)]) for table in tables]
    placed.extend(_lines(words, page.width, masthead=masthead))
    return [block for _top, group in sorted(placed, key=itemgetter(0)) for block in group]


def _inside_any(word, boxes):
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _lines(words, page_width, *, masthead=False):
    """(top, [Line, …]) per visual line, split where a wide gap separates two sides."""
    if not words:
        return []
    left = min(_LEFT_MARGIN, *(word["x0"] for word in words))
    right = max(page_width - _RIGHT_MARGIN, *(word["x1"] for word in words))
    middle, width = (left + right) / 2, right - left
    groups = []
    for word in sorted(words, key=lambda word: (word["top"], word["x0"])):
        if groups and word["top"] - groups[-1][0] <= _SAME_LINE:
            groups[-1][1].append(word)
        else:
            groups.append((word["top"], [word]))
    sides = _masthead_lines(groups) if masthead else 0
    return [
        (top, _sides(line, middle, width, _MASTHEAD_GAP if i < sides else _COLUMN_GAP))
        for i, (top, line) in enumerate(groups)
    ]


# The masthead's two sides are centred in their halves, so a long issuer name and the motto
# may come within a few spaces of each other; its lines are never justified, so any gap wider
# than a few spaces there parts the sides.
_MASTHEAD_GAP = 12  # points
_MASTHEAD_ENDS = re.compile(r",\s*ngày\s*\d{0,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}", re.I)
_MOST_MASTHEAD_LINES = 12


def _masthead_lines(groups):
    """How many visual lines the masthead takes: down to its place and date."""
    for index, (_top, words) in enumerate(groups[:_MOST_MASTHEAD_LINES]):
        if _MASTHEAD_ENDS.search(" ".join(word["text"] for word in words)):
            return index + 1
    return 0


def _left_blank(before, after):
    """Whether the space between two words is a blank left to fill in by hand: the number
    ("Số:      /KH-SKHCN") or the day ("ngày      tháng 01") of a plan not yet signed."""
    return fold(before["text"]) in ("so:", "so", "ngay") or after["text"].startswith("/")


def _sides(words, middle, width, gap=_COLUMN_GAP):
    parts = [[]]
    for word in sorted(words, key=lambda word: word["x0"]):
        space = word["x0"] - parts[-1][-1]["x1"] if parts[-1] else 0
        if space > _COLUMN_GAP or (space > gap and not _left_blank(parts[-1][-1], word)):
            parts.append([])
        parts[-1].append(word)
    return [
        Line(mend(" ".join(word["text"] for word in part)), _side(part, middle, width))
        for part in parts
    ]


def _side(words, middle, width):
    x0, x1 = words[0]["x0"], words[-1]["x1"]
    centre = (x0 + x1) / 2
    left, right = middle - width / 2, middle + width / 2
    # A long centred title may be nearly as wide as the text; unlike body text it keeps a gap
    # on both sides.
    inset = min(x0 - left, right - x1) > _INSET
    if abs(centre - middle) < _CENTRED * width and (inset or x1 - x0 <= _WIDE * width):
        return CENTRE
    if x1 - x0 > _WIDE * width:
        return FULL
    return LEFT if centre < middle else RIGHT


def _table_rows(table, page=None):
    """Rows of cells; a cell pdfplumber leaves empty (None) is covered by a merged cell.

    The one written cell of a row (a heading, maybe) says whether it is set in bold or italic.
    """
    texts = table.extract()
    columns = sorted({cell[0] for cell in table.cells})
    x0, top, x1, bottom = table.bbox
    chars = page and [  # the table's letters, for ``_unbroken`` to measure its lines by
        c
        for c in page.chars
        if c["text"].strip()
        and x0 - 1 <= c["x0"]
        and c["x1"] <= x1 + 1
        and top <= (c["top"] + c["bottom"]) / 2 <= bottom
    ]
    text_of = {}
    rows = []
    for row, row_texts in zip(table.rows, texts, strict=False):
        top = min(cell[1] for cell in row.cells if cell)
        cells = []
        for column, (bbox, text) in enumerate(zip(row.cells, row_texts, strict=False)):
            if bbox is not None:
                text_of[bbox] = mend(_unbroken(text or "", bbox, chars))
                cells.append(Cell(text_of[bbox]))
            else:
                cells.append(_covered(table.cells, columns[column], top, text_of))
        written = [i for i, cell in enumerate(cells) if cell.text.strip() and not cell.from_above]
        if page is not None and len(written) == 1:
            index = written[0]
            bbox = row.cells[index]
            if bbox is not None and _emphasised(page, bbox):
                cells[index] = Cell(cells[index].text, emphasis=True)
        rows.append(cells)
    return rows


def _unbroken(text, bbox, chars):
    """A cell's text with the words the writer broke at a line end made whole again: a
    document's symbol after its slash ("21/2025/" / "QĐ-TTg"), and a word wider than the cell
    cut where the line was full ("07/3/202" / "4", "VN_AQ" / "I", "thàn" / "h").

    A word cut for want of room is alone on its line and fills it to the cell's right padding;
    a line broken between words leaves the room of the word that did not fit. The pieces must
    also show they are one word: digits on both sides, capitals on both sides, or a rest in
    lower case without a vowel, which no Vietnamese word is.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return text
    room = _room_at_line_ends(lines, bbox, chars)
    joined = [lines[0]]
    for index, line in enumerate(lines[1:]):
        piece, rest = joined[-1].rstrip(), line.strip()
        alone = " " not in piece and "\n" not in piece
        if (
            (piece.endswith("/") and _SYMBOL_START.match(rest))
            or _PUNCTUATION_START.match(rest)
            or (piece[-1].isupper() and _SYMBOL_REST.match(rest))
            or (alone and room[index] and _one_word(piece, rest))
        ):
            joined[-1] = piece + rest
        elif piece.endswith(" -") or (
            _WRAPPED_DASH.match(rest)
            and piece[-1] not in ".;:"
            and (rest[2].islower() or not any(_WRAPPED_DASH.match(x) for x in joined))
        ):
            # "Ban Thi đua -" / "Khen thưởng", "thuế" / "- dân cư": a dash between words, not
            # a bullet (a bullet starts a capital, and a list's first line too).
            joined[-1] = f"{piece} {rest}"
        else:
            joined.append(line)
    return "\n".join(joined)


_SYMBOL_START = re.compile(r"[A-ZĐ0-9]")
# A line never starts with these but where the line before ran out of room.
_PUNCTUATION_START = re.compile(r"[;,.:)]")
_SYMBOL_REST = re.compile(r"-[A-ZĐ]")  # "NĐ" / "-CP"
# A dash between words the line broke before, not a bullet: a bullet starts a capital.
_WRAPPED_DASH = re.compile(r"[-–] [^\W\d_]")
_VOWELS = set("aeiouy")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def _one_word(piece, rest):
    last, first = piece[-1], rest[0]
    if last.isdigit() and first.isdigit():
        return True
    if last.isupper() and first.isupper():
        return True
    word = re.match(r"[^\W\d_]+", rest)
    if not (last.isalpha() and first.islower() and word):
        return False
    # A rest without a vowel, or a piece of two syllables ("Levoglu"): no Vietnamese word.
    foreign = piece.isalpha() and len(_VOWEL_GROUPS.findall(fold(piece))) > 1
    return foreign or not _VOWELS & set(fold(word[0]))


def _room_at_line_ends(lines, bbox, chars):
    """Per line of a cell, whether it ends less than half a letter short of the cell's
    right padding (None where the cell's lines cannot be matched to the page's)."""
    if not chars:
        return [None] * len(lines)
    x0, top, x1, bottom = bbox
    visual = []  # [top, left, right, size] per line of the cell
    for char in sorted(
        (c for c in chars if x0 <= c["x0"] and c["x1"] <= x1 + 1
         and top <= (c["top"] + c["bottom"]) / 2 < bottom),
        key=lambda c: (c["top"], c["x0"]),
    ):  # fmt: skip
        if visual and abs(char["top"] - visual[-1][0]) <= _SAME_LINE:
            visual[-1][1] = min(visual[-1][1], char["x0"])
            visual[-1][2] = max(visual[-1][2], char["x1"])
        else:
            visual.append([char["top"], char["x0"], char["x1"], char["size"]])
    if len(visual) != len(lines):
        return [None] * len(lines)
    padding = min(left for _top, left, _right, _size in visual) - x0
    return [x1 - padding - right < 0.5 * size for _top, _left, right, size in visual]


def _emphasised(page, bbox):
    x0, top, x1, bottom = bbox
    fonts = [
        char["fontname"].lower()
        for char in page.chars
        if char["text"].strip()
        and x0 <= char["x0"] < x1
        and top <= (char["top"] + char["bottom"]) / 2 < bottom
    ]
    return bool(fonts) and all(
        "bold" in font or "italic" in font or "oblique" in font for font in fonts
    )


def _covered(cells, x, top, text_of):
    """The part of a merged cell at (x, top): below its start (vertical) or beside it."""
    for x0, cell_top, x1, bottom in cells:
        if x0 <= x < x1 and cell_top <= top < bottom:
            if cell_top < top:
                return Cell(text_of.get((x0, cell_top, x1, bottom), ""), from_above=True)
            return Cell(from_left=True)
    return Cell(from_left=True)
