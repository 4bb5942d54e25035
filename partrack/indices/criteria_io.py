"""Reading and writing criteria sets and grading regimes in the layout of the reference CSVs.

Columns: code, parent_code, level, title, max_points, evidence_required, scoring_rule (and an
optional `kind`); ratings: rating_code, rating, points_lower_bound, points_upper_bound, conditions.
Every problem is reported with the cell it is in ("Ô E7"), the way the person will look for it
in their spreadsheet, and nothing is saved until the whole file is right.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from partrack.indices.models import Criterion, roman_area
from partrack.indices.spreadsheet_cells import safe_cell
from partrack.spreadsheets import xlsx_cell
from partrack.vietnamese import fold

COLUMNS = [
    "code",
    "parent_code",
    "level",
    "title",
    "max_points",
    "evidence_required",
    "scoring_rule",
]
OPTIONAL_COLUMNS = ["kind", "computed"]
TOTAL_CODE = "TOTAL"
RATING_COLUMNS = ["rating_code", "rating", "points_lower_bound", "points_upper_bound"]


class SetFileError(Exception):
    """The file cannot be read as a table at all (wrong format, empty, no header)."""


@dataclass
class Row:
    number: int  # the row number a spreadsheet shows (the header is row 1)
    values: dict
    letters: dict  # column name → letter

    def cell(self, name):
        return f"{self.letters[name]}{self.number}"

    def get(self, name):
        return (self.values.get(name) or "").strip()


@dataclass
class ParsedCriterion:
    code: str
    parent_code: str
    level: int
    title: str
    max_points: Decimal
    evidence_required: str
    scoring_rule: str
    kind: str
    rule: str
    options: list
    area_numeral: str
    computed: str = ""
    row: Row | None = None


@dataclass
class ParsedSet:
    criteria: list = field(default_factory=list)
    total: Decimal | None = None
    errors: list = field(default_factory=list)


def read_table(upload, name=""):
    """[Row] from a CSV (UTF-8, with or without BOM) or an XLSX's first sheet."""
    data = upload.read() if hasattr(upload, "read") else upload
    name = (name or getattr(upload, "name", "")).lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise SetFileError(_("Không đọc được tệp Excel: %(e)s") % {"e": error}) from error
        sheet = workbook.worksheets[0]
        grid = [
            ["" if v is None else _plain(v) for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise SetFileError(_("Tệp CSV phải được lưu với mã UTF-8.")) from error
        grid = list(csv.reader(io.StringIO(text)))
    if not any(str(v).strip() for row in grid for v in row):
        raise SetFileError(_("Tệp không có dữ liệu."))
    header = [str(v).strip() for v in grid[0]]
    # The conditions column of a ratings file names its article: match on the prefix.
    names = [re.split(r"[\s(]", h, maxsplit=1)[0] if h else "" for h in header]
    letters = {n: get_column_letter(i) for i, n in enumerate(names, start=1) if n}
    rows = []
    for number, values in enumerate(grid[1:], start=2):
        if not any(str(v).strip() for v in values):
            continue
        row_values = {n: str(v) for n, v in zip(names, values, strict=False) if n}
        rows.append(Row(number, row_values, letters))
    return names, letters, rows


def _plain(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_number(text):
    """Decimal from "2,5", "2.5", "-3" or "1,25"; None when not a number."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def fmt(value):
    """A score as a person writes it: 10, 2,5, 1,25 (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def csv_number(value):
    """Numbers in the CSV files are written with a dot, as in the reference files."""
    return f"{Decimal(value).normalize():f}"


OPTION = re.compile(r":\s*(-?\d+(?:[.,]\d+)?)\s*(?:\[.*\])?\s*$")


def infer_options(rule):
    """[[label, points]] when the rule lists levels ("…: 2 | …: 0"), else []."""
    options = []
    for part in rule.split("|"):
        match = OPTION.search(part.strip())
        if match:
            label = part.strip()[: match.start()].strip()
            options.append([label, float(parse_number(match.group(1)))])
    return options if len(options) >= 2 else []


def infer_kind(title, rule, max_points):
    folded = fold(f"{title} {rule}")
    if max_points is not None and max_points < 0 or fold(title).startswith("diem tru"):
        return Criterion.Kind.DEDUCTION
    if fold(title).startswith("diem thuong"):
        return Criterion.Kind.BONUS
    if "dieu tra xa hoi hoc" in folded or "khao sat" in folded:
        return Criterion.Kind.SURVEY
    return Criterion.Kind.NORMAL


def infer_rule(rule, options):
    if options:
        return Criterion.Rule.OPTIONS
    folded = fold(rule)
    if "x 100%" in rule or "ty le" in folded and " x " in f" {folded} ":
        return Criterion.Rule.RATE
    return Criterion.Rule.FREE


def parse_set(names, letters, rows):
    """Check every row and the sums; a ParsedSet with its errors (cell first) or its criteria."""
    result = ParsedSet()
    errors = result.errors
    missing = [c for c in COLUMNS if c not in letters]
    if missing:
        errors.append(
            _("Dòng 1 (tiêu đề): thiếu cột %(cols)s. Cần đủ các cột: %(all)s.")
            % {"cols": ", ".join(missing), "all": ", ".join(COLUMNS)}
        )
        return result
    seen = {}
    for row in rows:
        code = row.get("code")
        if not code:
            errors.append(_("Ô %(cell)s: thiếu mã tiêu chí.") % {"cell": row.cell("code")})
            continue
        if code in seen:
            errors.append(
                _('Ô %(cell)s: mã "%(code)s" trùng với ô %(first)s; mỗi mã chỉ được dùng một lần.')
                % {"cell": row.cell("code"), "code": code, "first": seen[code].row.cell("code")}
            )
            continue
        level = parse_number(row.get("level"))
        if level is None or level != int(level) or level < 0:
            errors.append(
                _('Ô %(cell)s: cấp "%(v)s" phải là số nguyên (0 cho dòng tổng, 1 cho lĩnh vực).')
                % {"cell": row.cell("level"), "v": row.get("level")}
            )
            continue
        points = parse_number(row.get("max_points"))
        if points is None:
            errors.append(
                _('Ô %(cell)s: điểm tối đa "%(v)s" không phải là số.')
                % {"cell": row.cell("max_points"), "v": row.get("max_points")}
            )
            continue
        if code.upper() == TOTAL_CODE or int(level) == 0:
            result.total = points
            seen[code] = ParsedCriterion(code, "", 0, "", points, "", "", "", "", [], "", row=row)
            continue
        if not row.get("title"):
            errors.append(_("Ô %(cell)s: thiếu tên tiêu chí.") % {"cell": row.cell("title")})
        rule_text = row.get("scoring_rule")
        title = row.get("title")
        kind = row.get("kind") if "kind" in letters else ""
        if kind and kind not in Criterion.Kind.values:
            errors.append(
                _('Ô %(cell)s: loại "%(v)s" không hợp lệ (normal, bonus, deduction, survey).')
                % {"cell": row.cell("kind"), "v": kind}
            )
            kind = ""
        computed = row.get("computed") if "computed" in letters else ""
        if computed and computed not in Criterion.Computed.values:
            errors.append(
                _('Ô %(cell)s: "%(v)s" không phải số liệu PARtrack tính được (%(allowed)s).')
                % {
                    "cell": row.cell("computed"),
                    "v": computed,
                    "allowed": ", ".join(v for v in Criterion.Computed.values if v),
                }
            )
            computed = ""
        options = infer_options(rule_text)
        parsed = ParsedCriterion(
            code=code,
            parent_code=row.get("parent_code"),
            level=int(level),
            title=title,
            max_points=points,
            evidence_required=row.get("evidence_required"),
            scoring_rule=rule_text,
            kind=kind or infer_kind(title, rule_text, points),
            rule=infer_rule(rule_text, options),
            options=options,
            area_numeral=roman_area(code),
            computed=computed,
            row=row,
        )
        seen[code] = parsed
        result.criteria.append(parsed)

    by_code = {c.code: c for c in result.criteria}
    for criterion in result.criteria:
        row = criterion.row
        if criterion.parent_code:
            parent = by_code.get(criterion.parent_code)
            if parent is None:
                errors.append(
                    _('Ô %(cell)s: không có tiêu chí mã "%(code)s" để làm tiêu chí cha.')
                    % {"cell": row.cell("parent_code"), "code": criterion.parent_code}
                )
                continue
            if criterion.level != parent.level + 1:
                errors.append(
                    _("Ô %(cell)s: cấp %(level)s nhưng tiêu chí cha %(parent)s ở cấp %(p)s.")
                    % {
                        "cell": row.cell("level"),
                        "level": criterion.level,
                        "parent": parent.code,
                        "p": parent.level,
                    }
                )
            if parent.kind != Criterion.Kind.NORMAL and not row.get("kind"):
                criterion.kind = parent.kind
            if not criterion.area_numeral:
                criterion.area_numeral = parent.area_numeral
        elif criterion.level != 1:
            errors.append(
                _("Ô %(cell)s: tiêu chí cấp %(level)s phải có mã tiêu chí cha.")
                % {"cell": row.cell("parent_code"), "level": criterion.level}
            )
        if criterion.max_points < 0 and criterion.kind != Criterion.Kind.DEDUCTION:
            errors.append(
                _("Ô %(cell)s: điểm âm chỉ dùng cho điểm trừ.") % {"cell": row.cell("max_points")}
            )
    if errors:
        return result

    # The points add up: each parent is the sum of its children, the scale the sum of areas.
    children = {}
    for criterion in result.criteria:
        children.setdefault(criterion.parent_code, []).append(criterion)
    for parent in result.criteria:
        kids = [c for c in children.get(parent.code, []) if not _is_extra(c) or _is_extra(parent)]
        if not kids:
            continue
        total = sum((c.max_points for c in kids), Decimal(0))
        if total != parent.max_points:
            cells = ", ".join(c.row.cell("max_points") for c in kids)
            errors.append(
                _(
                    "Ô %(cell)s: tiêu chí %(code)s có %(max)s điểm nhưng các tiêu chí con "
                    "cộng lại %(sum)s điểm (%(cells)s)."
                )
                % {
                    "cell": parent.row.cell("max_points"),
                    "code": parent.code,
                    "max": fmt(parent.max_points),
                    "sum": fmt(total),
                    "cells": cells,
                }
            )
    if result.total is not None:
        areas = [c for c in children.get("", []) if not _is_extra(c)]
        total = sum((c.max_points for c in areas), Decimal(0))
        if total != result.total:
            total_row = seen[next(code for code, c in seen.items() if c.level == 0)].row
            errors.append(
                _(
                    "Ô %(cell)s: tổng điểm chuẩn %(max)s nhưng các lĩnh vực cộng lại %(sum)s "
                    "điểm (%(cells)s); điểm thưởng, điểm trừ không tính vào tổng."
                )
                % {
                    "cell": total_row.cell("max_points"),
                    "max": fmt(result.total),
                    "sum": fmt(total),
                    "cells": ", ".join(c.row.cell("max_points") for c in areas),
                }
            )
    return result


def _is_extra(criterion):
    return criterion.kind in (Criterion.Kind.BONUS, Criterion.Kind.DEDUCTION)


@dataclass
class ParsedGrade:
    order: int
    code: str
    label: str
    lower: Decimal | None
    lower_inclusive: bool
    upper: Decimal | None
    upper_inclusive: bool
    conditions: str
    requires_no_zero: bool
    is_rule_only: bool


BOUND = re.compile(r"^\s*(>=|>|<=|<|≥|≤)?\s*(-?\d+(?:[.,]\d+)?)\s*$")


def parse_bound(text, *, upper):
    """(value, inclusive) from ">=95", ">90", "<95", "100" (an upper bound "đến 100")."""
    if not text.strip():
        return None, not upper
    match = BOUND.match(text)
    if not match:
        raise ValueError(text)
    sign, number = match.groups()
    value = parse_number(number)
    inclusive = sign in (">=", "<=", "≥", "≤") or sign is None
    return value, inclusive


NO_ZERO = re.compile(r"khong co tieu chi nao.*\b0 diem")


def parse_ratings(names, letters, rows):
    """(grades, errors) for a ratings CSV/XLSX."""
    errors = []
    missing = [c for c in RATING_COLUMNS if c not in letters]
    if missing:
        return [], [_("Dòng 1 (tiêu đề): thiếu cột %(cols)s.") % {"cols": ", ".join(missing)}]
    conditions_column = next((n for n in names if n.startswith("conditions")), None)
    grades = []
    for order, row in enumerate(rows, start=1):
        try:
            lower, lower_inclusive = parse_bound(row.get("points_lower_bound"), upper=False)
        except ValueError:
            errors.append(
                _('Ô %(cell)s: cận dưới "%(v)s" phải có dạng ">=95", ">90" hoặc để trống.')
                % {"cell": row.cell("points_lower_bound"), "v": row.get("points_lower_bound")}
            )
            continue
        try:
            upper, upper_inclusive = parse_bound(row.get("points_upper_bound"), upper=True)
        except ValueError:
            errors.append(
                _('Ô %(cell)s: cận trên "%(v)s" phải có dạng "<95", "100" hoặc để trống.')
                % {"cell": row.cell("points_upper_bound"), "v": row.get("points_upper_bound")}
            )
            continue
        conditions = row.get(conditions_column) if conditions_column else ""
        grades.append(
            ParsedGrade(
                order=order,
                code=row.get("rating_code"),
                label=row.get("rating"),
                lower=lower,
                lower_inclusive=lower_inclusive,
                upper=upper,
                upper_inclusive=upper_inclusive,
                conditions=conditions,
                requires_no_zero=bool(NO_ZERO.search(fold(conditions))),
                is_rule_only=lower is None and upper is None,
            )
        )
    return grades, errors


def set_rows(criteria_set):
    """The set as rows of the reference layout (plus `kind`), the TOTAL row last."""
    criteria = list(criteria_set.criteria.select_related("parent").order_by("order"))
    rows = [
        [
            c.code,
            c.parent.code if c.parent else "",
            c.level,
            c.title,
            c.max_points.normalize(),
            c.evidence_required,
            c.scoring_rule,
            c.kind,
            c.computed,
        ]
        for c in criteria
    ]
    rows.append(
        [TOTAL_CODE, "", 0, _("Tổng số điểm"), csv_number(criteria_set.scale), "", "", "", ""]
    )
    return rows


def set_csv(criteria_set):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS + OPTIONAL_COLUMNS)
    writer.writerows(
        [csv_number(v) if isinstance(v, Decimal) else safe_cell(v) for v in row]
        for row in set_rows(criteria_set)
    )
    # A BOM so that Excel opens the Vietnamese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def set_xlsx(criteria_set):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("criteria")
    sheet.append([xlsx_cell(sheet, v) for v in COLUMNS + OPTIONAL_COLUMNS])
    for row in set_rows(criteria_set):
        sheet.append([xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
