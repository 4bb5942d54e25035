from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from partrack.forms import StyledForm, VietnameseDateField


def plan_year_bounds(year):
    """The days a period of the plan year may use: from 15/12 of the year before, where the
    581/BNV data windows start, to the end of the plan year."""
    return date(year - 1, 12, 15), date(year, 12, 31)


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

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["report_due_day_on_time"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        first, last = plan_year_bounds(self.year)
        for name in ("starts_on", "ends_on", "unit_due", "agency_due"):
            day = data.get(name)
            if day is not None and not first <= day <= last:
                self.add_error(
                    name,
                    _("Ngày %(day)s nằm ngoài năm kế hoạch: chọn từ %(first)s đến %(last)s.")
                    % {
                        "day": day.strftime("%d/%m/%Y"),
                        "first": first.strftime("%d/%m/%Y"),
                        "last": last.strftime("%d/%m/%Y"),
                    },
                )
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
