from django import forms
from django.utils.translation import gettext_lazy as _

from partrack.webhooks.models import Event, Webhook


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Địa chỉ nhận"),
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": _("Địa chỉ phải là một URL đầy đủ, ví dụ https://he-thong.gov.vn/nhan."),
            "required": _("Hãy nhập địa chỉ nhận."),
        },
    )
    events = forms.MultipleChoiceField(
        label=_("Sự kiện"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Hãy chọn ít nhất một sự kiện.")},
    )

    class Meta:
        model = Webhook
        fields = ["url", "events"]
