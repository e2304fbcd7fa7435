"""Sign-in security: TOTP two-factor login, login rate limits, session expiry, the audit log."""

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "townsquare.security"
    label = "security"
    verbose_name = "Sign-in security"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from townsquare.security.sessions import on_user_logged_in

        # Every way of signing in (the login views, the test client's force_login) starts the clocks.
        user_logged_in.connect(on_user_logged_in, dispatch_uid="security.stamp_login")
