"""The community's pages under /community/: readable without an account, posting needs one."""

from django.urls import path  # noqa: F401  (each area adds its pages below)

app_name = "community"
urlpatterns: list = []
