"""Routes of the recognition pages (profiles, leaderboard, badges, the ambassador program)."""

from django.urls import path

from townsquare.community.views import ambassadors, profiles

urlpatterns = [
    path("u/<str:username>/", profiles.profile, name="profile"),
    path("u/<str:username>/trust-level", profiles.set_trust_level, name="set-trust-level"),
    path("leaderboard/", profiles.leaderboard, name="leaderboard"),
    path("badges/", profiles.badge_list, name="badges"),
    path("invites/<int:invite_id>/", profiles.invitation, name="invitation"),
    path("ambassadors/", ambassadors.program, name="ambassadors"),
    path("ambassadors/invite", ambassadors.invite, name="ambassador-invite"),
    path("ambassadors/<int:user_id>/remove", ambassadors.remove, name="ambassador-remove"),
]
