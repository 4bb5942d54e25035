"""Personal API tokens: a secret shown once, kept only as its SHA-256 digest."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

# Every token starts with this, so a leaked one is recognisable (and greppable) as PARtrack's.
TOKEN_PREFIX = "prt_"
# The rate limit counts requests in fixed windows of this length, per token.
RATE_WINDOW = timedelta(minutes=1)


def digest_of(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A person's key to the API: it reaches what its owner may, and writes only if read-write."""

    class Scope(models.TextChoices):
        READ = "read", _("Chỉ đọc")
        WRITE = "write", _("Đọc và ghi")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("người dùng"),
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    # The first characters of the token, shown so that its owner can tell tokens apart.
    prefix = models.CharField(_("mở đầu"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("phạm vi"), max_length=10, choices=Scope, default=Scope.READ)
    created_at = models.DateTimeField(_("tạo lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    # The rate limit's current window and how many requests it has counted.
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name, scope, now):
        """(token, its secret): the secret exists only in this value and in its owner's hands."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            scope=scope,
            prefix=raw[:10],
            digest=digest_of(raw),
            created_at=now,
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw):
        """The live token whose secret is `raw`, with its owner and membership; None otherwise."""
        if not raw or not raw.startswith(TOKEN_PREFIX):
            return None
        return (
            cls.objects.live()
            .select_related("user__membership")
            .filter(digest=digest_of(raw), user__is_active=True)
            .first()
        )

    @property
    def can_write(self):
        return self.scope == self.Scope.WRITE

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def count_request(self, now, limit):
        """Count one request in the current window and note the use; False over the limit.

        One filtered UPDATE: two requests at once cannot both take the last place.
        """
        tokens = ApiToken.objects.filter(pk=self.pk)
        started = self.window_started_at
        window_over = started is None or now - started >= RATE_WINDOW
        if window_over and tokens.filter(window_started_at=started).update(
            window_started_at=now, window_count=1, last_used_at=now
        ):
            return True
        return bool(
            tokens.filter(window_count__lt=limit).update(
                window_count=F("window_count") + 1, last_used_at=now
            )
        )

    def retry_after(self, now):
        """Seconds until the current window ends."""
        if self.window_started_at is None:
            return 1
        left = self.window_started_at + RATE_WINDOW - now
        return max(1, int(left.total_seconds()) + 1)

    def revoke(self, now):
        ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=now)
