from django.urls import path

from townsquare.web import views

app_name = "web"
urlpatterns = [
    path("", views.conversation_list, name="conversations"),
]
