from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "partrack.webhooks"
    label = "webhooks"
    verbose_name = "Webhook"

    def ready(self):
        # The services of plans and reporting announce events; this app turns them into deliveries.
        from partrack.webhooks import receivers  # noqa: F401
