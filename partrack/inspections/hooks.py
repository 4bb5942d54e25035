"""What inspections adds to apps below it, registered from InspectionsConfig.ready()."""

from partrack.documents.report_data import ExtraSection

SECTION_KEY = "inspection"


def year_report_section(period, data):
    """The year report's "Kết quả kiểm tra" section, when the plan year has an inspection."""
    from partrack.inspections.models import Inspection
    from partrack.inspections.summary import summarise, year_section_text

    if period.kind != "year":
        return []
    inspection = Inspection.objects.for_page().filter(plan_id=period.plan_id).first()
    if inspection is None:
        return []
    heading = f"Kết quả kiểm tra công tác cải cách hành chính năm {period.plan.year}"
    text = year_section_text(summarise(inspection))
    return [
        ExtraSection(
            SECTION_KEY, heading, part="direction", paragraphs=text.splitlines(), editable=True
        )
    ]


def recommendation_link(task):
    """A follow-up task's way back to the recommendation it carries out; no query otherwise."""
    from partrack.inspections.models import FOLLOW_UP_AREA, Recommendation

    if task.area.title != FOLLOW_UP_AREA:
        return []
    found = (
        Recommendation.objects.filter(task=task)
        .select_related("inspected_unit__unit", "inspected_unit__inspection__plan")
        .first()
    )
    if found is None:
        return []
    inspected = found.inspected_unit
    label = (
        f"Kiến nghị sau kiểm tra CCHC năm {inspected.inspection.plan.year} "
        f"tại {inspected.unit.name}"
    )
    return [(label, inspected.get_absolute_url())]


def register():
    from partrack.inspections.todo import inspection_todo
    from partrack.plans.links import TASK_LINK_PROVIDERS
    from partrack.reporting import sections

    sections.register("report_section", year_report_section)
    sections.register("todo", inspection_todo)
    if recommendation_link not in TASK_LINK_PROVIDERS:
        TASK_LINK_PROVIDERS.append(recommendation_link)
