from django.urls import path

from townsquare.security import audit_views, login_views, twofactor_views

app_name = "security"
urlpatterns = [
    path("login/code/", login_views.login_code_view, name="login-code"),
    path("account/two-factor/", twofactor_views.two_factor, name="two-factor"),
    path("account/two-factor/enable", twofactor_views.enable, name="two-factor-enable"),
    path("account/two-factor/disable", twofactor_views.disable, name="two-factor-disable"),
    path("account/two-factor/recovery-codes", twofactor_views.replace_recovery_codes, name="recovery-codes"),
    path("audit/", audit_views.audit, name="audit"),
]
