"""The guideline pages, added to the community's URLs (namespace "community")."""

from django.urls import path

from townsquare.community.guidelines import views

urlpatterns = [
    path("guidelines/", views.guidelines, name="guidelines"),
    path("guidelines/<int:guideline_number>/", views.guideline_history, name="guideline"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/comments/", views.proposal_comment, name="proposal_comment"),
    path("proposals/<int:proposal_id>/vote/", views.proposal_vote, name="proposal_vote"),
    path("proposals/<int:proposal_id>/open-voting/", views.proposal_open_voting, name="proposal_open_voting"),
    path("proposals/<int:proposal_id>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
]
