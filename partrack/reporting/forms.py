from django import forms
from django.utils.translation import gettext_lazy as _

from partrack.plans.forms import StyledForm, VietnameseDateField


class PeriodForm(StyledForm):
    starts_on = VietnameseDateField(label=_("Số liệu từ ngày"))
    ends_on = VietnameseDateField(label=_("Số liệu đến ngày"))
    unit_due = VietnameseDateField(label=_("Hạn đơn vị gửi báo cáo"))
    agency_due = VietnameseDateField(
        label=_("Hạn gửi Sở Nội vụ"),
        required=False,
        help_text=_("Theo văn bản Sở Nội vụ yêu cầu trong kỳ; để trống khi chưa có."),
    )
    report_due_day_on_time = forms.BooleanField(
        label=_(
            "Báo cáo đơn vị gửi trong ngày hạn vẫn tính đúng hạn (áp dụng cho mọi kỳ của kế hoạch)"
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_due_day_on_time"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["starts_on"] > data["ends_on"]:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        if (
            data.get("unit_due")
            and data.get("agency_due")
            and data["unit_due"] > data["agency_due"]
        ):
            self.add_error("agency_due", _("Hạn gửi Sở Nội vụ phải sau hạn đơn vị gửi báo cáo."))
        return data


class UnitReportForm(StyledForm):
    """The general parts; each task's text comes as entry-<id> beside them."""

    results = forms.CharField(
        label=_("Kết quả đạt được"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    difficulties = forms.CharField(
        label=_("Khó khăn, vướng mắc và nguyên nhân"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proposals = forms.CharField(
        label=_("Đề xuất, kiến nghị"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def entry_texts(self, entries):
        return {
            entry.pk: self.data.get(f"entry-{entry.pk}", entry.text)[:20_000] for entry in entries
        }


class ReviewForm(StyledForm):
    comment = forms.CharField(
        label=_("Ý kiến của Văn phòng"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
