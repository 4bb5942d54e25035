from django import forms
from django.utils.translation import gettext_lazy as _

from partrack.forms import StyledForm

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
    done_on_time = weight_field(_("Tỷ lệ nhiệm vụ hoàn thành đúng hạn"))
    done_late = weight_field(_("Tỷ lệ nhiệm vụ hoàn thành quá hạn"))
    overdue = weight_field(_("Tỷ lệ nhiệm vụ quá hạn (thường là số âm)"))
    reported_on_time = weight_field(_("Tỷ lệ kỳ báo cáo gửi đúng hạn"))
    reported_late = weight_field(_("Tỷ lệ kỳ báo cáo gửi chậm"))

    def clean(self):
        data = super().clean()
        on_time, late = data.get("reported_on_time"), data.get("reported_late")
        # A report never sent scores 0: one sent late must score below one on time and
        # not below nothing, or not sending would pay.
        if on_time is not None and late is not None and not 0 <= late <= on_time:
            self.add_error(
                "reported_late",
                _(
                    "Báo cáo gửi chậm phải được từ 0 điểm đến không quá điểm báo cáo đúng hạn: "
                    "không gửi báo cáo được 0 điểm, không thể cao hơn gửi chậm."
                ),
            )
        return data


class PublicSwitchForm(forms.Form):
    enabled = forms.BooleanField(required=False)
