import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partrack.documents import errors
from partrack.documents.models import date_row
from partrack.documents.structure import GROUP, HEADER, JOIN, TASK, DraftData
from partrack.forms import StyledForm, VietnameseDateField
from partrack.vietnamese import fold

ACCEPTED_TYPES = ".docx,.pdf,.xlsx,.doc,.odt"
# The row fields a person edits on the review page: the form's field (named as the key in
# expected.json's schema) and the DraftRow attribute it edits.
ROW_FIELDS = {
    "no": "number",
    "content": "content",
    "product": "deliverable",
    "lead": "lead",
    "coordinators": "coordinators",
    "deadline_text": "deadline_text",
    "note": "note",
    "kind": "kind",
}
# The review shows a page of rows at a time, so that what a browser posts stays under Django's
# field limit (DATA_UPLOAD_MAX_NUMBER_FIELDS) however long the plan: a row posts its fields
# and its "drop" box; the heading, the formset's counts, the token and a button post the rest.
MOST_ROWS_PER_PAGE = 100
FIELDS_PER_ROW = len(ROW_FIELDS) + 1
FIELDS_BESIDE_ROWS = 24


def review_page_size():
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if limit is None:
        return MOST_ROWS_PER_PAGE
    return max(1, min(MOST_ROWS_PER_PAGE, (limit - FIELDS_BESIDE_ROWS) // FIELDS_PER_ROW))


class UploadForm(StyledForm):
    document = forms.FileField(
        label=_("Tệp kế hoạch (DOCX, PDF, XLSX; cả DOC, ODT)"),
        # An empty file reaches the reader, which says so in its own words.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_TYPES}),
        error_messages={"required": _("Hãy chọn tệp kế hoạch để tải lên.")},
    )

    def __init__(self, *args, max_bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > self.max_bytes:
            raise forms.ValidationError(errors.too_large(self.max_bytes))
        return document


class TextField(forms.CharField):
    """Text as a browser's textarea sends it, with its CRLF line breaks made plain."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


class NamesField(forms.CharField):
    """Unit names, one per line, as a list."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


ROW_KINDS = [
    (TASK, _("Nhiệm vụ")),
    (GROUP, _("Dòng tiêu đề nhóm")),
    (HEADER, _("Dòng lặp tiêu đề (không phải nhiệm vụ)")),
    (JOIN, _("Nối vào nhiệm vụ ở trên")),
]


class RowForm(StyledForm):
    # What the row is: the reader's decision, which the office may change.
    kind = forms.ChoiceField(label=_("Dòng này là"), choices=ROW_KINDS, required=False)
    no = forms.IntegerField(label=_("Số TT"), required=False, min_value=0, max_value=9999)
    content = TextField(
        label=_("Nội dung, nhiệm vụ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        error_messages={"required": _("Hãy ghi nội dung nhiệm vụ, hoặc bỏ dòng này.")},
    )
    product = TextField(
        label=_("Sản phẩm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=10_000,
    )
    lead = NamesField(label=_("Cơ quan chủ trì"), required=False)
    coordinators = NamesField(label=_("Cơ quan phối hợp"), required=False)
    deadline_text = forms.CharField(label=_("Thời gian hoàn thành"), required=False, max_length=200)
    note = TextField(
        label=_("Ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Up to a hundred rows on one page: the small controls keep each row compact (a text
        # box grows to its words where the browser can: documents/import.css).
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-control-sm"
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm row-kind"
        for name in ("lead", "coordinators"):
            self.fields[name].widget.attrs["placeholder"] = _("Mỗi dòng một cơ quan")


RowFormSet = forms.formset_factory(RowForm, extra=0, can_delete=True)


class HeadForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Where the posted rows start among the draft's rows (the page shown).
    first_row = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("Hãy ghi năm của kế hoạch.")},
    )
    symbol = forms.CharField(label=_("Số, ký hiệu"), required=False, max_length=50)
    issued_on = VietnameseDateField(label=_("Ngày ban hành"), required=False)

    second_plan = forms.BooleanField(
        label=_("Vẫn tạo kế hoạch thứ hai cho năm này"), required=False
    )
    second_plan_reason = forms.CharField(
        label=_("Lý do cần kế hoạch thứ hai"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, revision, **kwargs):
        super().__init__(*args, **kwargs)
        if revision:
            # A revision keeps the tracked plan's heading; its deadlines are read in its year.
            for name in ("title", "year", "symbol", "issued_on", "second_plan"):
                del self.fields[name]
            del self.fields["second_plan_reason"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("second_plan") and not cleaned.get("second_plan_reason", "").strip():
            self.add_error(
                "second_plan_reason", _("Hãy ghi lý do cần thêm một kế hoạch cho cùng năm.")
            )
        return cleaned


class ReviewForm:
    """The review page's forms: the plan's heading, and one form per row in the draft's order."""

    def __init__(self, draft, data=None, page=1):
        self.draft = draft
        self.rows = draft.contents().rows
        self.page_size = review_page_size()
        self.page_count = max(1, -(-len(self.rows) // self.page_size))
        self.page = min(max(1, page), self.page_count)
        self.first = (self.page - 1) * self.page_size
        self.page_rows = self.rows[self.first : self.first + self.page_size]
        self.data = data
        head = draft.contents().head
        self.head = HeadForm(
            data,
            prefix="plan",
            revision=bool(draft.target_plan_id),
            initial={
                "version": draft.version,
                "first_row": self.first,
                "title": head.title,
                "year": head.year,
                "symbol": head.symbol,
                "issued_on": head.issued_on,
            },
        )
        self.formset = RowFormSet(
            data,
            prefix="t",
            initial=[
                {name: getattr(row, attribute) for name, attribute in ROW_FIELDS.items()}
                for row in self.page_rows
            ],
        )

    @property
    def is_bound(self):
        return self.head.is_bound

    def matches_draft(self):
        """Whether the posted rows are this page of the draft (not older than a dropped row)."""
        try:
            first = int(self.data.get("plan-first_row", ""))
        except ValueError:
            return False
        return first == self.first and self.formset.total_form_count() == len(self.page_rows)

    @property
    def last(self):
        """The number (from 1) of the page's last row."""
        return self.first + len(self.page_rows)

    def page_of(self, index):
        """(page number, form prefix on that page) of the draft's row at `index`."""
        return index // self.page_size + 1, f"t-{index % self.page_size}"

    @property
    def second_plan_reason(self):
        if not self.head.cleaned_data.get("second_plan"):
            return ""
        return self.head.cleaned_data.get("second_plan_reason", "")

    def is_valid(self):
        head_valid = self.head.is_valid()
        return self.formset.is_valid() and head_valid

    @property
    def version(self):
        return self.head.cleaned_data["version"]

    def split_index(self, value):
        """The draft's row (after this page's dropped rows are left out) that the "Tách dòng"
        button ``t-<n>`` of this page names; None for a row dropped or not on the page."""
        match = re.fullmatch(r"t-(\d+)", value or "")
        if not match or int(match[1]) >= len(self.formset.forms):
            return None
        position = int(match[1])
        deleted = {id(form) for form in self.formset.deleted_forms}
        if id(self.formset.forms[position]) in deleted:
            return None
        before = sum(1 for form in self.formset.forms[:position] if id(form) in deleted)
        return self.first + position - before

    @property
    def dropped(self):
        return len(self.formset.deleted_forms)

    def edited_data(self):
        """The draft's data (a DraftData) with the person's edits; rows to drop are left out.

        An edited deadline is dated again from its words (the stale date is dropped), and an
        edited row loses the reader's warnings: a person has looked at it.
        """
        data = DraftData.from_dict(self.draft.data)  # a copy to edit
        head = self.head.cleaned_data
        year = self.draft.year
        if not self.draft.target_plan_id:
            year_changed = head["year"] != data.head.year
            data.head.title, data.head.year = head["title"], head["year"]
            data.head.symbol, data.head.issued_on = head["symbol"], head["issued_on"]
            year = head["year"]
        else:
            year_changed = False
        dropped = {id(form) for form in self.formset.deleted_forms}
        forms = self.formset.forms
        index = -1
        for section in data.sections:
            kept = []
            for row in section.tasks:
                index += 1
                if not self.first <= index < self.first + len(forms):
                    # A row of another page: its edits were saved when that page was left.
                    if year_changed:
                        date_row(row, year)
                    kept.append(row)
                    continue
                form = forms[index - self.first]
                if id(form) in dropped:
                    continue
                edited = {
                    attribute: form.cleaned_data[name] for name, attribute in ROW_FIELDS.items()
                }
                for name in ("deliverable", "deadline_text", "note"):
                    edited[name] = edited[name] or ""
                edited["kind"] = edited["kind"] or row.kind
                if any(getattr(row, name) != value for name, value in edited.items()):
                    row.warnings = []
                redate = year_changed or edited["deadline_text"] != row.deadline_text
                for name, value in edited.items():
                    setattr(row, name, value)
                if redate:
                    date_row(row, year)
                kept.append(row)
            section.tasks = kept
        return data


# What a column may hold, for the office mapping a table the reader could not tell.
COLUMN_FIELDS = [
    ("", _("(chưa chọn)")),
    ("content", _("Nội dung nhiệm vụ")),
    ("number", _("Số thứ tự")),
    ("lead", _("Cơ quan chủ trì")),
    ("coordinators", _("Cơ quan phối hợp")),
    ("deadline", _("Thời hạn hoàn thành")),
    ("deliverable", _("Sản phẩm")),
    ("note", _("Ghi chú")),
    ("extra", _("Giữ làm cột khác")),
    ("ignore", _("Bỏ qua cột này")),
]


class ColumnsForm(forms.Form):
    """The table to read and what each of its columns holds (``c<number>-<column>`` fields)."""

    table_number = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, tables, data=None):
        super().__init__(data)
        self.tables = tables
        for table in tables:
            for column, header in enumerate(table["headers"]):
                if header:
                    self.fields[f"c{table['number']}-{column}"] = forms.ChoiceField(
                        label=header,
                        choices=COLUMN_FIELDS,
                        required=False,
                        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                    )

    def tables_with_fields(self):
        """[(table, [(header, bound field)])] for the page."""
        return [
            (
                table,
                [
                    (header, self[f"c{table['number']}-{column}"])
                    for column, header in enumerate(table["headers"])
                    if header
                ],
            )
            for table in self.tables
        ]

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("table_number")
        self.table = next((t for t in self.tables if t["number"] == number), None)
        if self.table is None:
            raise forms.ValidationError(_("Hãy chọn một bảng trong danh sách."))
        chosen = {
            fold(header): cleaned.get(f"c{number}-{column}")
            for column, header in enumerate(self.table["headers"])
            if header and cleaned.get(f"c{number}-{column}")
        }
        if "content" not in chosen.values():
            raise forms.ValidationError(_("Hãy chọn cột nào là nội dung nhiệm vụ."))
        single = [name for name in chosen.values() if name not in ("extra", "ignore")]
        if len(single) != len(set(single)):
            raise forms.ValidationError(
                _("Mỗi trường chỉ chọn cho một cột (trừ “Giữ làm cột khác” và “Bỏ qua”).")
            )
        self.mapping = chosen
        return cleaned
