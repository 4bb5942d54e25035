"""What inspections adds to apps below it, registered from InspectionsConfig.ready()."""

from partrack.documents.report_data import Section

SECTION_KEY = "inspection"


def year_report_section(*, period, as_of):
    """The year report's "Kết quả kiểm tra" section, when the plan year has an inspection."""
    from partrack.inspections.models import Inspection
    from partrack.inspections.summary import summarise, year_section_text

    if period.kind != "year":
        return None
    inspection = Inspection.objects.for_page().filter(plan_id=period.plan_id).first()
    if inspection is None:
        return None
    heading = f"Kết quả kiểm tra công tác cải cách hành chính năm {period.plan.year}"
    return Section(SECTION_KEY, heading, year_section_text(summarise(inspection)))


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
    from partrack.inspections.demo import load_inspection_demo
    from partrack.inspections.todo import inspection_todo
    from partrack.plans.demo import DEMO_EXTENSIONS
    from partrack.plans.links import TASK_LINK_PROVIDERS
    from partrack.reporting.sections import register_section
    from partrack.reporting.todo import TODO_PROVIDERS

    register_section(year_report_section)
    if inspection_todo not in TODO_PROVIDERS:
        TODO_PROVIDERS.append(inspection_todo)
    if recommendation_link not in TASK_LINK_PROVIDERS:
        TASK_LINK_PROVIDERS.append(recommendation_link)
    if load_inspection_demo not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(load_inspection_demo)
