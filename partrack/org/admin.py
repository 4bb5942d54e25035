"""The administrator's pages: agencies, units and people, in Vietnamese.

The admin keeps the app's rules: history (progress, evidence, report versions) is read-only
here, and what the app records in a task's history (its status, dates and units) changes only
through the app's own pages. See plans/admin.py and reporting/admin.py.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partrack.org.models import Agency, Membership, Role, Unit

admin.site.site_header = _("PARtrack — Quản trị")
admin.site.site_title = _("PARtrack — Quản trị")
admin.site.index_title = _("Quản trị hệ thống")
admin.site.empty_value_display = "—"


def labelled(name, label):
    """A model field shown read-only under a Vietnamese label the model does not give it."""

    def show(obj):
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if display else getattr(obj, name)
        return admin.site.empty_value_display if value is None else value

    show.short_description = label
    show.admin_order_field = name
    show.__name__ = name
    return show


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to the administrator, never added, changed or deleted here: it is history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LinesField(forms.CharField):
    """A list of names edited one per line, instead of as JSON."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 60})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Mỗi dòng một mục; dòng trống được bỏ qua."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)


class UnitChoiceField(forms.ModelChoiceField):
    """Units labelled with their agency: "Văn phòng Sở — Sở Tư pháp" (many share a name)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Unit.objects.select_related("agency"))
        kwargs.setdefault("label", _("Đơn vị"))
        super().__init__(**kwargs)

    def label_from_instance(self, unit):
        return f"{unit.name} — {unit.agency.name}"


class LinesAdminMixin:
    """Edit the model's lists of names one per line (see LinesField)."""

    lines_fields = {}  # field name → help text

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.lines_fields:
            return LinesField(
                label=db_field.verbose_name, help_text=self.lines_fields[db_field.name]
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class UnitInline(LinesAdminMixin, admin.TabularInline):
    model = Unit
    extra = 0
    # Deleting a unit here would silently drop it from its tasks and delete its reports.
    can_delete = False
    fields = ["order", "name", "short_name", "kind", "aliases", "is_coordinator"]
    lines_fields = {"aliases": _("Tên khác văn bản dùng cho đơn vị này, mỗi dòng một tên.")}


@admin.register(Agency)
class AgencyAdmin(LinesAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name"]
    inlines = [UnitInline]
    lines_fields = {
        "report_recipients": _('Mỗi dòng một nơi nhận, ví dụ "Sở Nội vụ (b/c)".'),
    }


class MembershipForm(forms.ModelForm):
    unit = UnitChoiceField(required=False)

    class Meta:
        model = Membership
        fields = ["user", "agency", "unit", "role", "title", "email_reminders"]
        help_texts = {"agency": _("Có thể bỏ trống khi đã chọn đơn vị.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].required = False

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        if cleaned.get("agency") is None:
            if unit is None:
                self.add_error("agency", _("Chọn cơ quan hoặc đơn vị của người này."))
            else:
                # The unit says which agency: one choice instead of two that must agree.
                cleaned["agency"] = unit.agency
        return cleaned


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "agency", "unit", "role", "title"]
    list_filter = ["role", "agency"]
    list_select_related = ["user", "agency", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    readonly_fields = ["calendar_token"]


class MembershipInline(admin.StackedInline):
    model = Membership
    form = MembershipForm
    fields = ["agency", "unit", "role", "title", "email_reminders"]
    can_delete = False
    min_num = 0
    max_num = 1


class PersonCreationForm(AdminUserCreationForm):
    """One form for a new person: name, login, e-mail, where they work and their role."""

    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, help_text=_('Ví dụ "Trần Văn Minh".')
    )
    email = forms.EmailField(label=_("Thư điện tử"))
    agency = forms.ModelChoiceField(
        Agency.objects.all(),
        required=False,
        label=_("Cơ quan"),
        help_text=_("Có thể bỏ trống khi đã chọn đơn vị: người đó thuộc cơ quan của đơn vị."),
    )
    unit = UnitChoiceField(required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices, initial=Role.MEMBER)
    title = forms.CharField(label=_("Chức vụ"), max_length=100, required=False)
    # Django's own wording of this choice has no Vietnamese translation yet.
    usable_password = forms.ChoiceField(
        label=_("Mật khẩu"),
        required=False,
        initial="true",
        choices={
            "true": _("Đặt mật khẩu ngay"),
            "false": _("Chưa đặt (chưa đăng nhập được cho đến khi có mật khẩu)"),
        },
        widget=forms.RadioSelect(attrs={"class": "radiolist inline"}),
    )

    class Meta(AdminUserCreationForm.Meta):
        fields = ["username"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(_("Đã có người dùng với thư điện tử này."))
        return email

    def clean(self):
        cleaned = super().clean()
        unit, agency = cleaned.get("unit"), cleaned.get("agency")
        if unit is None and agency is None:
            self.add_error("agency", _("Chọn cơ quan hoặc đơn vị của người này."))
        elif unit is not None:
            membership = Membership(agency=agency or unit.agency, unit=unit)
            try:
                membership.check_unit_in_agency()
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        # Vietnamese order: the given name is the last word ("Minh"), the rest is the family
        # and middle names ("Trần Văn"); the app shows them back in that order.
        *family, given = self.cleaned_data["full_name"].split()
        user.first_name, user.last_name = given, " ".join(family)
        user.email = self.cleaned_data["email"]
        if commit:
            user.save()
            self.save_membership(user)
        return user

    def save_membership(self, user):
        data = self.cleaned_data
        unit = data["unit"]
        return Membership.objects.create(
            user=user,
            agency=unit.agency if unit else data["agency"],
            unit=unit,
            role=data["role"],
            title=data["title"],
        )


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    add_form = PersonCreationForm
    add_fieldsets = (
        (
            _("Người dùng"),
            {"fields": ("full_name", "username", "email")},
        ),
        (
            _("Nơi làm việc"),
            {"fields": ("agency", "unit", "role", "title")},
        ),
        (
            _("Mật khẩu"),
            {"fields": ("usable_password", "password1", "password2")},
        ),
    )
    inlines = [MembershipInline]
    list_display = ["username", "email", "last_name", "first_name", "is_active", "is_staff"]

    def get_inlines(self, request, obj):
        # The add form already asks where the person works.
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            form.save_membership(obj)
