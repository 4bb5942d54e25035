from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvinceConfig(AppConfig):
    name = "partrack.province"
    label = "province"
    verbose_name = _("Nhiệm vụ các cơ quan")
