from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "townsquare.sla"
    label = "sla"
    verbose_name = "Service levels"
