"""What the dashboards keep: an agency's ranking weights, and a plan's public page switch."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partrack.org.models import Agency
from partrack.plans.models import Plan


class RankingWeights(models.Model):
    """How many points each rate is worth when an agency ranks its units (ranking.py).

    Each weight multiplies a share (0 to 1), so that big and small units are measured alike.
    The defaults make 100 the best score: 60 for the tasks (all on time), 40 for the reports
    (all on time); a task done late earns half, an overdue one takes half away, a report sent
    late earns half, and one never sent earns nothing.
    """

    DEFAULTS = {
        "done_on_time": 60,
        "done_late": 30,
        "overdue": -30,
        "reported_on_time": 40,
        "reported_late": 20,
    }

    agency = models.OneToOneField(
        Agency, models.CASCADE, related_name="ranking_weights", verbose_name=_("cơ quan")
    )
    done_on_time = models.IntegerField(
        _("tỷ lệ nhiệm vụ hoàn thành đúng hạn"), default=DEFAULTS["done_on_time"]
    )
    done_late = models.IntegerField(
        _("tỷ lệ nhiệm vụ hoàn thành quá hạn"), default=DEFAULTS["done_late"]
    )
    overdue = models.IntegerField(_("tỷ lệ nhiệm vụ quá hạn"), default=DEFAULTS["overdue"])
    reported_on_time = models.IntegerField(
        _("tỷ lệ kỳ báo cáo gửi đúng hạn"), default=DEFAULTS["reported_on_time"]
    )
    reported_late = models.IntegerField(
        _("tỷ lệ kỳ báo cáo gửi chậm"), default=DEFAULTS["reported_late"]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người sửa"),
    )
    updated_at = models.DateTimeField(_("thời điểm sửa"), null=True, blank=True)

    class Meta:
        verbose_name = _("trọng số xếp hạng")
        verbose_name_plural = _("trọng số xếp hạng")

    def __str__(self):
        return f"{_('Trọng số xếp hạng')} — {self.agency}"

    @classmethod
    def for_agency(cls, agency):
        """The agency's weights; the defaults (unsaved) until the coordinator sets them."""
        return cls.objects.filter(agency=agency).select_related("updated_by").first() or cls(
            agency=agency
        )

    @property
    def is_default(self):
        return all(getattr(self, name) == value for name, value in self.DEFAULTS.items())


def new_public_token():
    return secrets.token_urlsafe(16)


class PublicPlan(models.Model):
    """A plan's page for anyone with the link: off until the coordinator turns it on."""

    plan = models.OneToOneField(
        Plan, models.CASCADE, related_name="public_page", verbose_name=_("kế hoạch")
    )
    enabled = models.BooleanField(_("đang công khai"), default=False)
    # The secret part of the page's address; it stays the same when the page is turned off and on.
    token = models.CharField(max_length=64, unique=True, default=new_public_token)
    enabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người bật công khai"),
    )
    enabled_at = models.DateTimeField(_("thời điểm bật công khai"), null=True, blank=True)

    class Meta:
        verbose_name = _("trang công khai")
        verbose_name_plural = _("trang công khai")

    def __str__(self):
        return f"{self.plan} ({_('công khai') if self.enabled else _('không công khai')})"

    def get_absolute_url(self):
        return reverse("public_plan", args=[self.token])
