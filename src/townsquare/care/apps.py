from django.apps import AppConfig
from django.db.models.signals import post_save


class CareConfig(AppConfig):
    name = "townsquare.care"
    label = "care"
    verbose_name = "Care workflow"

    def ready(self) -> None:
        from townsquare.care.freed import offer_after_status_change
        from townsquare.events.models import Event

        post_save.connect(offer_after_status_change, sender=Event, dispatch_uid="care-freed-capacity")
