from importlib import import_module

from django.apps import AppConfig

# Modules whose `@listens(...)` handlers must be registered in every process (one line per area).
LISTENER_MODULES = [
    "townsquare.community.bridge.listeners",
    "townsquare.community.notify.listeners",
    "townsquare.community.recognition",
    "townsquare.community.search.listeners",
]


class CommunityConfig(AppConfig):
    name = "townsquare.community"
    label = "community"
    verbose_name = "Community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        for module in LISTENER_MODULES:
            import_module(module)
