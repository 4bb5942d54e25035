from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from partrack.indices.evidence_sources import SOURCES
from partrack.indices.models import CriteriaSet, NationalIndexValue


def _control(field, css="form-control"):
    field.widget.attrs.setdefault("class", css)
    return field


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                _control(field, "form-check-input")
            elif isinstance(field.widget, forms.Select):
                _control(field, "form-select")
            else:
                _control(field)


class SetImportForm(BootstrapForm):
    name = forms.CharField(label=_("Tên bộ tiêu chí"), max_length=300)
    decision = forms.CharField(label=_("Quyết định ban hành"), max_length=200, required=False)
    year = forms.IntegerField(
        label=_("Năm"), min_value=2000, max_value=2100, initial=lambda: date.today().year
    )
    scale = forms.DecimalField(label=_("Thang điểm"), initial=100, min_value=1, decimal_places=2)
    purpose = forms.ChoiceField(label=_("Mục đích"), choices=CriteriaSet.Purpose.choices)
    rescale_without_survey = forms.BooleanField(
        label=_("Quy đổi về thang điểm khi không có điều tra xã hội học"), required=False
    )
    file = forms.FileField(label=_("Tệp tiêu chí (CSV hoặc XLSX)"))
    ratings = forms.FileField(
        label=_("Tệp xếp loại (CSV hoặc XLSX, cho bộ xếp loại)"), required=False
    )


class StartForm(BootstrapForm):
    criteria_set = forms.ModelChoiceField(
        label=_("Bộ tiêu chí"), queryset=CriteriaSet.objects.none()
    )

    def __init__(self, *args, sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].queryset = sets


class AssignForm(BootstrapForm):
    criterion = forms.TypedChoiceField(label=_("Lĩnh vực, tiêu chí"), coerce=int)
    unit = forms.TypedChoiceField(
        label=_("Giao cho đơn vị"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, criteria, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [
            (c.pk, f"{'— ' * (c.level - 1)}{c.code}. {c.title[:90]}") for c in criteria
        ]
        self.fields["unit"].choices = [("", _("(Văn phòng tự chấm)"))] + [
            (u.pk, u.name) for u in units
        ]


class ScoreForm(BootstrapForm):
    score = forms.DecimalField(
        label=_("Điểm tự chấm"), required=False, decimal_places=2, localize=True
    )
    rate = forms.DecimalField(
        label=_("Tỷ lệ đạt (%)"), required=False, decimal_places=2, localize=True
    )
    explanation = forms.CharField(
        label=_("Giải trình, thuyết minh"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criterion, **kwargs):
        super().__init__(*args, **kwargs)
        if criterion.rule == "options":
            self.fields["score"] = forms.TypedChoiceField(
                label=_("Mức điểm"),
                required=False,
                coerce=Decimal,
                empty_value=None,
                choices=[("", "—")]
                + [(str(p), f"{label} — {p:g} điểm") for label, p in criterion.options],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        if criterion.rule != "rate":
            del self.fields["rate"]


class LinkForm(BootstrapForm):
    source = forms.ChoiceField(choices=[(s.key, s.label) for s in SOURCES])
    object_id = forms.IntegerField()


class UploadForm(BootstrapForm):
    file = forms.FileField(label=_("Tệp (PDF, DOCX, XLSX, ảnh)"))
    label = forms.CharField(label=_("Số, ký hiệu, trích yếu"), max_length=500, required=False)


class LockForm(BootstrapForm):
    accept_missing_evidence = forms.BooleanField(
        label=_("Vẫn khóa dù có tiêu chí chưa có tài liệu kiểm chứng"), required=False
    )


class AppraiseForm(BootstrapForm):
    score = forms.DecimalField(label=_("Điểm thẩm định"), decimal_places=2, localize=True)
    note = forms.CharField(
        label=_("Lý do, nội dung đề nghị giải trình"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SurveyForm(BootstrapForm):
    score = forms.DecimalField(label=_("Điểm điều tra xã hội học"), decimal_places=2, localize=True)


class AnswerForm(BootstrapForm):
    answer = forms.CharField(
        label=_("Giải trình của cơ quan"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NationalValueForm(forms.ModelForm):
    components_text = forms.CharField(
        label=_("Chỉ số thành phần (mỗi dòng: tên = giá trị)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    class Meta:
        model = NationalIndexValue
        fields = ["year", "index", "value", "rank", "source"]
        localized_fields = ["value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_components_text(self):
        components = {}
        for number, line in enumerate(self.cleaned_data["components_text"].splitlines(), 1):
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                raise forms.ValidationError(
                    _("Dòng %(n)s: viết theo dạng “tên = giá trị”.") % {"n": number}
                )
            components[name.strip()] = value.strip()
        return components
