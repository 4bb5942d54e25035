from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from partrack.org.models import Agency, Role, Unit


class AgencyForm(forms.ModelForm):
    """An agency under the province: a department or a commune (the province is the root)."""

    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "parent_body", "place_name"]

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.kind == Agency.Kind.PROVINCE:
            del self.fields["kind"]  # the root stays the province
        else:
            self.fields["kind"].choices = [
                (Agency.Kind.DEPARTMENT, Agency.Kind.DEPARTMENT.label),
                (Agency.Kind.COMMUNE, Agency.Kind.COMMUNE.label),
            ]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if field.widget.input_type == "select" else "form-control"
            )


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "is_coordinator", "order"]

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.instance.agency = agency
        for name, field in self.fields.items():
            if name == "is_coordinator":
                field.widget.attrs["class"] = "form-check-input"
            else:
                kind = field.widget.input_type == "select"
                field.widget.attrs["class"] = "form-select" if kind else "form-control"

    def clean_name(self):
        name = self.cleaned_data["name"]
        same = Unit.objects.filter(agency=self.agency, name=name).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(_("Cơ quan đã có đơn vị tên này."))
        return name


class MembershipFields(forms.Form):
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Đơn vị"), required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices, initial=Role.MEMBER)
    title = forms.CharField(label=_("Chức vụ"), max_length=100, required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = agency.units.all()
        for field in self.fields.values():
            kind = getattr(field.widget, "input_type", "") == "select"
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            else:
                field.widget.attrs["class"] = "form-select" if kind else "form-control"


class PersonForm(MembershipFields):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"))
    field_order = ["full_name", "username", "email", "unit", "role", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "username", "email"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Tên đăng nhập này đã có người dùng."))
        return username

    def clean_email(self):
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Đã có người dùng với thư điện tử này."))
        return email

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if len(name.split()) < 2:
            raise forms.ValidationError(_('Ghi đủ họ và tên, ví dụ "Trần Văn Minh".'))
        return name


class MembershipForm(MembershipFields):
    is_active = forms.BooleanField(label=_("Còn làm việc (được đăng nhập)"), required=False)
