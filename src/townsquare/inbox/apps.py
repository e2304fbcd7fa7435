from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "townsquare.inbox"
    label = "inbox"
    verbose_name = "Inbox"
