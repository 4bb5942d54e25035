"""Names of bodies (units, agencies) in the lead and coordinator cells of a task table.

A cell may list several bodies, separated by ";", by line breaks or by ", " — but a comma or
a line break is just as often inside one name ("Các phòng, đơn vị thuộc Sở", or a name wrapped
over two lines of a narrow column). So a cell is only split where every resulting part reads as
a body's name on its own.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

# Words a body's name starts with. Each alone is too vague to name one body, except those in
# _STANDALONE ("Văn phòng", "Thanh tra": an agency has one of each).
_HEAD_WORDS = [
    "văn phòng", "phòng", "chi cục", "cục", "tổng cục", "trung tâm", "sở", "bộ", "vụ",
    "ubnd", "ủy ban", "hđnd", "ban", "bộ phận", "cơ quan", "đơn vị", "cán bộ", "công chức",
    "viên chức", "ccvc", "cbccvc", "thanh tra", "lãnh đạo", "tổ", "hội đồng",
    "đoàn", "công đoàn", "chi bộ", "đảng ủy", "tỉnh ủy", "viện", "trường", "bệnh viện",
    "kho bạc", "công an", "quỹ", "giám đốc", "phó giám đốc", "trưởng", "phó trưởng", "chánh",
    "người đứng đầu", "địa phương", "ngành", "thủ tướng", "chính phủ", "ngân hàng", "đài",
    "thông tấn xã", "bảo hiểm", "ủy ban nhân dân", "mặt trận", "tòa án", "viện kiểm sát",
    "kiểm toán",
]  # fmt: skip
# A province or city standing for its people's committee, in a list of bodies: "UBND thành
# phố Hà Nội, Thành phố Hồ Chí Minh", "… và các tỉnh/thành phố khác" (never a masthead's line).
_PLACE_AS_BODY = re.compile(r"^(?:(?:các|những)\s+(?:tỉnh|thành phố)(?=$|[\s,/])|thành phố\s+\S)")
_STANDALONE = {"văn phòng", "thanh tra"}
_HEAD = re.compile(
    r"(?P<plural>(?:các|những)\s+)?(?P<head>"
    + "|".join(re.escape(word) for word in sorted(_HEAD_WORDS, key=len, reverse=True))
    + r")(?=$|[\s,.;:()&/-])(?P<rest>.*)",
    re.DOTALL,
)
_BULLET = re.compile(r"^\s*[-–+•*]\s*")
# A line ending with one of these words or marks goes on in the next line.
_OPEN_LAST_WORDS = {"thuộc", "và", "&", "của", "tại", "cấp", "-", "ubnd", "hđnd"}
_OPEN_ENDINGS = (",", "(", "-", "&")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " \t\n;,.:"
# Longer than this, a cell is prose rather than a list of names: it is kept whole.
_LONGEST_LIST = 2000


_BODIES_FILE = Path(__file__).parent / "data" / "bodies.txt"
_KEPT = "\ue000{}\ue001"  # a known name held aside while a cell is split
_KEPT_BACK = re.compile("\ue000(\\d+)\ue001")


@cache
def known_bodies():
    """{lower-cased name: name as the body writes it} from ``data/bodies.txt``."""
    lines = _BODIES_FILE.read_text(encoding="utf-8").splitlines()
    names = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return {_lower(name): name for name in names}


@cache
def _known_pattern():
    names = sorted(known_bodies(), key=len, reverse=True)
    return re.compile(
        r"(?<!\w)(?:"
        + "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in names)
        + r")(?!\w)",
        re.IGNORECASE,
    )


def known_name(text):
    """The body's name as it writes it, if ``text`` is one of the known bodies; else None."""
    return known_bodies().get(_SPACES.sub(" ", _lower(text)).strip(_EDGE_PUNCTUATION))


def split_bodies(cell_text):
    """The body names in a lead or coordinator cell, in order, each on one line.

    Known names ("Bộ Văn hóa, Thể thao và Du lịch") are held aside first, so that no comma or
    "và" inside them splits them.
    """
    cell_text = cell_text or ""
    if len(cell_text) > _LONGEST_LIST:
        return [_tidy(cell_text)]
    kept = []

    def hold(match):
        kept.append(match[0])
        return _KEPT.format(len(kept) - 1)

    held = _known_pattern().sub(hold, unicodedata.normalize("NFC", cell_text).replace("uỷ", "ủy"))
    names = []
    for chunk in _split_outside_brackets(held):
        for name in _join_wrapped_lines(chunk.splitlines(), kept):
            for piece in _split_on_commas(name, kept):
                names.extend(_split_on_and(piece, kept))
    restored = (_KEPT_BACK.sub(lambda m: kept[int(m[1])], name) for name in names)
    return [name for name in map(_tidy, restored) if name]


