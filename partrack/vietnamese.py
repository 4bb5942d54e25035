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
