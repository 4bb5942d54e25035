from django.apps import AppConfig


class IndicesConfig(AppConfig):
    name = "partrack.indices"
    verbose_name = "Chỉ số CCHC và xếp loại"

    def ready(self):
        from partrack.indices import demo
        from partrack.plans.demo import demo_loaded

        demo_loaded.connect(demo.load_indices_demo, dispatch_uid="indices_demo")
