from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from partrack.forms import StyledForm, VietnameseDateField
from partrack.inspections.models import InspectionFile, Rating

TEXT = 20_000


class InspectionForm(StyledForm):
    period_text = forms.CharField(label=_("Thời gian kiểm tra"), max_length=100)
    starts_on = VietnameseDateField(label=_("Từ ngày"))
    ends_on = VietnameseDateField(label=_("Đến ngày"))
    contents = forms.CharField(
        label=_("Nội dung kiểm tra (mỗi dòng một nội dung)"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    required_share = forms.IntegerField(
        label=_("Tỷ lệ đơn vị được kiểm tra (%)"),
        min_value=1,
        max_value=100,
        error_messages={
            "min_value": _("Tỷ lệ từ 1 đến 100%%."),
            "max_value": _("Tỷ lệ từ 1 đến 100%%."),
        },
    )
    task = forms.ModelChoiceField(
        label=_("Nhiệm vụ ban hành kế hoạch kiểm tra"), queryset=None, required=False
    )
    self_inspection_due = VietnameseDateField(
        label=_("Hạn gửi báo cáo tự kiểm tra"), required=False
    )
    decision_symbol = forms.CharField(
        label=_("Số, ký hiệu quyết định thành lập đoàn"), max_length=50, required=False
    )
    decision_issued_on = VietnameseDateField(label=_("Ngày quyết định"), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = plan.tasks.order_by("area__order", "order")
        self.fields["task"].label_from_instance = lambda t: f"{t.number}. {t.content[:90]}"

    def clean_contents(self):
        lines = [line.strip() for line in self.cleaned_data["contents"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Kế hoạch kiểm tra cần ít nhất một nội dung."))
        if any(len(line) > 300 for line in lines):
            raise forms.ValidationError(_("Mỗi nội dung tối đa 300 ký tự."))
        return lines


class UnitsForm(StyledForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được kiểm tra"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = inspection.eligible_units()


class TeamForm(StyledForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Thành viên đoàn"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    leader = forms.ModelChoiceField(label=_("Trưởng đoàn"), queryset=None)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            get_user_model()
            .objects.filter(membership__agency_id=inspection.plan.agency_id, is_active=True)
            .select_related("membership__unit")
            .order_by("last_name", "first_name", "username")
        )
        for name in ("members", "leader"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = person_label
        self.fields["members"].error_messages["required"] = _("Hãy chọn thành viên đoàn.")
        self.fields["leader"].error_messages["required"] = _("Hãy chọn Trưởng đoàn.")


def person_label(user):
    name = f"{user.last_name} {user.first_name}".strip() or user.username
    title = user.membership.title if hasattr(user, "membership") else ""
    return f"{name} ({title})" if title else name


class IssueForm(StyledForm):
    symbol = forms.CharField(label=_("Số, ký hiệu"), max_length=50)
    issued_on = VietnameseDateField(label=_("Ngày ban hành"))


class ScheduleForm(StyledForm):
    visit_on = VietnameseDateField(label=_("Ngày kiểm tra"), required=False)
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    assignees = forms.ModelMultipleChoiceField(
        label=_("Thành viên ghi biên bản"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = get_user_model().objects.filter(
            pk__in=inspection.team.values("user_id")
        )
        self.fields["assignees"].label_from_instance = person_label


class ConclusionForm(StyledForm):
    findings = forms.CharField(
        label=_("Kết luận"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    symbol = forms.CharField(label=_("Số, ký hiệu thông báo"), max_length=50, required=False)
    issued_on = VietnameseDateField(label=_("Ngày thông báo"), required=False)


class RecommendationForm(StyledForm):
    finding = forms.CharField(
        label=_("Tồn tại, hạn chế"),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    text = forms.CharField(
        label=_("Kiến nghị"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị thực hiện"), queryset=None)
    due_date = VietnameseDateField(label=_("Hạn khắc phục"))

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = inspection.plan.agency.units.all()


class ReviewForm(StyledForm):
    comment = forms.CharField(
        label=_("Ý kiến của Văn phòng"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FileForm(forms.Form):
    kind = forms.ChoiceField(choices=InspectionFile.Kind.choices)
    unit = forms.IntegerField(required=False)


RATING_CHOICES = [("", _("— Chưa đánh giá —")), *Rating.choices]


def posted_rows(data, count, fields):
    """{position: tuple of the posted fields} from names like "found-3"."""
    return {n: tuple(data.get(f"{name}-{n}", "")[:TEXT] for name in fields) for n in range(count)}
