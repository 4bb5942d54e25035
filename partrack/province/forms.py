from html import escape as escape_text

from django import forms
from django.db.models import F
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from partrack.forms import VietnameseDateField
from partrack.plans.deadlines import DeadlineKind
from partrack.plans.models import State

# The 7 standard areas (docs/domain.md): plans of every agency number them alike.
AREA_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII"]
ALL_YEARS = "all"
SORTS = {
    "due": (F("due_date").asc(nulls_last=True), "pk"),
    "-due": (F("due_date").desc(nulls_last=True), "-pk"),
}


class AcrossFilterForm(forms.Form):
    """The cross-agency task list's filters; the export reads the same ones.

    Every field is optional and a bad value is dropped rather than fatal (an old link, a
    hand-edited URL), as on the plan page.
    """

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    # Not a ChoiceField: Django normalises every choice it is given and checks a value by
    # walking them; a country's 4,034 agencies cost 20 ms a request that way. The choices live
    # in `agency_choices` (the select's options) and a set checks the value.
    agency = forms.IntegerField(label=_("Cơ quan"), required=False)
    area = forms.ChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        choices=[("", _("Mọi lĩnh vực"))] + [(n, n) for n in AREA_NUMERALS],
    )
    state = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Mọi trạng thái"))] + State.choices
    )
    unit = forms.TypedChoiceField(label=_("Đơn vị chủ trì"), required=False, coerce=int)
    due_from = VietnameseDateField(label=_("Hạn từ ngày"), required=False)
    due_to = VietnameseDateField(label=_("đến ngày"), required=False)
    year = forms.ChoiceField(label=_("Năm"), required=False)
    sort = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=[("due", _("Hạn sớm trước")), ("-due", _("Hạn muộn trước"))],
    )

    def __init__(self, data, *, agencies, units, years, this_year):
        super().__init__(data)
        self.this_year = this_year
        self.agency_choices = [("", _("Mọi cơ quan")), *agencies]
        self.agency_ids = {pk for pk, _name in self.agency_choices[1:]}
        self.fields["unit"].choices = [("", _("Mọi đơn vị chủ trì"))] + [
            (pk, name) for pk, name in units
        ]
        years = sorted(set(years) | {this_year}, reverse=True)
        self.fields["year"].choices = [(str(y), str(y)) for y in years] + [
            (ALL_YEARS, _("Mọi năm"))
        ]
        self.fields["year"].initial = str(this_year)
        for name in ("q", "due_from", "due_to"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        for name in ("agency", "area", "state", "unit", "year", "sort"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.is_valid()

    def clean_agency(self):
        agency = self.cleaned_data["agency"]
        if agency is not None and agency not in self.agency_ids:
            raise forms.ValidationError(_("Không có cơ quan này trong danh sách."))
        return agency

    def value_of(self, name):
        """The cleaned value, or None when absent or bad."""
        return self.cleaned_data.get(name) or None

    @property
    def searched(self):
        return bool(self.value_of("q"))

    @property
    def chosen_agency(self):
        return self.value_of("agency")

    @property
    def chosen_year(self):
        """The year asked for, this year when none is (None: every year)."""
        year = self.value_of("year")
        if year == ALL_YEARS:
            return None
        return int(year) if year else self.this_year

    def options(self, name):
        """A select's <option>s, joined in Python: a country's 4,000 agencies through the
        template language (or the form renderer) cost 70 ms and more, and through format_html
        (one SafeString and conditional_escape per value) still 25 ms; the standard library's
        escape (the same five characters) and one join make it a few."""
        selected = self.shown_year if name == "year" else str(self.data.get(name, ""))
        choices = self.agency_choices if name == "agency" else self.fields[name].choices
        parts = []
        for value, label in choices:
            value = str(value)
            mark = " selected" if value == selected else ""
            parts.append(
                f'<option value="{escape_text(value)}"{mark}>{escape_text(str(label))}</option>'
            )
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above

    @property
    def agency_options(self):
        return self.options("agency")

    @property
    def unit_options(self):
        return self.options("unit")

    @property
    def shown_year(self):
        """The year option to show selected: the one the list is filtered by."""
        return str(self.chosen_year or ALL_YEARS)

    def filter(self, tasks, today):
        """The tasks that match, in the order asked for (due date, soonest first by default)."""
        if self.searched:
            tasks = tasks.search(self.cleaned_data["q"])
        if self.chosen_agency:
            tasks = tasks.filter(plan__agency_id=self.chosen_agency)
        if self.value_of("area"):
            tasks = tasks.filter(area__numeral=self.cleaned_data["area"])
        if self.value_of("state"):
            tasks = tasks.in_state(State(self.cleaned_data["state"]), today)
        if self.value_of("unit"):
            tasks = tasks.filter(lead_units=self.cleaned_data["unit"])
        due_from, due_to = self.value_of("due_from"), self.value_of("due_to")
        if due_from or due_to:
            # A continuous task is never due as a whole (as on the plan page's month filter).
            tasks = tasks.exclude(deadline_kind=DeadlineKind.CONTINUOUS)
        if due_from:
            tasks = tasks.filter(due_date__gte=due_from)
        if due_to:
            tasks = tasks.filter(due_date__lte=due_to)
        if self.chosen_year:
            tasks = tasks.filter(plan__year=self.chosen_year)
        return tasks.order_by(*SORTS[self.value_of("sort") or "due"])
