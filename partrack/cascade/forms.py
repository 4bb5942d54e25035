from django import forms
from django.utils.translation import gettext_lazy as _

from partrack.cascade.report import KIND_NAMES
from partrack.cascade.services import label_of


class ProvinceTaskChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return label_of(obj)


class LinkForm(forms.Form):
    province_task = ProvinceTaskChoice(
        queryset=None,
        required=False,
        empty_label=_("— Không gắn —"),
        label=_("Nhiệm vụ của Kế hoạch CCHC của tỉnh mà nhiệm vụ này thực hiện"),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province_task"].queryset = choices


class ProvinceReportForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(
        label=_("Kỳ báo cáo"), choices=[(k, v[:1].upper() + v[1:]) for k, v in KIND_NAMES.items()]
    )
