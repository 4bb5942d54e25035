"""Bearer tokens for the API: the owner's permissions, the token's scope, a rate limit."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from partrack.api.errors import ApiError
from partrack.api.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.authenticate(token)
        if found is None:
            return None
        now = timezone.now()
        if not found.count_request(now, settings.PARTRACK_API_RATE_LIMIT):
            raise ApiError(
                429,
                "rate_limited",
                _("Quá %(n)s yêu cầu trong một phút với mã truy cập này. Hãy thử lại sau.")
                % {"n": settings.PARTRACK_API_RATE_LIMIT},
                headers={"Retry-After": str(found.retry_after(now))},
            )
        # The access helpers of the pages take a user: the token acts as its owner.
        request.user = found.user
        return found


def require_write(request):
    if not request.auth.can_write:
        raise ApiError(
            403,
            "read_only_token",
            _("Mã truy cập này chỉ được đọc. Hãy tạo mã có quyền đọc và ghi."),
        )
