from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "townsquare.api"
    label = "api"
    verbose_name = "API"