# A lead written with what it does: "Bộ Công an chủ trì, phối hợp với các bộ" leads as
# "Bộ Công an", the rest is a note.
_QUALIFIER = re.compile(
    r"^(?P<body>.+?)\s*[,:(–-]?\s+(?P<rest>(?:chủ trì|phối hợp|tham mưu|hướng dẫn|theo dõi|"
    r"đôn đốc|tổng hợp|thực hiện|báo cáo|trình|xây dựng|là cơ quan)\b.*)$",
    re.DOTALL,
)


def split_lead_note(leads):
    """(leads, note) when a lead is a body followed by a qualifying phrase: the only lead a
    known body and what it does ("Bộ Công an chủ trì, …"), or, among several leads, a body's
    name with its share of the work in brackets ("Bộ Nông nghiệp và Môi trường (mạng lưới
    quốc gia)"); the note names the body each bracket is about, one a line."""
    if len(leads) == 1:
        match = _QUALIFIER.match(leads[0])
        if match and known_name(match["body"]):
            return [known_name(match["body"])], match["rest"].rstrip(_EDGE_PUNCTUATION).rstrip(")")
    if len(leads) == 1:
        return None  # "Văn phòng Sở (Phụ trách pháp chế)": the bracket names a part of it
    bodies, notes = [], []
    for lead in leads:
        match = _BRACKETED.match(lead)
        if match and (is_body_name(match["body"]) or _is_group(match["body"])):
            bodies.append(match["body"])
            notes.append((match["body"], match["rest"]))
        else:
            bodies.append(lead)
    if not notes:
        return None
    return bodies, "\n".join(f"{body}: {rest}" for body, rest in notes)


_BRACKETED = re.compile(r"^(?P<body>[^()]+?)\s*\((?P<rest>[^()]+)\)$")


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


def starts_body_name(text):
    """Whether ``text`` begins with a body's head word ("ỦY BAN NHÂN DÂN" before its line 2)."""
    return _HEAD.match(_lower(text.strip())) is not None


def _starts_new_name(text, kept=()):
    """A capitalised body's name, a known body, or bodies named in the plural ("các địa
    phương"): where a wrapped line, a comma or "và" may start another name."""
    text = text.strip()
    if _KEPT_BACK.match(text):
        return True
    return bool(text) and (
        (text[0].isupper() and is_body_name(text))
        or (text.startswith(("các ", "những ")) and _is_group(text))
        or (text[0].isupper() or text.startswith(("các ", "những ")))
        and bool(_PLACE_AS_BODY.match(_lower(text)))
    )


def _join_wrapped_lines(lines, kept=()):
    names = []
    for line in lines:
        if not line.strip():
            continue
        if names and not _line_starts_name(names[-1], line, kept):
            names[-1] = f"{names[-1].rstrip()} {line.strip()}"
        else:
            names.append(line)
    return names


def _line_starts_name(previous, line, kept=()):
    if _BULLET.match(line):
        return True
    is_body = _names_body(previous, kept)
    previous = _lower(previous).rstrip()
    last_words = previous.split()[-1:]
    return (
        _starts_new_name(line, kept)
        and is_body
        and previous.count("(") <= previous.count(")")
        and not previous.endswith(_OPEN_ENDINGS)
        and not set(last_words) & _OPEN_LAST_WORDS
    )


def _split_on_commas(name, kept=()):
    groups = []
    for piece in re.split(r"\s*,\s+", name):
        if groups and not _starts_new_name(piece, kept):
            groups[-1] = f"{groups[-1]}, {piece}"
        else:
            groups.append(piece)
    if len(groups) > 1 and all(_names_body(group, kept) for group in groups):
        return groups
    return [name]


def _split_on_and(name, kept=()):
    """ "Sở Nội vụ và các cơ quan liên quan" is two; "Phòng Kinh tế và Hạ tầng" is one."""
    before, found, after = name.partition(" và ")
    if not found or not _names_body(before, kept) or not _starts_new_name(after, kept):
        return [name]
    return [before, *_split_on_and(after, kept)]


def _names_body(text, kept):
    text = _BULLET.sub("", text).strip()
    return (
        bool(_KEPT_BACK.fullmatch(text))
        or is_body_name(_restore(text, kept))
        or _is_group(text)
        or bool(_PLACE_AS_BODY.match(_lower(text)))
    )


def _restore(text, kept):
    return _KEPT_BACK.sub(lambda m: kept[int(m[1])] if int(m[1]) < len(kept) else "", text)


def _is_group(text):
    """ "các địa phương", "các bộ": bodies named by their kind, in the plural."""
    match = _HEAD.match(_lower(text.strip()))
    return bool(match and match["plural"])


def _lower(text):
    return unicodedata.normalize("NFC", text).lower().replace("uỷ", "ủy")


def _tidy(name):
    name = _BULLET.sub("", name)
    return _SPACES.sub(" ", name).strip(_EDGE_PUNCTUATION)
