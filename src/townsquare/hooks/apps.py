from django.apps import AppConfig


class HooksConfig(AppConfig):
    name = "townsquare.hooks"
    label = "hooks"
    verbose_name = "Outgoing webhooks"
