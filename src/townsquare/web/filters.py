"""The conversation list's filters: which channel, which status, and free-text search."""

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr

from townsquare.inbox.models import Channel, ConversationStatus, Direction, Message
from townsquare.people.models import Identity
from townsquare.web.paging import BadCursor, Cursor

EXCERPT_CHARS = 160


class CursorField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return Cursor.decode(value)
        except BadCursor as exc:
            raise forms.ValidationError("This page link is not valid; start again from the newest.") from exc


class ConversationFilter(forms.Form):
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.none(), to_field_name="name", required=False, empty_label="All channels"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *ConversationStatus.choices], required=False)
    q = forms.CharField(label="Search", max_length=200, required=False, strip=True)
    after = CursorField(required=False, widget=forms.HiddenInput)
    before = CursorField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, channels: QuerySet):
        super().__init__(data)
        self.fields["channel"].queryset = channels

    def apply(self, conversations: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data["channel"]:
            conversations = conversations.filter(channel=data["channel"])
        if data["status"]:
            conversations = conversations.filter(status=data["status"])
        if data["q"]:
            conversations = conversations.filter(matching_text(data["q"]))
        return conversations


def matching_text(q: str) -> Q:
    """Conversations whose messages, customer name or customer handles contain `q`.

    EXISTS subqueries instead of joins, so a conversation with many matching messages is one row,
    and the newest-first walk stops as soon as a page is full. A term that matches nothing still
    scans every message: substring search has no index (full-text search would need one).
    """
    handle = q.removeprefix("@") or q
    identity_hit = Identity.objects.filter(customer=OuterRef("customer_id"), handle__icontains=handle)
    message_hit = Message.objects.filter(conversation=OuterRef("pk"), text__icontains=q)
    return Q(customer__display_name__icontains=q) | Exists(identity_hit) | Exists(message_hit)


def with_list_columns(conversations: QuerySet) -> QuerySet:
    """Everything a list row shows, fetched in the same query as the rows (no N+1)."""
    thread = Message.objects.filter(conversation=OuterRef("pk")).order_by("created_at", "id")
    return conversations.select_related("channel", "customer").annotate(
        excerpt=Subquery(thread.annotate(head=Substr("text", 1, EXCERPT_CHARS)).values("head")[:1]),
        author_handle=Subquery(thread.filter(direction=Direction.INBOUND).values("author__handle")[:1]),
    )
