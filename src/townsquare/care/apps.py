from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "townsquare.care"
    label = "care"
    verbose_name = "Care workflow"
