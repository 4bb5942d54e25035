from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "partrack.api"
    label = "api"
    verbose_name = "API"
