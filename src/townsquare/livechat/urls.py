from django.urls import path

from townsquare.livechat import demo, views

app_name = "livechat"

urlpatterns = [
    path("<int:channel_id>/session", views.session_view, name="session"),
    path("<int:channel_id>/upload", views.upload_view, name="upload"),
    path("<int:channel_id>/offline", views.offline_view, name="offline"),
    path("<int:channel_id>/attachments/<int:attachment_id>", views.attachment_view, name="attachment"),
    path("<int:channel_id>/demo/", demo.demo_page, name="demo"),
]
