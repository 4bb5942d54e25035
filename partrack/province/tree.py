"""The province's agency tree as its administrator manages it: agencies, units, people.

Access (one helper per object type): a province administrator (Membership.administers_agency)
reaches the province and every agency under it; an agency of another province does not exist
for them (404); anyone else is refused (403). A Django superuser keeps the admin site.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from partrack.org.models import Agency, Membership, Unit


def get_administered_province(user):
    """The province agency the person administers; 403 for anyone else."""
    membership = Membership.of(user)
    if membership is None or not membership.administers_province():
        raise PermissionDenied
    return membership.agency


def get_agency_to_administer(user, agency_id):
    """(province, agency): the province itself or an agency under it; 404 outside it."""
    province = get_administered_province(user)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not Membership.of(user).administers_agency(agency):
        raise Http404("No such agency")
    return province, agency


def get_unit_to_administer(user, unit_id):
    unit = Unit.objects.select_related("agency").filter(pk=unit_id).first()
    if unit is None:
        raise Http404("No such unit")
    get_agency_to_administer(user, unit.agency_id)
    return unit


def get_membership_to_administer(user, membership_id):
    membership = (
        Membership.objects.select_related("user", "agency", "unit").filter(pk=membership_id).first()
    )
    if membership is None:
        raise Http404("No such membership")
    get_agency_to_administer(user, membership.agency_id)
    return membership


@transaction.atomic
def add_person(*, agency, username, full_name, email, unit, role, title):
    """A new login placed in the agency. No password: the person sets one through "Quên mật
    khẩu" with their e-mail, so the administrator never knows it."""
    *family, given = full_name.split()
    user = get_user_model().objects.create_user(
        username, email=email, first_name=given, last_name=" ".join(family)
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return Membership.objects.create(user=user, agency=agency, unit=unit, role=role, title=title)


@transaction.atomic
def update_membership(*, membership, unit, role, title, is_active):
    membership.unit, membership.role, membership.title = unit, role, title
    membership.save()
    user = membership.user
    if user.is_active != is_active:
        user.is_active = is_active
        user.save(update_fields=["is_active"])
    return membership
