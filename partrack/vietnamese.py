"""Vietnamese text folding: what makes "ke hoach" find "Kế hoạch"."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


_NOT_ASCII_WORD = re.compile(r"[^A-Za-z0-9]+")


def strip_marks(text):
    """The text without diacritics: "Đổi mới" becomes "Doi moi"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text):
    """Lower-case, strip diacritics (đ becomes d) and collapse white space."""
    if not text:
        return ""
    return _SPACES.sub(" ", strip_marks(text)).strip().lower()


def ascii_slug(text, fallback="x"):
    """ "Quý I" → "Quy-I": file names every browser and mail client keeps as they are."""
    return _NOT_ASCII_WORD.sub("-", strip_marks(text)).strip("-") or fallback


_P_DOT = re.compile(r"\bp\.\s*")
_NOT_WORD = re.compile(r"[^\w\s]")


def fold_body_name(name):
    """The form two spellings of one body share: "P. KH&TC" and "Phòng KH và TC" agree."""
    text = fold(name).replace("&", " va ")
    text = _P_DOT.sub("phong ", text)
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


# The councils documents write both in full and abbreviated, in fold_body_name form.
_COUNCILS = [
    (re.compile(r"\buy ban nhan dan\b"), "ubnd"),
    (re.compile(r"\bhoi dong nhan dan\b"), "hdnd"),
]


def fold_agency_name(name):
    """fold_body_name, with "Ủy ban nhân dân" and "Hội đồng nhân dân" written as "UBND" and
    "HĐND" (documents use both): "UBND tỉnh Phú Thọ" and "Ủy ban nhân dân tỉnh Phú Thọ" agree."""
    text = fold_body_name(name)
    for pattern, short in _COUNCILS:
        text = pattern.sub(short, text)
    return text
