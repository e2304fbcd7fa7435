from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "townsquare.web"
    label = "web"
    verbose_name = "Console"
