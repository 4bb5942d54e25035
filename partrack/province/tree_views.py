"""Pages of the province administrator: the agencies under the province, their units, people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from partrack.org.models import Agency
from partrack.province import tree
from partrack.province.tree_forms import AgencyForm, MembershipForm, PersonForm, UnitForm


@login_required
def agency_list(request):
    province = tree.get_administered_province(request.user)
    agencies = (
        Agency.objects.filter(parent=province)
        .annotate(unit_count=Count("units", distinct=True))
        .annotate(people_count=Count("memberships", distinct=True))
        .order_by("kind", "name")
    )
    return render(
        request, "province/tree/agencies.html", {"province": province, "agencies": agencies}
    )


@login_required
def agency_add(request):
    province = tree.get_administered_province(request.user)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.parent = province
        agency = form.save()
        messages.success(request, _("Đã thêm %(name)s.") % {"name": agency.name})
        return redirect("tree_agency", agency.pk)
    status = 400 if form.errors else 200
    ctx = {"province": province, "form": form}
    return render(request, "province/tree/agency_add.html", ctx, status=status)


@login_required
def agency_detail(request, agency_id):
    """The agency's record (editable), its units and its people."""
    province, agency = tree.get_agency_to_administer(request.user, agency_id)
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thông tin cơ quan."))
        return redirect("tree_agency", agency.pk)
    ctx = {
        "province": province,
        "agency": agency,
        "form": form,
        "units": agency.units.all(),
        "memberships": agency.memberships.select_related("user", "unit").order_by(
            "user__last_name", "user__first_name", "pk"
        ),
    }
    return render(request, "province/tree/agency.html", ctx, status=400 if form.errors else 200)


def unit_form_page(request, agency, unit=None):
    form = UnitForm(request.POST or None, instance=unit, agency=agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu đơn vị."))
        return redirect("tree_agency", agency.pk)
    ctx = {"agency": agency, "unit": unit, "form": form}
    return render(request, "province/tree/unit.html", ctx, status=400 if form.errors else 200)


@login_required
def unit_add(request, agency_id):
    _province, agency = tree.get_agency_to_administer(request.user, agency_id)
    return unit_form_page(request, agency)


@login_required
def unit_edit(request, unit_id):
    unit = tree.get_unit_to_administer(request.user, unit_id)
    return unit_form_page(request, unit.agency, unit)


@login_required
def person_add(request, agency_id):
    _province, agency = tree.get_agency_to_administer(request.user, agency_id)
    form = PersonForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tree.add_person(
            agency=agency,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            unit=data["unit"],
            role=data["role"],
            title=data["title"],
        )
        messages.success(
            request,
            _("Đã thêm %(login)s. Người này đặt mật khẩu qua “Quên mật khẩu” bằng thư điện tử.")
            % {"login": data["username"]},
        )
        return redirect("tree_agency", agency.pk)
    ctx = {"agency": agency, "form": form}
    return render(request, "province/tree/person.html", ctx, status=400 if form.errors else 200)


@login_required
def membership_edit(request, membership_id):
    membership = tree.get_membership_to_administer(request.user, membership_id)
    agency = membership.agency
    initial = {
        "unit": membership.unit_id,
        "role": membership.role,
        "title": membership.title,
        "is_active": membership.user.is_active,
    }
    form = MembershipForm(request.POST or None, initial=initial, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tree.update_membership(
            membership=membership,
            unit=data["unit"],
            role=data["role"],
            title=data["title"],
            is_active=data["is_active"],
        )
        messages.success(request, _("Đã lưu."))
        return redirect("tree_agency", agency.pk)
    ctx = {"agency": agency, "membership": membership, "form": form}
    return render(request, "province/tree/person.html", ctx, status=400 if form.errors else 200)
