from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "townsquare.replies"
    label = "replies"
    verbose_name = "Replies"
