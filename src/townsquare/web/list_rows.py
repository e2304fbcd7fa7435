"""The conversation list's rows as HTML, built in Python once per request.

The template engine spent ~35 ms of a 50-row page on this loop (an include, custom filters and
~50 variable lookups per row, each date through `dateformat`); plain string building with the
same escaping and the same words takes ~1 ms. The markup is the one the browser, htmx, the
keyboard shortcuts and live updates rely on (data-testid, data-conversation-id, classes): change
it here and in tests/web/test_list_rows.py together.

Every value from the database goes through `escape`; the fixed markup around it does not.
"""

from datetime import datetime
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.timezone import _datetime_ambiguous_or_imaginary

from townsquare.inbox.models import ConversationStatus
from townsquare.web.chips import label_chips
from townsquare.web.templatetags.console import RELATIVE_FOR, at_handle, unless_repeats
from townsquare.web.templatetags.inbox_columns import time_left
from townsquare.web.templatetags.triage_labels import not_for_us_reason

NONE = '<span class="muted">—</span>'
STATUS_LABELS = dict(ConversationStatus.choices)  # what get_status_display() shows, without its hashing


class Clock:
    """One request's now, time zone and month names, so 50 rows format their times without
    re-reading the active time zone and translation for each (the `date` filter does)."""

    def __init__(self):
        self.now = timezone.now()
        self.zone = timezone.get_current_timezone()
        self.months = {number: str(name).title() for number, name in MONTHS_3.items()}

    def local(self, moment: datetime) -> datetime:
        return timezone.localtime(moment, self.zone)

    def iso(self, moment: datetime) -> str:
        """`{{ moment|date:'c' }}`."""
        return self.local(moment).isoformat()

    def day(self, moment: datetime) -> str:
        """`{{ moment|date:'j M Y' }}`."""
        local = self.local(moment)
        return f"{local.day} {self.months[local.month]} {local.year}"

    def minute(self, moment: datetime) -> str:
        """`{{ moment|date:'j M Y, H:i e' }}`."""
        local = self.local(moment)
        return f"{self.day(local)}, {local.hour:02d}:{local.minute:02d} {self._zone_name(local)}"

    def _zone_name(self, local: datetime) -> str:
        # As the `e` format: no name for a wall time that DST makes ambiguous (it happens twice).
        return "" if _datetime_ambiguous_or_imaginary(local, local.tzinfo) else local.tzname() or ""

    def when(self, moment: datetime) -> str:
        """`{{ moment|when }}` (templatetags/console.py) at this request's now."""
        if self.now - moment < RELATIVE_FOR:
            return f"{timesince(moment, now=self.now, depth=1)} ago"
        return self.day(moment)


def _subject_cell(c, url: str) -> str:
    """The link to the conversation (its subject, else the first message), then more of the excerpt."""
    excerpt = getattr(c, "excerpt", "") or ""
    if not c.subject:
        return f'<a href="{escape(url)}">{escape(Truncator(excerpt or "(no text)").chars(100))}</a>'
    cell = f'<a href="{escape(url)}">{escape(c.subject)}</a>'
    more = unless_repeats(excerpt, c.subject)
    if more:
        cell += f'<span class="excerpt">{escape(Truncator(more).chars(120))}</span>'
    return cell


def _customer_cell(c) -> str:
    name = c.customer.display_name if c.customer else ""
    handle = getattr(c, "author_handle", "") or ""
    parts = [escape(name)] if name else []
    if handle:
        parts.append(f'<span class="handle">{escape(at_handle(handle))}</span>')
    return " ".join(parts) if parts else '<span class="muted">unknown</span>'


def _sla_cell(due, clock: Clock) -> str:
    if not due:
        return NONE
    late = " sla-overdue" if due < clock.now else ""
    return (
        f'<time datetime="{clock.iso(due)}" title="due {escape(clock.minute(due))}" '
        f'class="sla{late}">{escape(time_left(due, now=clock.now))}</time>'
    )


def row_html(c, url: str, clock: Clock, *, not_for_us_view: bool = False) -> str:
    reason = (
        f'<p class="reason" data-testid="not-for-us-reason">{escape(not_for_us_reason(c))}</p>'
        if not_for_us_view
        else ""
    )
    assignee = escape(c.assignee.label) if c.assignee else NONE
    queue = escape(c.queue.name) if c.queue else NONE
    last = c.last_activity_at
    return (
        f'<tr data-testid="conversation-row" data-conversation-id="{c.pk}">\n'
        f'<td class="subject">{_subject_cell(c, url)}</td>\n'
        f'<td class="labels">{reason}{label_chips(c)}</td>\n'
        f"<td>{_customer_cell(c)}</td>\n"
        f"<td>{escape(c.channel.name)}</td>\n"
        f'<td><span class="status status-{escape(c.status)}" data-testid="row-status">'
        f"{escape(STATUS_LABELS.get(c.status, c.status))}</span></td>\n"
        f'<td data-testid="row-assignee">{assignee}</td>\n'
        f'<td data-testid="row-queue">{queue}</td>\n'
        f'<td data-testid="row-sla">{_sla_cell(c.sla_due_at, clock)}</td>\n'
        f'<td class="num">{c.message_count}</td>\n'
        f'<td><time datetime="{clock.iso(last)}" title="{escape(clock.minute(last))}">'
        f"{escape(clock.when(last))}</time></td>\n"
        "</tr>\n"
    )


def conversation_url_maker():
    """`pk -> /conversations/<pk>/`: reversed once, not once per row (a reversal costs ~20 µs)."""
    marker = 987654321987654321  # stands for the pk; no real id is this long
    head, tail = reverse("web:conversation", args=[marker]).split(str(marker))
    return lambda pk: f"{head}{int(pk)}{tail}"


def rows_html(rows, *, not_for_us_view: bool = False) -> SafeString:
    """The `<tr>`s of a list page."""
    clock, url_of = Clock(), conversation_url_maker()
    html = "".join(row_html(c, url_of(c.pk), clock, not_for_us_view=not_for_us_view) for c in rows)
    return mark_safe(html)  # noqa: S308 - every value is escaped in row_html
