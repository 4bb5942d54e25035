"""A person's own account: the pages Django's auth views do not word for us.

Password change and reset are Django's views (wired in partrack/urls.py, templates under
templates/registration/); this module holds what they need around them: the page shown when
django-axes locks a login, the page for a refused CSRF token, and the reset that also unlocks.
"""

from axes.utils import reset as reset_login_attempts
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): a Vietnamese page, status 429."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: say in Vietnamese why a form was refused and what to do, status 403."""
    # Back to the form the person sent from (its page gives a fresh token), if it is ours.
    referer = request.headers.get("Referer", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    retry_url = referer if referer and same_site else reverse("home")
    return render(request, "403_csrf.html", {"retry_url": retry_url}, status=403)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset page; a person who proved they own the e-mail address is unlocked too."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_login_attempts(username=form.user.get_username())
        return response
