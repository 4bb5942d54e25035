from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "partrack.activities"
    verbose_name = "Tuyên truyền, sổ theo dõi và số liệu"

    def ready(self):
        from partrack.activities import duties, report
        from partrack.reporting import sections

        sections.register("report_section", report.report_sections)
        sections.register("todo", duties.todo_items)
        sections.register("reminders", duties.reminders)

    def extend_demo(self, *, plan, people, units, extensions):
        """Called by the demo (plans.demo.load_demo) so that no page of this app is empty."""
        from partrack.activities.demo import load_demo

        load_demo(plan=plan, people=people, units=units)
