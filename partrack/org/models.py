"""Agencies, their units, and the people who work in them."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partrack.vietnamese import fold_agency_name, fold_body_name


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agencies a person may read: their own and those under it (a province's viewer).

        A superuser (the deployment's administrator) reads every agency.
        """
        if user.is_authenticated and user.is_superuser and user.is_active:
            return self.all()
        membership = Membership.of(user)
        if membership is None:
            return self.none()
        # Two levels (province → department) is the deepest hierarchy we serve.
        return self.filter(
            Q(pk=membership.agency_id)
            | Q(parent_id=membership.agency_id)
            | Q(parent__parent_id=membership.agency_id)
        )


# " tinh phu tho", " thanh pho ha noi" at the end of a folded name.
_PROVINCE_SUFFIX = re.compile(r"\s+(tinh|thanh pho)\s+.+$")


class Agency(models.Model):
    """A body that issues its own reform plan: a Sở, or a province holding many of them."""

    class Kind(models.TextChoices):
        # The province (UBND tỉnh) is the root of its tree; Sở Nội vụ acts for it (docs/domain.md).
        PROVINCE = "province", _("Tỉnh (UBND tỉnh)")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        COMMUNE = "commune", _("Xã, phường")

    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=Kind, default=Kind.DEPARTMENT)
    # Used in document symbols: "12/KH-SKHCN".
    short_name = models.CharField(_("tên viết tắt"), max_length=30, unique=True)
    # The line above the agency's name in a document's header: "UBND TỈNH PHÚ THỌ".
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=200, blank=True)
    place_name = models.CharField(_("địa danh"), max_length=100, blank=True)
    # The signature block and the recipients of the documents PARtrack writes for the agency.
    signer_on_behalf = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    report_recipients = models.JSONField(
        _("nơi nhận báo cáo"),
        default=list,
        blank=True,
        help_text=_('Mỗi dòng một nơi nhận, ví dụ "Sở Nội vụ (b/c)".'),
    )

    # Made by `partrack generate` for demos and load tests; the command refuses to add to a
    # database holding agencies without this mark (real ones) unless told.
    is_generated = models.BooleanField(_("dữ liệu sinh tự động"), default=False, editable=False)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def unit_names(self):
        """The names and aliases of the agency's units, as its documents write them."""
        return [name for unit in self.units.all() for name in (unit.name, *unit.aliases)]

    @property
    def masthead_name(self):
        """ "Sở Khoa học và Công nghệ": the parent body's line above already names the province."""
        if not self.place_name:
            return self.name
        suffix = re.compile(rf"\s+(tỉnh|thành phố)\s+{re.escape(self.place_name)}$", re.IGNORECASE)
        return suffix.sub("", self.name)

    def folded_names(self):
        """The names (fold_agency_name form) the province's documents may use for the agency:
        its name, short name and masthead name, each also without its province ("Sở Khoa học
        và Công nghệ") and without its place ("UBND tỉnh" in its own province)."""
        names = {fold_agency_name(n) for n in (self.name, self.short_name, self.masthead_name)}
        names |= {_PROVINCE_SUFFIX.sub("", name) for name in list(names)}
        place = fold_agency_name(self.place_name)
        if place:
            names |= {name.removesuffix(" " + place) for name in list(names)}
        return names - {""}


# How plans write "every unit of the agency" in the coordinating column (fold_body_name form).
EVERY_UNIT_PHRASES = {
    "cac phong don vi thuoc so",
    "cac phong don vi truc thuoc so",
    "cac phong don vi thuoc truc thuoc so",
    "cac don vi thuoc so",
    "cac don vi truc thuoc so",
    "cac phong don vi",
    "cac phong chuyen mon don vi truc thuoc so",
}


