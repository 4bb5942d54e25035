"""The reporting periods of a plan year, by Bộ Nội vụ's guidance 581/BNV-CCHC."""

from datetime import date

# (kind, label, data from (month, day, years back), data to (month, day), unit due (month, day))
DEFAULT_PERIODS = [
    ("q1", "Quý I", (12, 15, 1), (3, 14), (3, 10)),
    ("h1", "6 tháng", (12, 15, 1), (6, 14), (6, 10)),
    ("q3", "Quý III", (6, 15, 0), (9, 14), (9, 10)),
    ("year", "Năm", (12, 15, 1), (12, 14), (12, 10)),
]
# The agency's own deadline to Sở Nội vụ is not here: Sở Nội vụ sets it each period, and the
# office enters it (docs/domain.md, "The reporting cycle"). Until then a period has none.


def default_periods(year):
    """[{kind, label, starts_on, ends_on, unit_due}] for a plan year."""
    periods = []
    for kind, label, (sm, sd, back), (em, ed), (um, ud) in DEFAULT_PERIODS:
        periods.append(
            {
                "kind": kind,
                "label": label,
                "starts_on": date(year - back, sm, sd),
                "ends_on": date(year, em, ed),
                "unit_due": date(year, um, ud),
            }
        )
    return periods
