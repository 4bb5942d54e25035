import copy
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from partrack.documents import errors
from partrack.documents.models import date_row
from partrack.plans.forms import StyledForm, VietnameseDateField

ACCEPTED_TYPES = ".docx,.pdf,.xlsx"
# The row fields a person edits on the review page, by their key in expected.json's schema.
ROW_FIELDS = ("no", "content", "product", "lead", "coordinators", "deadline_text", "note")


class UploadForm(StyledForm):
    document = forms.FileField(
        label=_("Tệp kế hoạch (DOCX, PDF hoặc XLSX)"),
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


class RowForm(StyledForm):
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
        # Thirty-odd rows on one page: the small controls keep each row compact, and a text
        # box grows to its words where the browser can (field-sizing), rather than scroll.
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-control-sm"
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["class"] += " grow-to-content"
        for name in ("lead", "coordinators"):
            self.fields[name].widget.attrs["placeholder"] = _("Mỗi dòng một cơ quan")


RowFormSet = forms.formset_factory(RowForm, extra=0, can_delete=True)


class HeadForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("Hãy ghi năm của kế hoạch.")},
    )
    symbol = forms.CharField(label=_("Số, ký hiệu"), required=False, max_length=50)
    issued_on = VietnameseDateField(label=_("Ngày ban hành"), required=False)

    def __init__(self, *args, revision, **kwargs):
        super().__init__(*args, **kwargs)
        if revision:
            # A revision keeps the tracked plan's heading; its deadlines are read in its year.
            for name in ("title", "year", "symbol", "issued_on"):
                del self.fields[name]


class ReviewForm:
    """The review page's forms: the plan's heading, and one form per row in the draft's order."""

    def __init__(self, draft, data=None):
        self.draft = draft
        self.rows = draft.rows()
        head = draft.data["plan"]
        self.head = HeadForm(
            data,
            prefix="plan",
            revision=bool(draft.target_plan_id),
            initial={
                "version": draft.version,
                "title": head.get("title", ""),
                "year": head.get("year"),
                "symbol": head.get("symbol", ""),
                "issued_on": date.fromisoformat(head["issued_on"])
                if head.get("issued_on")
                else None,
            },
        )
        self.formset = RowFormSet(
            data,
            prefix="t",
            initial=[{name: row.get(name) for name in ROW_FIELDS} for row in self.rows],
        )

    @property
    def is_bound(self):
        return self.head.is_bound

    def matches_draft(self):
        """Whether the posted rows are the draft's rows (not a page older than a dropped row)."""
        return self.formset.total_form_count() == len(self.rows)

    def is_valid(self):
        head_valid = self.head.is_valid()
        return self.formset.is_valid() and head_valid

    @property
    def version(self):
        return self.head.cleaned_data["version"]

    @property
    def dropped(self):
        return len(self.formset.deleted_forms)

    def edited_data(self):
        """The draft's data with the person's edits; rows to drop are left out.

        An edited deadline is dated again from its words (the stale date is dropped), and an
        edited row loses the reader's warnings: a person has looked at it.
        """
        data = copy.deepcopy(self.draft.data)
        head = self.head.cleaned_data
        year = self.draft.year
        if not self.draft.target_plan_id:
            year_changed = head["year"] != data["plan"].get("year")
            data["plan"].update(
                title=head["title"],
                year=head["year"],
                symbol=head["symbol"],
                issued_on=head["issued_on"].isoformat() if head["issued_on"] else None,
            )
            year = head["year"]
        else:
            year_changed = False
        dropped = {id(form) for form in self.formset.deleted_forms}
        forms_in_order = iter(self.formset.forms)
        for section in data["sections"]:
            kept = []
            for row in section["tasks"]:
                form = next(forms_in_order)
                if id(form) in dropped:
                    continue
                edited = {name: form.cleaned_data[name] for name in ROW_FIELDS}
                for name in ("product", "deadline_text", "note"):
                    edited[name] = edited[name] or ""
                if any(row.get(name) != value for name, value in edited.items()):
                    row["warnings"] = []
                redate = year_changed or edited["deadline_text"] != row.get("deadline_text", "")
                row.update(edited)
                if redate:
                    row.pop("due_date", None)
                    row.pop("deadline_kind", None)
                    date_row(row, year)
                kept.append(row)
            section["tasks"] = kept
        return data
