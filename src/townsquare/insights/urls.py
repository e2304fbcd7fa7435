from django.urls import path

from townsquare.insights.views import downloads, drill, pages

app_name = "insights"
urlpatterns = [
    path("", pages.overview, name="overview"),
    path("conversations/", drill.conversations, name="drill"),
    path("conversations/export.<str:rows_format>", downloads.conversations, name="drill-export"),
    path("export.<str:rows_format>", downloads.figures, name="export"),
    path("<slug:name>/", pages.section_page, name="section"),
]
