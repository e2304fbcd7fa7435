from django.apps import AppConfig


class LiveChatConfig(AppConfig):
    name = "townsquare.livechat"
    label = "livechat"
    verbose_name = "Live chat"
    default_auto_field = "django.db.models.BigAutoField"
