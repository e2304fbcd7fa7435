from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "townsquare.security"
    label = "security"
    verbose_name = "Sign-in security"
