"""The community's pages under /community/: readable without an account, posting needs one.

Each area keeps its own URL list; this file only puts them together.
"""

from django.urls import path

from townsquare.community.bridge.views import publish_view
from townsquare.community.guidelines.urls import urlpatterns as guidelines_pages
from townsquare.community.moderation.urls import urlpatterns as moderation_pages
from townsquare.community.notify.urls import urlpatterns as notification_pages
from townsquare.community.search import views as search_views
from townsquare.community.views.recognition_urls import urlpatterns as recognition_pages
from townsquare.community.views.urls import urlpatterns as public_pages

app_name = "community"
urlpatterns = [
    # The group's own rules: /community/guidelines/… and /community/proposals/…
    *guidelines_pages,
    # The public pages: spaces, topic lists, topics, asking, answering, votes, sign-up.
    *public_pages,
    # The care bridge: staff publish a resolved care conversation as a question with its answer.
    path("publish/<int:conversation_id>/", publish_view, name="publish-conversation"),
    # Search: the results page, and the "similar questions" partial the ask form loads as you type.
    path("search/", search_views.search_page, name="search"),
    path("similar", search_views.similar_partial, name="similar"),
    # Moderation: the queue and its actions (moderators, trust level 4), the public moderation log.
    *moderation_pages,
    # Notifications: your own, unread first; mark read; the email digest setting.
    *notification_pages,
    # Recognition: profiles, the leaderboard, badges, and the ambassador program.
    *recognition_pages,
]
