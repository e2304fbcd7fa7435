from importlib import import_module

from django.apps import AppConfig

# Modules whose `@folds(...)` handlers turn events into projection rows (one line per area).
FOLD_MODULES = [
    "townsquare.insights.care_folds",
    "townsquare.insights.shift_folds",
    "townsquare.insights.view_folds",
    "townsquare.insights.promo_folds",
]


class InsightsConfig(AppConfig):
    name = "townsquare.insights"
    label = "insights"
    verbose_name = "Insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        for module in FOLD_MODULES:
            import_module(module)
