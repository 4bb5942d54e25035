"""What Tesseract gets wrong in a Vietnamese plan, put right where the right reading is certain.

A scan's text is corrected by rules, not guessed: symbols the OCR swaps for look-alikes (a
fraction slash, a long dash doubled), roman numerals it reads as letters where the grammar
says a numeral stands ("Quý HI/2026"), capitals it gives letters whose small and capital forms
differ only in size ("đơn Vị", "Thường Xuyên"), a few common words of administrative writing
whose tone marks it confuses in a pair that no Vietnamese text holds ("sửa đối", "kiếm tra"),
letters foreign to Vietnamese stuck to a word ("øgiải"), the slash lost between a quarter and
its year ("Quý I 2026") and three dots for an ellipsis. Names of units are then taken for
the nearest known name when only the OCR's slips set them apart ("Phòng Chuyển đối số").
"""

import difflib
import re

from partrack.vietnamese import fold

# A fraction slash or a division slash where a writer typed "/" ("Quý I/⁄2026").
_SLASHES = re.compile(r"/*[⁄∕][/⁄∕]*")
# A long dash the OCR doubles or mixes with a hyphen between numbers or words ("2026 —- 2030").
_DASHES = re.compile(r"(?<=\s)(?:[—–]-*|-+[—–]|--+)(?=\s)")
# Roman numerals as the OCR misreads them: I as l, 1, |, L, T or H (a "II" whose strokes touch).
_ROMAN_LIKE = r"[IlL1|HT]{1,4}V?|[IlL1|]?V[IlL1|]{0,3}"
_QUARTER = re.compile(rf"(?i:\b(quý))\s*({_ROMAN_LIKE})(?=\s*(?:/|,|;|\s|$))")
_ROMAN = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
# A quarter and its year with nothing between ("Quý I 2026"): no one writes that; the thin slash
# the OCR lost goes back after the numeral, the gap it left kept ("Quý I/ 2026").
_LOST_SLASH = re.compile(r"\b(Quý\s+(?:I{1,3}|IV))(\s+)(?=(?:19|20)\d\d\b)")
# Three dots for the one ellipsis character: a scan shows the same marks for both, and a word
# processor turns a typed "..." into "…".
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_LOOKS_LIKE_I = str.maketrans({"l": "I", "L": "I", "1": "I", "|": "I", "T": "I"})
# Words of administrative writing whose tone marks OCR confuses, each as the pair of words
# it appears in: the wrong pair is not Vietnamese, so the right one is certain.
_TONE_SLIPS = {
    "sửa đối": "sửa đổi",
    "chuyển đối": "chuyển đổi",
    "thay đối": "thay đổi",
    "đối mới": "đổi mới",
    "kiếm tra": "kiểm tra",
    "kiếm soát": "kiểm soát",
    "kiếm định": "kiểm định",
    "thấm quyền": "thẩm quyền",
    "thấm quyên": "thẩm quyền",
    "thẩm quyên": "thẩm quyền",
    "thấm định": "thẩm định",
    "đây đủ": "đầy đủ",
    "tố chức": "tổ chức",
    "tống thể": "tổng thể",
    "tống hợp": "tổng hợp",
    "tống kết": "tổng kết",
    "phần loại": "phân loại",
    "phần công": "phân công",
    "phần cấp": "phân cấp",
    "luông xanh": "luồng xanh",
    "chỉ thường xuyên": "chi thường xuyên",
    "chỉ đầu tư": "chi đầu tư",
    "chỉ cục": "chi cục",
    "nhần dân": "nhân dân",
}
# V and X: their capitals are the small letters drawn larger, and the OCR may give either. In
# the middle of a word of two syllables a capital is never the writer's.
_SIZE_SLIPS = {"đơn Vị": "đơn vị", "Thường Xuyên": "Thường xuyên", "thường Xuyên": "thường xuyên"}


def _slips(words, flags=0):
    ordered = sorted(words, key=len, reverse=True)
    spaced = (r"\s+".join(re.escape(word) for word in wrong.split()) for wrong in ordered)
    return re.compile("|".join(rf"(?<!\w){wrong}(?!\w)" for wrong in spaced), flags)


_TONE_SLIP = _slips(_TONE_SLIPS, re.IGNORECASE)
_SIZE_SLIP = _slips(_SIZE_SLIPS)
# Marks the OCR makes of specks: letters no Vietnamese word holds, at a word's edge.
# A run of them goes at once; removing one can bare another, so `correct` repeats until none.
_SPECKS = re.compile(r"(?<!\w)[øØˆ¢©®°º]+(?=\w)|(?<=\w)[ˆ¢©®]+(?!\w)|(?<!\w)'(?=[A-ZĐ]{2,}\b)")


def correct(text):
    """A scan's ``text`` with the OCR's certain slips put right."""
    if not text:
        return text
    while (cleaner := _SPECKS.sub("", text)) != text:
        text = cleaner
    text = _SLASHES.sub("/", text)
    text = _DASHES.sub("–", text)
    text = _QUARTER.sub(_quarter, text)
    text = _LOST_SLASH.sub(r"\1/\2", text)
    text = _ELLIPSIS.sub("…", text)
    text = _TONE_SLIP.sub(_tone, text)
    return _SIZE_SLIP.sub(lambda match: _SIZE_SLIPS[" ".join(match[0].split())], text)


def _tone(match):
    right = _TONE_SLIPS.get(" ".join(match[0].lower().split()), match[0])
    return right[0].upper() + right[1:] if match[0][0].isupper() else right


def _quarter(match):
    numeral = match[2]
    roman = numeral.translate(_LOOKS_LIKE_I)
    # "H" is two strokes joined by a stray bar: "II"; "HI" or "IH" is then "III".
    roman = roman.replace("H", "II")
    if roman not in _ROMAN or len(roman) > 4:
        return match[0]
    return f"{match[1]} {roman}"


def nearest_name(name, known, *, closest=0.9):
    """``name`` as the known name it is within OCR slips of, else unchanged: the same words
    but for their marks ("Chuyển đối số"), or as many words nearly alike. Only one close name
    counts: two as close mean the OCR cannot tell which, nor can we."""
    if not name or not known:
        return name
    words = name.split()
    if " ".join(words) in known:
        return name
    folded = fold(name)
    same = {other for other in known if fold(other) == folded}
    if len(same) == 1:
        return same.pop()
    alike = sorted(
        (
            (difflib.SequenceMatcher(None, name.lower(), other.lower()).ratio(), other)
            for other in known
            if len(other.split()) == len(words)
        ),
        reverse=True,
    )
    if not alike or alike[0][0] < closest:
        return name
    if len(alike) > 1 and alike[1][0] >= alike[0][0] - 0.02:
        return name
    return alike[0][1]


_NUMERALS = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number):
    """``number`` (1 to 39) in roman numerals."""
    written = ""
    for value, numeral in _NUMERALS:
        while number >= value:
            written, number = written + numeral, number - value
    return written
