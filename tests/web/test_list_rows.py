"""The list rows are built in Python (web/list_rows.py) for speed; they must read exactly as the template
filters they replace would, in every time zone, and escape everything a customer or admin can type."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.web.care_builders import care_conversation, queue
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.people.models import Customer
from townsquare.web.filters import ConversationFilter, load_list_columns
from townsquare.web.list_rows import Clock, conversation_url_maker, rows_html
from townsquare.web.widgets import QuickSelect

FILTERS = Template(
    "{% load console %}{{ m|date:'c' }}|{{ m|date:'j M Y, H:i e' }}|{{ m|date:'j M Y' }}|{{ m|when }}"
)
MOMENTS = [
    datetime(2024, 3, 31, 0, 59, 59, tzinfo=UTC),  # an hour before Europe's summer time starts
    datetime(2024, 3, 31, 1, 0, 0, tzinfo=UTC),  # the instant it does
    datetime(2024, 10, 27, 0, 30, tzinfo=UTC),  # the last hour of summer time
    datetime(2024, 12, 31, 23, 59, 1, 123456, tzinfo=UTC),  # new year's eve, with microseconds
    datetime(2024, 2, 29, 12, 0, tzinfo=UTC),  # a leap day
]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata"])
def test_clock_reads_like_the_date_and_when_filters(zone):
    now = timezone.now()
    recent = [now - timedelta(seconds=s) for s in (0, 59, 3600, 5 * 86400, 6 * 86400 + 86399)]
    with timezone.override(ZoneInfo(zone)):
        clock = Clock()
        for moment in MOMENTS + recent + [now - timedelta(days=8), now + timedelta(hours=2)]:
            ours = f"{clock.iso(moment)}|{clock.minute(moment)}|{clock.day(moment)}|{clock.when(moment)}"
            assert ours == FILTERS.render(Context({"m": moment})), moment


def test_conversation_urls_are_the_reversed_ones():
    url_of = conversation_url_maker()
    for pk in (1, 9, 10, 12345, 987654321, 2**40):
        assert url_of(pk) == reverse("web:conversation", args=[pk])


@pytest.mark.django_db
def test_rows_escape_what_people_type(twitter):
    hostile = "<script>alert(\"x\")</script> & 'quoted'"
    channel = Channel.objects.create(name="<b>chan</b>", kind=ChannelKind.EMAIL)
    customer = Customer.objects.create(display_name=hostile)
    conv = care_conversation(channel, hostile, customer=customer, in_queue=queue("<i>q</i>"))
    conv.subject = "<img src=x onerror=alert(1)>"
    conv.save(update_fields=["subject"])
    html = rows_html(load_list_columns([conv]))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;" in html
    assert '<td data-testid="row-queue">&lt;i&gt;q&lt;/i&gt;</td>' in html
    assert "<td>&lt;b&gt;chan&lt;/b&gt;</td>" in html


@pytest.mark.django_db
def test_a_row_shows_every_column(twitter, alice):
    dana = Customer.objects.create(display_name="Dana Ortiz")
    conv = care_conversation(
        twitter,
        "My blender arrived broken",
        customer=dana,
        assignee=alice,
        in_queue=queue("Devices"),
        due_in=-timedelta(minutes=12, seconds=30),
        messages=3,
        language="de",
        kind="complaint",
        sentiment="negative",
        priority="high",
        triage_pending=True,
    )
    html = rows_html(load_list_columns([conv]))
    url = reverse("web:conversation", args=[conv.pk])
    assert f'<tr data-testid="conversation-row" data-conversation-id="{conv.pk}">' in html
    assert f'<td class="subject"><a href="{url}">My blender arrived broken</a></td>' in html
    assert '<li class="chip chip-language" title="Language: German">' in html
    assert '<li class="chip chip-kind chip-kind-complaint" data-testid="kind-chip">' in html
    assert "Kind: </span>Complaint</li>" in html and "Priority: </span>High priority</li>" in html
    assert '<li class="chip chip-pending">Triage pending</li>' in html
    assert 'Dana Ortiz <span class="handle">@customer' in html
    assert '<span class="status status-open" data-testid="row-status">Open</span>' in html
    assert f'<td data-testid="row-assignee">{alice.label}</td>' in html
    assert '<td data-testid="row-queue">Devices</td>' in html
    assert 'class="sla sla-overdue">12 min overdue</time>' in html
    assert '<td class="num">3</td>' in html
    assert "not-for-us-reason" not in html
    assert 'data-testid="not-for-us-reason">Spam</p>' in rows_html(
        load_list_columns([care_conversation(twitter, "buy now", kind="spam", not_for_us=True)]),
        not_for_us_view=True,
    )


@pytest.mark.django_db
def test_a_row_without_subject_customer_or_clock(twitter):
    conv = care_conversation(twitter, "x" * 150)
    conv.customer = None
    conv.save(update_fields=["customer"])
    html = rows_html(load_list_columns([conv]))
    assert f">{'x' * 99}…</a></td>" in html
    assert '<td data-testid="row-sla"><span class="muted">—</span></td>' in html
    assert '<td data-testid="row-assignee"><span class="muted">—</span></td>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{}, {"status": "open", "kind": "question", "channel": "<twitter & co>"}, {"priority": "nonsense"}],
)
def test_quick_selects_write_what_django_selects_write(data):
    Channel.objects.create(name="<twitter & co>", kind=ChannelKind.COMMUNITY)
    Channel.objects.create(name="email", kind=ChannelKind.EMAIL)
    ours = ConversationFilter(data, Channel.objects.order_by("name"))
    ours.is_valid()
    for name in ("channel", "status", "kind", "sentiment", "priority", "invites_reply"):
        field = ours.fields[name]
        assert isinstance(field.widget, QuickSelect)
        django_select = forms.Select(choices=field.widget.choices)
        django_select.attrs = field.widget.attrs
        bound = ours[name]
        expected = bound.as_widget(widget=django_select)
        assert str(bound) == expected, name


@pytest.mark.django_db
def test_channel_options_come_from_one_plain_query(client, alice, twitter):
    """The options Django's iterator gives, without its server-side cursor (on PostgreSQL:
    DECLARE, FETCH and CLOSE on every list page)."""
    Channel.objects.create(name="email", kind=ChannelKind.EMAIL)
    field = ConversationFilter({}, Channel.objects.order_by("name")).fields["channel"]
    stock = forms.models.ModelChoiceIterator(field)
    assert [(str(value), label) for value, label in field.choices] == [
        (str(value), label) for value, label in stock
    ]
    client.force_login(alice)
    client.get(reverse("web:conversations"))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("web:conversations")).content.decode()
    assert '<option value="email">email</option>' in page
    assert not [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("DECLARE")
    ]
