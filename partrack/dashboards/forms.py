from django import forms
from django.utils.translation import gettext_lazy as _

from partrack.plans.forms import StyledForm

WEIGHT_LIMIT = 100


def weight_field(label):
    message = _("Trọng số là số nguyên từ −100 đến 100.")
    return forms.IntegerField(
        label=label,
        min_value=-WEIGHT_LIMIT,
        max_value=WEIGHT_LIMIT,
        error_messages={"min_value": message, "max_value": message, "invalid": message},
    )


class RankingWeightsForm(StyledForm):
    done_on_time = weight_field(_("Mỗi nhiệm vụ hoàn thành đúng hạn"))
    done_late = weight_field(_("Mỗi nhiệm vụ hoàn thành quá hạn"))
    overdue = weight_field(_("Mỗi nhiệm vụ quá hạn (thường là số âm)"))
    reported_on_time = weight_field(_("Báo cáo đúng hạn"))


class PublicSwitchForm(forms.Form):
    enabled = forms.BooleanField(required=False)
