"""Forms of the requests from Sở Nội vụ; the rules themselves are in province/requests.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partrack.forms import StyledForm, VietnameseDateField
from partrack.province.models import RequestAnswer


class RequestForm(StyledForm):
    topic = forms.CharField(label=_("Chủ đề"), max_length=300)
    outline = forms.CharField(
        label=_("Đề cương, nội dung yêu cầu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    template = forms.FileField(
        label=_("Tệp mẫu (PDF, DOCX, XLSX)"),
        required=False,
        help_text=_("Đề cương hoặc biểu mẫu để các cơ quan điền."),
    )
    due_date = VietnameseDateField(label=_("Hạn trả lời"))
    to_all = forms.BooleanField(label=_("Gửi tất cả cơ quan của tỉnh"), required=False)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Hoặc chọn cơ quan nhận"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, addressable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = addressable
        self.fields["agencies"].error_messages["invalid_choice"] = _(
            "Cơ quan đã chọn không thuộc tỉnh."
        )


class DueDateForm(StyledForm):
    due_date = VietnameseDateField(label=_("Hạn trả lời mới"))
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)


class CancelForm(StyledForm):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=500)


class AnswerForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Trả lời bằng"),
        choices=RequestAnswer.Kind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=RequestAnswer.Kind.DOCUMENT,
    )
    file = forms.FileField(label=_("Văn bản trả lời (PDF, DOCX, XLSX)"), required=False)
    number_symbol = forms.CharField(label=_("Số, ký hiệu"), max_length=100, required=False)
    issued_on = VietnameseDateField(label=_("Ngày văn bản"), required=False)
    report = forms.ModelChoiceField(
        label=_("Báo cáo định kỳ đã ban hành"),
        queryset=None,
        required=False,
        empty_label=_("— Chọn báo cáo —"),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-check-input"
        self.fields["report"].queryset = reports
        self.fields["report"].label_from_instance = lambda report: (
            f"{report.period} — {report.symbol} ({report.issued_on:%d/%m/%Y})"
        )
        self.fields["report"].error_messages["invalid_choice"] = _(
            "Báo cáo đã chọn không phải báo cáo đã ban hành của cơ quan."
        )
