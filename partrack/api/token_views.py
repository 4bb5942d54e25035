"""A person's own API tokens: create one (its secret shown once), see its last use, revoke it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from partrack.api.models import ApiToken

# The session key that carries a new secret from the POST to the page that shows it, once.
NEW_SECRET = "api_token_secret"


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên gợi nhớ"),
        max_length=100,
        help_text=gettext_lazy('Để nhận ra mã sau này, ví dụ "Hệ thống báo cáo của tỉnh".'),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Phạm vi"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )


def get_token_for(user, token_id):
    """The person's own token; 404 for anyone else's."""
    token = ApiToken.objects.filter(pk=token_id, user_id=user.pk).first()
    if token is None:
        raise Http404("No such token")
    return token


@login_required
def token_list(request):
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, secret = ApiToken.issue(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                now=timezone.now(),
            )
            request.session[NEW_SECRET] = secret
            return redirect("api_tokens")
        status = 400
    else:
        form, status = TokenForm(), 200
    tokens = ApiToken.objects.filter(user_id=request.user.pk).order_by("-created_at", "-pk")
    ctx = {"form": form, "tokens": tokens, "secret": request.session.pop(NEW_SECRET, None)}
    return render(request, "api/tokens.html", ctx, status=status)


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_token_for(request.user, token_id)
    token.revoke(timezone.now())
    messages.success(
        request, _("Đã thu hồi mã “%(name)s”: mã này không dùng được nữa.") % {"name": token.name}
    )
    return redirect("api_tokens")
