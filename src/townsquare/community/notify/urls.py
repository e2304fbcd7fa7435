"""The notifications pages' routes, added to community/urls.py."""

from django.urls import path

from townsquare.community.notify import views

urlpatterns = [
    path("notifications/", views.notifications_page, name="notifications"),
    path("notifications/read", views.mark_read, name="notifications-read"),
    path("notifications/digest", views.set_digest, name="notifications-digest"),
    path("follow", views.follow, name="follow"),
    path("unfollow", views.unfollow, name="unfollow"),
]
