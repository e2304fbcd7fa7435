"""/community/moderation/…: the queue and its actions (moderators), the public log; /community/flag/…"""

from django.urls import path

from townsquare.community.moderation import flag_page, pages

urlpatterns = [
    path("moderation/", pages.queue_page, name="moderation"),
    path("moderation/act", pages.act, name="moderation-act"),
    path("moderation/suspend", pages.suspend_member, name="moderation-suspend"),
    path("moderation/suspensions/<int:pk>/lift", pages.lift_suspension, name="moderation-lift"),
    path("moderation/spaces/<int:pk>/slow-mode", pages.slow_mode, name="moderation-slow-mode"),
    path("moderation/log/", pages.log_page, name="moderation-log"),
    path("flag/<str:kind>/<int:pk>/", flag_page.flag_page, name="flag"),
]
