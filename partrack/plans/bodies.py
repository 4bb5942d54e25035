"""The bodies a plan's lead and coordinating names can mean.

An agency's plan names its units. A province's plan (UBND tỉnh's, whose agency has agencies
under it) names the province's agencies: "Sở Khoa học và Công nghệ", "UBND các xã, phường"; and
perhaps the province's own office unit. Names are matched by their folded form, never guessed:
a name that matches nothing stays as written and the import review shows it.
"""

import re

from partrack.org.models import Agency
from partrack.vietnamese import fold_agency_name

# How a province's plan writes "every department" / "every commune" (fold_agency_name form).
EVERY_DEPARTMENT_PHRASES = {
    "cac so ban nganh",
    "cac so ban nganh tinh",
    "cac so nganh",
    "cac so",
    "cac co quan chuyen mon thuoc ubnd tinh",
    "cac co quan chuyen mon",
    "cac so ban nganh thuoc ubnd tinh",
}
EVERY_COMMUNE_PHRASES = {
    "ubnd cac xa phuong",
    "ubnd cac xa phuong dac khu",
    "ubnd cac xa",
    "cac xa phuong",
    "ubnd cap xa",
}
EVERY_AGENCY_PHRASES = {
    "cac so ban nganh ubnd cac xa phuong",
    "cac so ban nganh va ubnd cac xa phuong",
    "cac co quan don vi",
}

_COMMUNE = re.compile(r"^(ubnd )?(xa|phuong|dac khu)\b")


def is_commune(agency):
    """A commune by its kind; by its name ("UBND xã …") where the administrator left the kind
    as a department (agencies made before kinds existed)."""
    if agency.kind == Agency.Kind.COMMUNE:
        return True
    named_commune = _COMMUNE.match(fold_agency_name(agency.name))
    return agency.kind != Agency.Kind.PROVINCE and bool(named_commune)


class Bodies:
    """The units of a plan's agency and, for a province, the agencies under it; loaded once."""

    def __init__(self, agency):
        self.units = agency.units.all()
        len(self.units)
        # Only a province (no parent) has agencies under it: two levels are all we serve, so an
        # agency's plan costs no query for them.
        self.agencies = []
        if agency.parent_id is None:
            self.agencies = list(Agency.objects.filter(parent_id=agency.pk).order_by("name"))
        self.names = {agency: agency.folded_names() for agency in self.agencies}

    @property
    def is_province(self):
        return bool(self.agencies)

    def match_agency(self, name):
        wanted = fold_agency_name(name)
        found = [agency for agency, names in self.names.items() if wanted in names]
        return found[0] if len(found) == 1 else None

    def every(self, name):
        """The agencies a phrase like "các sở, ban, ngành" means, or None for a plain name."""
        wanted = fold_agency_name(name)
        if wanted in EVERY_AGENCY_PHRASES:
            return list(self.agencies)
        if wanted in EVERY_DEPARTMENT_PHRASES:
            return [a for a in self.agencies if not is_commune(a)]
        if wanted in EVERY_COMMUNE_PHRASES:
            return [a for a in self.agencies if is_commune(a)]
        return None

    def resolve(self, names):
        """(units, agencies, unmatched names) for names as the plan writes them."""
        agencies, rest = [], []
        for name in names:
            if not self.is_province:
                rest.append(name)
                continue
            every = self.every(name)
            if every is not None:
                agencies.extend(every)
                continue
            agency = self.match_agency(name)
            if agency is None:
                rest.append(name)
            else:
                agencies.append(agency)
        units, unmatched = self.units.resolve(rest)
        return units, list(dict.fromkeys(agencies)), unmatched
