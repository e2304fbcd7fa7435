"""Admin pages: replies, notes and CSAT answers are records (read-only); canned replies are edited
through the same checks as the API (unknown variables refused)."""

from django import forms
from django.contrib import admin

from townsquare.read_only_admin import ReadOnlyModelAdmin
from townsquare.replies.canned import CannedError, check_template
from townsquare.replies.models import CannedReply, CsatSurvey, Note, Reply
from townsquare.replies.text import BadText


@admin.register(Reply)
class ReplyAdmin(ReadOnlyModelAdmin):
    list_display = ("id", "conversation", "author", "status", "created_at", "send_after", "sent_at")
    list_filter = ("status",)
    list_select_related = ("conversation", "author")


@admin.register(Note)
class NoteAdmin(ReadOnlyModelAdmin):
    list_display = ("id", "conversation", "author", "created_at")
    list_select_related = ("conversation", "author")


@admin.register(CsatSurvey)
class CsatSurveyAdmin(ReadOnlyModelAdmin):
    list_display = ("conversation", "requested_at", "score", "answered_at")
    list_filter = ("score",)
    exclude = ("token",)  # the link answers for the customer


class CannedReplyForm(forms.ModelForm):
    class Meta:
        model = CannedReply
        fields = ("title", "shortcut", "language", "text", "team")

    def clean_text(self):
        try:
            return check_template(self.cleaned_data["text"])
        except (CannedError, BadText) as exc:
            raise forms.ValidationError(str(exc)) from None


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    form = CannedReplyForm
    list_display = ("shortcut", "language", "title", "team", "updated_at")
    list_filter = ("language",)
    search_fields = ("shortcut", "title", "text")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
