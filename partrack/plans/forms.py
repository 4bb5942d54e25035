from django import forms
from django.utils.translation import gettext_lazy as _

from partrack.forms import StyledForm, VietnameseDateField
from partrack.plans.deadlines import DeadlineKind
from partrack.plans.models import State, Status
from partrack.plans.services import NewEvidence


class ProgressForm(StyledForm):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=Status.choices)
    percent = forms.IntegerField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=100,
        initial=0,
        error_messages={
            "min_value": _("Tiến độ từ 0 đến 100."),
            "max_value": _("Tiến độ từ 0 đến 100."),
        },
    )
    done_on = VietnameseDateField(label=_("Ngày hoàn thành"), required=False)
    narrative = forms.CharField(
        label=_("Kết quả thực hiện"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    evidence_number = forms.CharField(
        label=_("Số, ký hiệu văn bản"), required=False, max_length=100
    )
    evidence_date = VietnameseDateField(label=_("Ngày văn bản"), required=False)
    evidence_summary = forms.CharField(label=_("Trích yếu"), required=False, max_length=500)
    evidence_file = forms.FileField(
        label=_("Tệp minh chứng (PDF, DOCX, XLSX, ảnh)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
    )
    evidence_url = forms.URLField(
        label=_("hoặc đường dẫn"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Đường dẫn không hợp lệ.")},
    )
    no_evidence_reason = forms.CharField(
        label=_("Lý do không có minh chứng"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status_reason = forms.CharField(
        label=_("Lý do đặt tình trạng khác các nội dung con"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cited = forms.TypedMultipleChoiceField(
        label=_("Trích dẫn đóng góp của đơn vị phối hợp"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, contributions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contributions = {c.pk: c for c in contributions}
        self.fields["cited"].choices = [
            (c.pk, f"{c.unit.name if c.unit else ''}: {c.narrative[:120]}") for c in contributions
        ]
        self.fields["cited"].widget.attrs = {}

    def new_evidence(self):
        data = self.cleaned_data
        return NewEvidence(
            number_symbol=data["evidence_number"].strip(),
            issued_on=data["evidence_date"],
            summary=data["evidence_summary"].strip(),
            file=data["evidence_file"],
            url=data["evidence_url"],
        )

    def cited_contributions(self):
        return [self.contributions[pk] for pk in self.cleaned_data["cited"]]


class AssignForm(StyledForm):
    """The office's adjustment of a task: who leads it, and a due date set by hand."""

    lead_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị chủ trì"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Nhiệm vụ cần ít nhất một đơn vị chủ trì.")},
    )
    due_date = VietnameseDateField(label=_("Hạn hoàn thành"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_units"].queryset = units


class ContributionForm(StyledForm):
    narrative = forms.CharField(
        label=_("Nội dung phối hợp"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
    )


class TaskFilterForm(forms.Form):
    """The plan page's filters; every field optional, bad values ignored rather than fatal."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    unit = forms.TypedChoiceField(label=_("Đơn vị chủ trì"), required=False, coerce=int)
    area = forms.TypedChoiceField(label=_("Lĩnh vực"), required=False, coerce=int)
    state = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả"))] + State.choices
    )
    # "2026-03": the overview's per-month figures link here.
    due_month = forms.DateField(
        label=_("Đến hạn trong tháng"), required=False, input_formats=["%Y-%m"]
    )
    done_month = forms.DateField(
        label=_("Hoàn thành trong tháng"), required=False, input_formats=["%Y-%m"]
    )

    def __init__(self, data, *, units, areas):
        super().__init__(data)
        self.fields["unit"].choices = [("", _("Tất cả"))] + [(u.pk, u.name) for u in units]
        self.fields["area"].choices = [("", _("Tất cả"))] + [(a.pk, str(a)) for a in areas]

    def filter(self, tasks, today):
        # A field with a bad value (an old link, a hand-edited URL) is dropped, not fatal.
        self.is_valid()
        data = self.cleaned_data
        if data.get("q"):
            tasks = tasks.search(data["q"])
        if data.get("unit"):
            tasks = tasks.led_by(data["unit"])
        if data.get("area"):
            tasks = tasks.filter(area_id=data["area"])
        if data.get("state"):
            tasks = tasks.in_state(State(data["state"]), today)
        if data.get("due_month"):
            # A continuous task is never due as a whole, so no month lists it as due.
            month = data["due_month"]
            tasks = tasks.filter(due_date__year=month.year, due_date__month=month.month).exclude(
                deadline_kind=DeadlineKind.CONTINUOUS
            )
        if data.get("done_month"):
            month = data["done_month"]
            tasks = tasks.filter(
                status=Status.DONE, done_on__year=month.year, done_on__month=month.month
            )
        return tasks


class PlanFactsForm(StyledForm):
    """The plan's own facts as issued, which the office sets and corrects by hand."""

    symbol = forms.CharField(
        label=_("Số, ký hiệu"),
        required=False,
        max_length=50,
        help_text=_("Ví dụ “15/KH-SKHCN”; để “/KH-SKHCN” khi chưa có số."),
    )
    issued_on = VietnameseDateField(label=_("Ngày ban hành"), required=False)
    signer_on_behalf = forms.CharField(
        label=_("Thay mặt"), required=False, max_length=100, help_text=_("Ví dụ “KT. GIÁM ĐỐC”.")
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=100)
    signer_name = forms.CharField(label=_("Người ký"), required=False, max_length=100)
    legal_basis = forms.CharField(
        label=_("Căn cứ"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, plan, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.today = plan, today

    def clean_symbol(self):
        symbol = " ".join(self.cleaned_data["symbol"].split())
        if symbol and "/" not in symbol:
            raise forms.ValidationError(
                _("Số, ký hiệu viết theo dạng “15/KH-SKHCN” (hoặc “/KH-SKHCN” khi chưa có số).")
            )
        return symbol

    def clean_issued_on(self):
        issued_on = self.cleaned_data["issued_on"]
        if issued_on is None:
            return None
        if issued_on > self.today:
            raise forms.ValidationError(_("Ngày ban hành không thể sau hôm nay."))
        # A year's plan is issued late in the year before, or during its own year.
        if not self.plan.year - 1 <= issued_on.year <= self.plan.year:
            raise forms.ValidationError(
                _("Kế hoạch năm %(year)s ban hành trong năm %(before)s hoặc %(year)s.")
                % {"year": self.plan.year, "before": self.plan.year - 1}
            )
        return issued_on

    def clean(self):
        cleaned = super().clean()
        for name in ("signer_on_behalf", "signer_title", "signer_name", "legal_basis"):
            if name in cleaned:
                cleaned[name] = cleaned[name].strip()
        return cleaned


class ArchivePlanForm(StyledForm):
    reason = forms.CharField(
        label=_("Lý do lưu trữ"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy ghi lý do lưu trữ kế hoạch.")},
    )


class AddTaskForm(StyledForm):
    """The office adds a task the appendix lacks ("bổ sung")."""

    area = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=None, empty_label=None)
    content = forms.CharField(
        label=_("Nội dung nhiệm vụ"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deliverable = forms.CharField(label=_("Sản phẩm"), required=False, max_length=2000)
    lead_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị chủ trì"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Nhiệm vụ cần ít nhất một đơn vị chủ trì.")},
    )
    deadline_text = forms.CharField(
        label=_("Thời gian hoàn thành"),
        required=False,
        max_length=200,
        help_text=_("Như văn bản viết, ví dụ “Quý III/2026”, “Trước ngày 30/9/2026”."),
    )
    due_date = VietnameseDateField(label=_("hoặc hạn hoàn thành"), required=False)
    reason = forms.CharField(
        label=_("Lý do bổ sung"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nhiệm vụ nêu trong nội dung Kế hoạch, hay nhiệm vụ phát sinh, theo dõi sau."),
        error_messages={"required": _("Hãy ghi lý do bổ sung nhiệm vụ.")},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = plan.areas.all()
        self.fields["lead_units"].queryset = plan.agency.units.all()


class SubItemForm(StyledForm):
    content = forms.CharField(
        label=_("Nội dung con"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SubItemStatusForm(StyledForm):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=Status.choices)
    done_on = VietnameseDateField(label=_("Ngày hoàn thành"), required=False)
    note = forms.CharField(label=_("Kết quả thực hiện"), required=False, max_length=5000)
    evidence_number = forms.CharField(
        label=_("Số, ký hiệu văn bản"), required=False, max_length=100
    )
    evidence_date = VietnameseDateField(label=_("Ngày văn bản"), required=False)
    evidence_summary = forms.CharField(label=_("Trích yếu"), required=False, max_length=500)
    evidence_url = forms.URLField(
        label=_("hoặc đường dẫn"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Đường dẫn không hợp lệ.")},
    )
    no_evidence_reason = forms.CharField(
        label=_("Lý do không có minh chứng"), required=False, max_length=2000
    )

    def new_evidence(self):
        data = self.cleaned_data
        return NewEvidence(
            number_symbol=data["evidence_number"].strip(),
            issued_on=data["evidence_date"],
            summary=data["evidence_summary"].strip(),
            url=data["evidence_url"],
        )


class ExtensionRequestForm(StyledForm):
    to_date = VietnameseDateField(
        label=_("Đề nghị gia hạn đến ngày"),
        error_messages={"required": _("Hãy chọn ngày đề nghị gia hạn đến.")},
    )
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy ghi lý do đề nghị gia hạn.")},
    )


class DecisionForm(StyledForm):
    """The office's answer: accept (grant, confirm) or not (refuse, return), with a comment."""

    decision = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    comment = forms.CharField(
        label=_("Ý kiến của Văn phòng"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DoneConfirmationForm(forms.Form):
    required = forms.BooleanField(
        label=_("Nhiệm vụ đơn vị báo cáo hoàn thành chỉ được tính khi Văn phòng xác nhận"),
        required=False,
    )
