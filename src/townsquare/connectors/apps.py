from importlib import import_module

from django.apps import AppConfig

# One package per channel kind; importing it registers its connector (`registry.register`).
CONNECTOR_MODULES = [
    "townsquare.connectors.stored",
    "townsquare.connectors.email",
    "townsquare.connectors.livechat",
    "townsquare.connectors.mastodon",
]


class ConnectorsConfig(AppConfig):
    name = "townsquare.connectors"
    label = "connectors"
    verbose_name = "Connectors"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        for module in CONNECTOR_MODULES:
            import_module(module)
