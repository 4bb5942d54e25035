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


def register():
    from partrack.inspections.demo import load_inspection_demo
    from partrack.inspections.todo import inspection_todo
    from partrack.plans.demo import DEMO_EXTENSIONS
    from partrack.reporting.sections import register_section
    from partrack.reporting.todo import TODO_PROVIDERS

    register_section(year_report_section)
    if inspection_todo not in TODO_PROVIDERS:
        TODO_PROVIDERS.append(inspection_todo)
    if load_inspection_demo not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(load_inspection_demo)
