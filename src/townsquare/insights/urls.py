from django.urls import path

from townsquare.insights.views import cost_model, downloads, drill, pages

app_name = "insights"
urlpatterns = [
    path("", pages.overview, name="overview"),
    path("conversations/", drill.conversations, name="drill"),
    path("conversations/export.<str:rows_format>", downloads.conversations, name="drill-export"),
    path("export.<str:rows_format>", downloads.figures, name="export"),
    path("cost-model/", cost_model.cost_model, name="cost-model"),
    path("<slug:name>/", pages.section_page, name="section"),
]
