from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "townsquare.ops"
    label = "ops"
    verbose_name = "Operations"