class UnitQuerySet(models.QuerySet):
    def match(self, name):
        """The unit the agency's documents mean by `name`, by its name or an alias, or None.

        Spellings that fold alike match ("P. KH&TC" is "Phòng KH và TC"); a name two units share
        matches neither, and nothing close is taken for equal: a person decides.
        """
        wanted = fold_body_name(name)
        found = [unit for unit in self if wanted in unit.folded_names()]
        return found[0] if len(found) == 1 else None

    def resolve(self, names):
        """(units, unmatched names) for names as a plan writes them; never a guess."""
        units, unmatched = [], []
        for name in names:
            if fold_body_name(name) in EVERY_UNIT_PHRASES:
                units.extend(self)
                continue
            unit = self.match(name)
            if unit is None:
                unmatched.append(name)
            else:
                units.append(unit)
        return list(dict.fromkeys(units)), unmatched


class Unit(models.Model):
    """A phòng, chi cục, trung tâm or bộ phận of an agency."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Văn phòng")
        DIVISION = "division", _("Phòng chuyên môn")
        SUB_DEPARTMENT = "sub_department", _("Chi cục")
        CENTRE = "centre", _("Trung tâm")
        ONE_STOP = "one_stop", _("Bộ phận Một cửa")
        OTHER = "other", _("Khác")

    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="units", verbose_name=_("cơ quan")
    )
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=30, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind, default=Kind.DIVISION)
    # Other names documents use for this unit, e.g. "Phòng Sở hữu trí tuệ &ATBX".
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    is_coordinator = models.BooleanField(
        _("đầu mối CCHC"),
        default=False,
        help_text=_("Đơn vị điều phối kế hoạch và tổng hợp báo cáo (Văn phòng Sở)."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["agency", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency"),
        ]

    def __str__(self):
        return self.name

    def folded_names(self):
        names = [self.name, self.short_name, *self.aliases]
        return {fold_body_name(name) for name in names} - {""}


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Quản trị")
    COORDINATOR = "coordinator", _("Đầu mối (Văn phòng)")
    LEADER = "leader", _("Lãnh đạo")
    MEMBER = "member", _("Thành viên đơn vị")
    VIEWER = "viewer", _("Người xem")


def new_calendar_token():
    return secrets.token_urlsafe(32)


class Membership(models.Model):
    """Where a person works and what they may do there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="membership",
        verbose_name=_("người dùng"),
    )
    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="memberships", verbose_name=_("cơ quan")
    )
    unit = models.ForeignKey(
        Unit,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("đơn vị"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role, default=Role.MEMBER)
    title = models.CharField(_("chức vụ"), max_length=100, blank=True)
    email_reminders = models.BooleanField(_("nhận nhắc việc qua thư điện tử"), default=True)
    # The secret in the person's calendar feed URL; resetting it revokes the old URL.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"

    def save(self, *args, **kwargs):
        # Placing a person in another agency's unit would let them read that agency's tasks.
        # Refused here for every save, and by the database for writes that skip save()
        # (org/migrations/0004_membership_unit_in_agency.py).
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"unit", "agency"} & set(update_fields):
            self.check_unit_in_agency()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.check_unit_in_agency()

    def check_unit_in_agency(self):
        if self.unit_id is None or self.agency_id is None:
            return
        unit = self.unit
        if unit.agency_id != self.agency_id:
            raise ValidationError(
                {
                    "unit": _(
                        "Đơn vị “%(unit)s” thuộc %(unit_agency)s, không thuộc %(agency)s. "
                        "Hãy chọn một đơn vị của %(agency)s."
                    )
                    % {"unit": unit.name, "unit_agency": unit.agency, "agency": self.agency}
                }
            )

    @staticmethod
    def of(user):
        """The person's membership, or None (anonymous, or not placed in an agency yet)."""
        if not user.is_authenticated:
            return None
        try:
            return user.membership
        except Membership.DoesNotExist:
            return None

    @staticmethod
    def coordinates(user, agency_id):
        """Whether the person is the office (coordinator) of that agency."""
        membership = Membership.of(user)
        return (
            membership is not None
            and membership.role == Role.COORDINATOR
            and membership.agency_id == agency_id
        )

    def records_for(self, agency_id, unit_id):
        """Whether the person may write a register entry or a figure of that unit: the office
        any unit of its agency, a unit's member their own unit only."""
        if self.agency_id != agency_id:
            return False
        if self.role == Role.COORDINATOR:
            return True
        return self.role == Role.MEMBER and self.unit_id is not None and self.unit_id == unit_id

    def reads_drafts_of(self, agency_id):
        """Whether the person sees the agency's work not yet reviewed: its own people do; a
        province's viewer reads only what was submitted or reviewed."""
        return self.agency_id == agency_id

    @staticmethod
    def reads_several_agencies(user):
        """Whether the person's role reaches beyond one agency: a superuser, or a membership at
        an agency with agencies under it (a province's Sở Nội vụ). One query at most."""
        if user.is_authenticated and user.is_superuser:
            return True
        membership = Membership.of(user)
        if membership is None:
            return False
        return Agency.objects.filter(parent_id=membership.agency_id).exists()

    def is_above(self, agency):
        """Whether the person works at the agency's province (its parent): Sở Nội vụ's people."""
        return agency.parent_id is not None and self.agency_id == agency.parent_id

    def appraises(self, agency):
        """Whether the person appraises the agency's CCHC index: the province's coordinator or
        leader (Sở Nội vụ's desk and council); a province viewer only reads."""
        return self.is_above(agency) and self.role in (Role.COORDINATOR, Role.LEADER)

    def directs(self, agency_id):
        """Whether the person is one of the agency's leaders (Giám đốc, Phó Giám đốc)."""
        return self.role == Role.LEADER and self.agency_id == agency_id

    def reset_calendar_token(self):
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])

    def oversees(self, agency_id):
        """Whether the person reads all of a visible agency's work, not only their own unit's.

        Everyone but a unit's member does: the office, leaders, viewers, administrators, and
        people of an agency above it. Ask only about an agency the person may see.
        """
        return self.agency_id != agency_id or self.role != Role.MEMBER

    @property
    def is_coordinator(self):
        return self.role == Role.COORDINATOR

    @property
    def is_member(self):
        return self.role == Role.MEMBER

    @property
    def manages_integrations(self):
        """Whether the person registers the agency's webhooks: its administrator or its office."""
        return self.role in (Role.ADMINISTRATOR, Role.COORDINATOR)

    def acts_for_province(self, agency):
        """Whether the person speaks in the province's name: Sở Nội vụ's desk and leaders, who
        hold a coordinator or leader membership at the province (the root agency). They send
        the requests for reports (a province viewer only reads them) and produce the province's
        consolidated CCHC report from its agencies' figures."""
        return (
            agency.parent_id is None
            and self.agency_id == agency.pk
            and self.role in (Role.COORDINATOR, Role.LEADER)
        )

    def answers_requests(self, agency):
        """Whether the person answers the province's requests for the agency: its office."""
        return (
            agency.parent_id is not None
            and self.agency_id == agency.pk
            and self.role == Role.COORDINATOR
        )

    # The province's people (docs/domain.md, "Roles"): a membership at the province agency
    # reads every agency under it once a thing is submitted or issued, never a draft, and
    # writes nothing of theirs.

    def works_for_agency(self, agency_id):
        """Whether the person belongs to the agency itself (its own people, whatever the role)."""
        return self.agency_id == agency_id

    def reads_for_province(self, agency):
        """Whether the person reads the agency from above: any role at its province."""
        return self.is_above(agency)

    def writes_agency_work(self, agency_id):
        """Whether the person may write anything of the agency (progress, reports, plans) under
        their role there: only its own people; the province reads."""
        return self.agency_id == agency_id and self.role != Role.VIEWER

    def administers_province(self):
        """Whether the person is a province administrator: ADMINISTRATOR at a province agency.
        Reads the membership's agency (one query unless it is loaded)."""
        return self.role == Role.ADMINISTRATOR and self.agency.kind == Agency.Kind.PROVINCE

    def administers_agency(self, agency):
        """Whether the person manages the agency's record, units and people: the province
        administrator for the province and every agency under it."""
        if not self.administers_province():
            return False
        return agency.pk == self.agency_id or agency.parent_id == self.agency_id

    def reads_inbox_of(self, agency_id):
        """Whether the person reads (and by opening, receives) the documents sent to the agency
        inside PARtrack: its people other than a unit's members (the desk, leaders, viewers)."""
        return self.agency_id == agency_id and self.role != Role.MEMBER
