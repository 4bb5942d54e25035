"""Django's password forms with Bootstrap's classes, so the templates render `{{ field }}` as is."""

from django.contrib.auth import forms as auth_forms


class BootstrapFields:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class PasswordChangeForm(BootstrapFields, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(BootstrapFields, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(BootstrapFields, auth_forms.SetPasswordForm):
    pass
