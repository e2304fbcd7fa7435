from django.urls import path

from townsquare.web import ops, views

app_name = "web"
urlpatterns = [
    path("", views.conversation_list, name="conversations"),
    path("conversations/<int:conversation_id>/", views.conversation_detail, name="conversation"),
    path("healthz", ops.healthz, name="healthz"),
    path("metrics", ops.metrics, name="metrics"),
]
