"""Names of bodies (units, agencies) in the lead and coordinator cells of a task table.

A cell may list several bodies, separated by ";", by line breaks or by ", " — but a comma or
a line break is just as often inside one name ("Các phòng, đơn vị thuộc Sở", or a name wrapped
over two lines of a narrow column). So a cell is only split where every resulting part reads as
a body's name on its own.
"""

import re
import unicodedata

# Words a body's name starts with. Each alone is too vague to name one body, except those in
# _STANDALONE ("Văn phòng", "Thanh tra": an agency has one of each).
_HEAD_WORDS = [
    "văn phòng", "phòng", "chi cục", "cục", "tổng cục", "trung tâm", "sở", "bộ", "vụ",
    "ubnd", "ủy ban", "hđnd", "ban", "bộ phận", "cơ quan", "đơn vị", "cán bộ", "công chức",
    "viên chức", "ccvc", "cbccvc", "thanh tra", "lãnh đạo", "tổ", "hội đồng",
    "đoàn", "công đoàn", "chi bộ", "đảng ủy", "tỉnh ủy", "viện", "trường", "bệnh viện",
    "kho bạc", "công an", "quỹ", "giám đốc", "phó giám đốc", "trưởng", "phó trưởng", "chánh",
    "người đứng đầu",
]  # fmt: skip
_STANDALONE = {"văn phòng", "thanh tra"}
_HEAD = re.compile(
    r"(?P<plural>(?:các|những)\s+)?(?P<head>"
    + "|".join(re.escape(word) for word in sorted(_HEAD_WORDS, key=len, reverse=True))
    + r")(?=$|[\s,.;:()&/-])(?P<rest>.*)",
    re.DOTALL,
)
_BULLET = re.compile(r"^\s*[-–+•*]\s*")
# A line ending with one of these words or marks goes on in the next line.
_OPEN_LAST_WORDS = {"thuộc", "và", "&", "của", "tại", "cấp", "-"}
_OPEN_ENDINGS = (",", "(", "-", "&")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " \t\n;,.:"
# Longer than this, a cell is prose rather than a list of names: it is kept whole.
_LONGEST_LIST = 2000


def split_bodies(cell_text):
    """The body names in a lead or coordinator cell, in order, each on one line."""
    cell_text = cell_text or ""
    if len(cell_text) > _LONGEST_LIST:
        return [_tidy(cell_text)]
    names = []
    for chunk in _split_outside_brackets(cell_text):
        for name in _join_wrapped_lines(chunk.splitlines()):
            names.extend(_split_on_commas(name))
    return [name for name in map(_tidy, names) if name]


def _split_outside_brackets(text):
    """``text`` split at each ";" that is not inside brackets."""
    chunks, start, depth = [], 0, 0
    for index, character in enumerate(text):
        if character == "(":
            depth += 1
        elif character == ")":
            depth = max(depth - 1, 0)
        elif character == ";" and depth == 0:
            chunks.append(text[start:index])
            start = index + 1
    return [*chunks, text[start:]]


def is_body_name(text):
    """Whether ``text`` reads as one body's name: a head word and what makes it specific."""
    match = _HEAD.match(_lower(text))
    if not match:
        return False
    rest = match["rest"].strip(_EDGE_PUNCTUATION)
    return bool(rest) or (match["head"] in _STANDALONE and not match["plural"])


def _starts_new_name(text):
    """A capitalised body's name: where a wrapped line or a comma may start another name."""
    text = text.strip()
    return bool(text) and text[0].isupper() and is_body_name(text)


def _join_wrapped_lines(lines):
    names = []
    for line in lines:
        if not line.strip():
            continue
        if names and not _line_starts_name(names[-1], line):
            names[-1] = f"{names[-1].rstrip()} {line.strip()}"
        else:
            names.append(line)
    return names


def _line_starts_name(previous, line):
    if _BULLET.match(line):
        return True
    previous = _lower(previous).rstrip()
    last_words = previous.split()[-1:]
    return (
        _starts_new_name(line)
        and is_body_name(previous)
        and previous.count("(") <= previous.count(")")
        and not previous.endswith(_OPEN_ENDINGS)
        and not set(last_words) & _OPEN_LAST_WORDS
    )


def _split_on_commas(name):
    groups = []
    for piece in name.split(", "):
        if groups and not _starts_new_name(piece):
            groups[-1] = f"{groups[-1]}, {piece}"
        else:
            groups.append(piece)
    if len(groups) > 1 and all(is_body_name(group) for group in groups):
        return groups
    return [name]


def _lower(text):
    return unicodedata.normalize("NFC", text).lower().replace("uỷ", "ủy")


def _tidy(name):
    name = _BULLET.sub("", name)
    return _SPACES.sub(" ", name).strip(_EDGE_PUNCTUATION)
