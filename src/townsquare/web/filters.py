"""The conversation list's filters: a saved view, channel, status, triage labels, and free-text search."""

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr

from townsquare.inbox.models import Channel, Conversation, ConversationStatus, Direction, Message
from townsquare.people.models import Identity
from townsquare.triage.labels import KINDS, PRIORITIES, SENTIMENTS
from townsquare.triage.pii import find_pii
from townsquare.web.paging import BadCursor, Cursor
from townsquare.web.saved_views import DEFAULT_VIEW, SavedView
from townsquare.web.widgets import QuickSelect

# Rows show at most 120 characters; the extra 80 let the PII fence see a whole card number or IBAN
# that starts before the cut, so masking a truncated excerpt never leaves half a number readable.
EXCERPT_CHARS = 200
# The filter names that narrow the list (the cursor fields only page through it).
NARROWING = ("channel", "status", "language", "kind", "sentiment", "priority", "invites_reply", "q")
INVITES_REPLY_CHOICES = [("", "Either"), ("yes", "Invites a reply"), ("no", "Does not invite a reply")]


def _choices(values: tuple[str, ...], anything: str) -> list[tuple[str, str]]:
    return [("", anything), *((value, value.capitalize()) for value in values)]


class CursorField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return Cursor.decode(value)
        except BadCursor as exc:
            raise forms.ValidationError("This page link is not valid; start again from the newest.") from exc


class ListedChoices(forms.models.ModelChoiceIterator):
    """The options from one plain query. Django's iterator goes through QuerySet.iterator(), which
    on PostgreSQL opens a server-side cursor: DECLARE, FETCH and CLOSE, three round trips on every
    list page for a handful of channels."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices


class ConversationFilter(forms.Form):
    # One of the user's saved views (saved_views.py); the tabs above the list set it.
    view = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "There is no saved view called “%(value)s” for you."},
    )
    channel = ListedChoiceField(
        queryset=Channel.objects.none(),
        to_field_name="name",
        required=False,
        empty_label="All channels",
        widget=QuickSelect,
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *ConversationStatus.choices], required=False, widget=QuickSelect
    )
    # ISO 639-1 (or 639-3, e.g. `und`): a free field, because the languages seen depend on the deployment.
    language = forms.CharField(
        max_length=8,
        required=False,
        strip=True,
        validators=[RegexValidator(r"^[a-z]{2,3}$", "Use a language code such as en, de or und.")],
    )
    kind = forms.ChoiceField(choices=_choices(KINDS, "Any kind"), required=False, widget=QuickSelect)
    sentiment = forms.ChoiceField(
        choices=_choices(SENTIMENTS, "Any sentiment"), required=False, widget=QuickSelect
    )
    priority = forms.ChoiceField(
        choices=_choices(PRIORITIES, "Any priority"), required=False, widget=QuickSelect
    )
    invites_reply = forms.ChoiceField(
        label="Invites a reply", choices=INVITES_REPLY_CHOICES, required=False, widget=QuickSelect
    )
    q = forms.CharField(label="Search", max_length=200, required=False, strip=True)
    after = CursorField(required=False, widget=forms.HiddenInput)
    before = CursorField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, channels: QuerySet, *, views: list[SavedView] = (), may_search_pii: bool = True):
        super().__init__(data)
        self.fields["channel"].queryset = channels
        self.views = {view.key: view for view in views}
        self.fields["view"].choices = [("", "All"), *((view.key, view.label) for view in views)]
        self.may_search_pii = may_search_pii

    def clean_view(self) -> SavedView | None:
        key = self.cleaned_data["view"] or DEFAULT_VIEW
        return self.views.get(key)

    def saved_view(self) -> SavedView | None:
        """The chosen saved view, once the form is valid."""
        return self.cleaned_data.get("view")

    def clean_q(self) -> str:
        q = self.cleaned_data["q"]
        # Text search over masked messages would tell a role behind the PII fence whose email it is.
        if q and not self.may_search_pii and find_pii(q):
            raise forms.ValidationError(
                "Your role cannot search for personal data such as emails or numbers."
            )
        return q

    def narrows(self) -> bool:
        return any(self.data.get(key) for key in NARROWING)

    def apply(self, conversations: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data["view"] is not None and data["view"].condition:
            conversations = conversations.filter(data["view"].condition)
        if data["channel"]:
            conversations = conversations.filter(channel=data["channel"])
        if data["status"]:
            conversations = conversations.filter(status=data["status"])
        for label in ("language", "kind", "sentiment", "priority"):
            if data[label]:
                conversations = conversations.filter(**{label: data[label]})
        if data["invites_reply"]:
            conversations = conversations.filter(invites_reply=data["invites_reply"] == "yes")
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


# The columns web/list_rows.py shows. Only these are loaded: building 50 rows with every column of
# five tables (JSON settings, rules, attributes, a whole user) cost more than the query itself.
LIST_COLUMNS = (
    *("subject", "status", "language", "kind", "sentiment", "priority", "triage_pending", "not_for_us"),
    *("sla_due_at", "message_count", "last_activity_at"),
    *("channel__name", "customer__display_name", "queue__name"),
    *("assignee__username", "assignee__first_name", "assignee__last_name"),
)


def with_list_columns(conversations: QuerySet) -> QuerySet:
    """Everything a list row shows, fetched in the same query as the rows (no N+1)."""
    thread = Message.objects.filter(conversation=OuterRef("pk")).order_by("created_at", "id")
    return (
        conversations.select_related("channel", "customer", "queue", "assignee")
        .only(*LIST_COLUMNS)
        .annotate(
            excerpt=Subquery(thread.annotate(head=Substr("text", 1, EXCERPT_CHARS)).values("head")[:1]),
            author_handle=Subquery(thread.filter(direction=Direction.INBOUND).values("author__handle")[:1]),
        )
    )


def paging_columns(conversations: QuerySet) -> QuerySet:
    """Only what finding a page needs (id and the ordering fields).

    A view whose order no index serves (a queue, breaching soon) sorts its matches first; with the
    row columns in the same query SQLite computed the excerpt subqueries for every match before
    sorting (258 ms instead of 28 ms for a queue of 40,000), so the page's ids come first and
    `load_list_columns` fetches the 50 rows after.
    """
    return conversations.only("id", "last_activity_at", "sla_due_at")


def load_list_columns(rows: list) -> list:
    """The page's rows with everything a list row shows, in one query, in the page's order."""
    ids = [row.pk for row in rows]
    full = {row.pk: row for row in with_list_columns(Conversation.objects.filter(pk__in=ids))}
    return [full[pk] for pk in ids if pk in full]
