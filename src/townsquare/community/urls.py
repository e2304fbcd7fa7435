"""The community's pages under /community/: readable without an account, posting needs one."""

from django.urls import path  # noqa: F401  (each area adds its pages below)

app_name = "community"
urlpatterns: list = []

# The group's own rules: /community/guidelines/… and /community/proposals/…
from townsquare.community.guidelines.urls import urlpatterns as guidelines_pages  # noqa: E402

urlpatterns += guidelines_pages

# The public pages: spaces, topic lists, topics, asking, answering, votes, sign-up.
from townsquare.community.views.urls import urlpatterns as public_pages  # noqa: E402

urlpatterns += public_pages

# The care bridge: staff publish a resolved care conversation as a question with its answer.
from townsquare.community.bridge.views import publish_view  # noqa: E402

urlpatterns += [path("publish/<int:conversation_id>/", publish_view, name="publish-conversation")]

# Search: the results page, and the "similar questions" partial the ask form loads as you type.
from townsquare.community.search import views as search_views  # noqa: E402

urlpatterns += [
    path("search/", search_views.search_page, name="search"),
    path("similar", search_views.similar_partial, name="similar"),
]

# Moderation: the queue and its actions (moderators, trust level 4), the public moderation log.
from townsquare.community.moderation.urls import urlpatterns as moderation_pages  # noqa: E402

urlpatterns += moderation_pages

# Notifications: your own, unread first; mark read; the email digest setting.
from townsquare.community.notify.urls import urlpatterns as notification_pages  # noqa: E402

urlpatterns += notification_pages

# Recognition: profiles, the leaderboard, badges, and the ambassador program.
from townsquare.community.views.recognition_urls import urlpatterns as recognition_pages  # noqa: E402

urlpatterns += recognition_pages
