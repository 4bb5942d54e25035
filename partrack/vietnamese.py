"""Vietnamese text folding: what makes "ke hoach" find "Kế hoạch"."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text):
    """Lower-case, strip diacritics (đ becomes d) and collapse white space."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", bare).strip().lower()


_P_DOT = re.compile(r"\bp\.\s*")
_NOT_WORD = re.compile(r"[^\w\s]")


def fold_body_name(name):
    """The form two spellings of one body share: "P. KH&TC" and "Phòng KH và TC" agree."""
    text = fold(name).replace("&", " va ")
    text = _P_DOT.sub("phong ", text)
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()
