"""The public pages' routes (spaces, topics, asking, answering, votes, sign-up), added to community/urls.py."""

from django.urls import path

from townsquare.community.views import answering, ask, editing, signup, spaces, topic, votes

urlpatterns = [
    path("", spaces.index, name="index"),
    path("signup/", signup.signup_view, name="signup"),
    path("s/<slug:slug>/", spaces.space_topics, name="space"),
    path("s/<slug:slug>/ask/", ask.ask_view, name="ask"),
    path("tags/<str:name>/", spaces.tag_topics, name="tag"),
    path("t/<int:pk>/", topic.topic_page, name="topic-short"),
    path("t/<int:pk>/<slug:slug>/", topic.topic_page, name="topic"),
    path("t/<int:pk>/answer", answering.answer_view, name="answer"),
    path("t/<int:pk>/comment", answering.comment_view, name="comment"),
    path("t/<int:pk>/vote", votes.vote_topic, name="vote-topic"),
    path("t/<int:pk>/unaccept", votes.unaccept, name="unaccept"),
    path("t/<int:pk>/edit", editing.edit_topic, name="edit-topic"),
    path("p/<int:pk>/vote", votes.vote_post, name="vote-post"),
    path("p/<int:pk>/helpful", votes.helpful, name="helpful"),
    path("p/<int:pk>/accept", votes.accept, name="accept"),
    path("p/<int:pk>/edit", editing.edit_post, name="edit-post"),
]
