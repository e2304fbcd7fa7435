from django.apps import AppConfig


class HooksConfig(AppConfig):
    name = "townsquare.hooks"
    label = "hooks"
    verbose_name = "Outgoing webhooks"

    def ready(self):
        from django.db.models.signals import post_save

        from townsquare.events.models import Event
        from townsquare.hooks.dispatch import on_event_saved

        post_save.connect(on_event_saved, sender=Event, dispatch_uid="townsquare.hooks.on_event_saved")
