from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partrack.activities.models import Activity, Indicator, Initiative, LegalDocument
from partrack.activities.services import Attachment
from partrack.forms import DATE_INPUT_FORMATS

DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
)
DATE_ERROR = _("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy.")
MAX_VALUE = Decimal("999999999999")


def style(form):
    """Bootstrap's classes on every widget, so templates render `{{ field }}` as it is."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class RecordForm(forms.ModelForm):
    """An activity, initiative or document with its unit, task and evidence."""

    file = forms.FileField(
        label=_("Tệp minh chứng (PDF, DOCX, XLSX, ảnh)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
    )
    url = forms.URLField(
        label=_("hoặc đường dẫn"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Đường dẫn không hợp lệ.")},
    )
    clear_file = forms.BooleanField(label=_("Bỏ tệp đã đính kèm"), required=False)

    def __init__(self, *args, plan, units, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["unit"].queryset = plan.agency.units.filter(pk__in=[u.pk for u in units])
        self.fields["unit"].empty_label = None
        self.fields["task"].queryset = plan.tasks.order_by("area__order", "order")
        self.fields["task"].label_from_instance = lambda t: f"{t.number}. {t.content[:90]}"
        self.fields["task"].required = False
        date = self.fields["date"]
        date.input_formats = DATE_INPUT_FORMATS
        date.widget = DATE_WIDGET
        date.error_messages["invalid"] = DATE_ERROR
        if self.instance.pk:
            self.fields["url"].initial = self.instance.url
        style(self)
        self.fields["clear_file"].widget.attrs["class"] = "form-check-input"

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day and day > self.today:
            raise forms.ValidationError(_("Ngày không thể sau hôm nay."))
        return day

    def attachment(self):
        data = self.cleaned_data
        return Attachment(file=data.get("file"), url=data.get("url", ""), clear=data["clear_file"])


class ActivityForm(RecordForm):
    class Meta:
        model = Activity
        fields = ["date", "form", "topic", "title", "unit", "participants", "task"]


class InitiativeForm(RecordForm):
    class Meta:
        model = Initiative
        fields = [
            "title",
            "authors",
            "unit",
            "decision_number",
            "date",
            "level",
            "applied_where",
            "task",
        ]


class DocumentForm(RecordForm):
    class Meta:
        model = LegalDocument
        fields = ["number_symbol", "date", "kind", "action", "summary", "unit", "task"]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "measure", "target", "direction", "area", "task", "unit", "order"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["unit"].queryset = plan.agency.units.all()
        self.fields["area"].queryset = plan.areas.all()
        self.fields["task"].queryset = plan.tasks.order_by("area__order", "order")
        self.fields["task"].label_from_instance = lambda t: f"{t.number}. {t.content[:90]}"
        style(self)

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        others = self.plan.indicators.filter(code=code).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Kế hoạch đã có chỉ tiêu mã %(code)s.") % {"code": code})
        return code


class FigureForm(forms.Form):
    """One value per indicator the person may enter: field "v<id>" and its note "n<id>"."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for indicator, figure in rows:
            self.fields[f"v{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.code} {indicator.name} ({indicator.measure})",
                required=False,
                min_value=0,
                max_value=MAX_VALUE,
                decimal_places=2,
                initial=None if figure is None else figure.value,
                localize=True,
                error_messages={
                    "invalid": _("Hãy nhập một số."),
                    "min_value": _("Số liệu không được âm."),
                    "max_value": _("Số quá lớn."),
                    "max_decimal_places": _("Tối đa 2 chữ số thập phân."),
                },
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            self.fields[f"n{indicator.pk}"] = forms.CharField(
                label=_("Ghi chú"),
                required=False,
                max_length=500,
                initial="" if figure is None else figure.note,
            )
        style(self)

    def values(self):
        """{indicator: (value, note)} for the values filled in."""
        data = self.cleaned_data
        return {
            indicator: (data[f"v{indicator.pk}"], data[f"n{indicator.pk}"].strip())
            for indicator, _figure in self.rows
            if data.get(f"v{indicator.pk}") is not None
        }

    def pairs(self):
        return [
            (indicator, self[f"v{indicator.pk}"], self[f"n{indicator.pk}"])
            for indicator, _f in self.rows
        ]


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp số liệu đã điền (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )


class ActivityFilterForm(forms.Form):
    ky = forms.ChoiceField(label=_("Kỳ báo cáo"), required=False)
    don_vi = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, periods, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ky"].choices = [("", _("Cả năm"))] + [(str(p.pk), str(p)) for p in periods]
        self.fields["don_vi"].choices = [("", _("Mọi đơn vị"))] + [(u.pk, u.name) for u in units]
        style(self)
