from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "townsquare.events"
    label = "events"
    verbose_name = "Event log"
