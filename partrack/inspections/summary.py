"""The inspection's figures, read in a fixed number of queries: pages, documents and the year
report print these and nothing else, so that they agree."""

from dataclasses import dataclass, field

from partrack.inspections.models import (
    InspectedUnit,
    Inspection,
    Rating,
    UnitSubmission,
    coverage_rule,
    units_needed,
)


@dataclass
class SelfLine:
    unit: object
    submission: UnitSubmission | None

    @property
    def status_label(self):
        return self.submission.get_status_display() if self.submission else "Chưa lập"

    @property
    def sent(self):
        return self.submission is not None and self.submission.is_sent


@dataclass
class Summary:
    inspection: Inspection
    eligible: list
    inspected: list  # [InspectedUnit], minutes, recommendations and tasks prefetched
    submissions: dict  # unit id → UnitSubmission
    team: list
    self_lines: list = field(default_factory=list)

    @property
    def needed(self):
        return units_needed(self.inspection.required_share, len(self.eligible))

    @property
    def rule(self):
        return coverage_rule(self.inspection.required_share, len(self.eligible))

    @property
    def meets_share(self):
        return len(self.inspected) >= self.needed

    @property
    def leader(self):
        return next((seat for seat in self.team if seat.is_leader), None)

    @property
    def recommendations(self):
        return [r for unit in self.inspected for r in unit.recommendations.all()]

    @property
    def fixed(self):
        return sum(1 for r in self.recommendations if r.is_fixed)

    @property
    def self_sent(self):
        return [line for line in self.self_lines if line.sent]

    @property
    def self_accepted(self):
        return [
            line
            for line in self.self_lines
            if line.submission and line.submission.status == UnitSubmission.Status.ACCEPTED
        ]

    @property
    def self_missing(self):
        return [line for line in self.self_lines if not line.sent]

    @property
    def signed(self):
        return [unit for unit in self.inspected if unit.minutes_signed]

    @property
    def concluded(self):
        return [unit for unit in self.inspected if unit.concluded]

    def rating_totals(self):
        totals = {rating.value: 0 for rating in Rating}
        for unit in self.inspected:
            for rating, count in unit.rating_counts().items():
                totals[rating] += count
        return totals


def summarise(inspection):
    eligible = list(inspection.eligible_units())
    inspected = list(InspectedUnit.objects.filter(inspection=inspection).for_listing())
    submissions = {
        s.unit_id: s for s in UnitSubmission.objects.for_board().filter(inspection=inspection)
    }
    team = list(inspection.team.select_related("user__membership"))
    summary = Summary(inspection, eligible, inspected, submissions, team)
    chosen = {unit.unit_id for unit in inspected}
    summary.self_lines = [
        SelfLine(unit, submissions.get(unit.pk)) for unit in eligible if unit.pk not in chosen
    ]
    return summary


def unit_names(lines):
    return ", ".join(line.unit.name for line in lines)


def year_section_text(summary):
    """The year report's inspection section: coverage, self-inspections, findings, follow-up."""
    inspection = summary.inspection
    lines = []
    if inspection.is_issued:
        lines.append(
            f"- Ban hành Kế hoạch kiểm tra công tác cải cách hành chính số {inspection.symbol} "
            f"ngày {inspection.issued_on:%d/%m/%Y}; thời gian kiểm tra: {inspection.period_text}."
        )
    else:
        lines.append("- Kế hoạch kiểm tra công tác cải cách hành chính chưa được ban hành.")
    lines.append(
        f"- Kiểm tra {len(summary.inspected)}/{len(summary.eligible)} phòng, đơn vị"
        + (f" ({', '.join(u.unit.name for u in summary.inspected)})" if summary.inspected else "")
        + f"; yêu cầu: {summary.rule}."
    )
    totals = summary.rating_totals()
    if summary.signed:
        lines.append(
            f"- Đã ký biên bản kiểm tra tại {len(summary.signed)} đơn vị, kết luận tại "
            f"{len(summary.concluded)} đơn vị; {totals['passed']} nội dung đạt, "
            f"{totals['failed']} nội dung chưa đạt, {totals['not_applicable']} nội dung không "
            f"áp dụng."
        )
    for unit in summary.concluded:
        lines.append(f"- Kết luận tại {unit.unit.name}: {' '.join(unit.findings.split())}")
    lines.append(
        f"- Tự kiểm tra: {len(summary.self_sent)}/{len(summary.self_lines)} đơn vị đã gửi báo "
        f"cáo ({len(summary.self_accepted)} đã được chấp nhận)"
        + (f"; chưa gửi: {unit_names(summary.self_missing)}." if summary.self_missing else ".")
    )
    recommendations = summary.recommendations
    lines.append(
        f"- Kiến nghị sau kiểm tra: {len(recommendations)}, đã khắc phục {summary.fixed}, "
        f"còn {len(recommendations) - summary.fixed}."
    )
    return "\n".join(lines)
