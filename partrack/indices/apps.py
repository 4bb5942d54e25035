from django.apps import AppConfig


class IndicesConfig(AppConfig):
    name = "partrack.indices"
    verbose_name = "Chỉ số CCHC và xếp loại"

    def extend_demo(self, *, plan, people, units, extensions):
        """Called by the demo (plans.demo.load_demo): the index, its appraiser and a grading."""
        from partrack.indices.demo import load_indices_demo

        load_indices_demo(agency=plan.agency, province=plan.agency.parent, people=people)
