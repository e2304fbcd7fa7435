from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from townsquare.api.urls import api
from townsquare.security import login_views

urlpatterns = [
    # The admin signs in through the console's login: the same rate limits and two-factor step.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("login/", login_views.login_view, name="login"),
    path("logout/", login_views.logout_view, name="logout"),
    path("", include("townsquare.security.urls")),
    path("api/v1/", api.urls),
    path("community/", include("townsquare.community.urls")),
    path("livechat/", include("townsquare.livechat.urls")),
    path("insights/", include("townsquare.insights.urls")),
    path("", include("townsquare.web.urls")),
]
