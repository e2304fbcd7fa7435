"""Grace reads what care cost in a fortnight, and what ambassadors and the community saved.

The figures are worked out by hand from six conversations and the cost model below.
"""

from datetime import UTC, datetime, timedelta

import pytest
from scipy import stats

from townsquare.events.log import record
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.insights.cost_model import update_model
from townsquare.insights.filters import Filters
from townsquare.insights.report import build_report

pytestmark = pytest.mark.django_db

SINCE = datetime(2026, 10, 1, tzinfo=UTC)
UNTIL = datetime(2026, 10, 15, tzinfo=UTC)  # 14 days


def conversation(cid: int, channel: Channel, day: int, *, assignee=None, peer: bool = False) -> None:
    at = SINCE + timedelta(days=day, hours=9)
    record("conversation.created", channel_id=channel.pk, conversation_id=cid, occurred_at=at, data={})
    record(
        "message.received",
        channel_id=channel.pk,
        conversation_id=cid,
        message_id=cid * 10,
        occurred_at=at,
        data={"direction": "in", "written_at": at.isoformat()},
    )
    if assignee is not None:
        record(
            "conversation.assigned",
            conversation_id=cid,
            occurred_at=at + timedelta(minutes=5),
            data={"assignee_id": assignee.pk},
        )
    if peer:
        record("community.peer_resolution", conversation_id=cid, occurred_at=at + timedelta(hours=1))


@pytest.fixture
def fortnight(grace, alice, bob):
    email = Channel.objects.create(name="mail", kind=ChannelKind.EMAIL)
    chat = Channel.objects.create(name="chat", kind=ChannelKind.LIVECHAT)
    update_model(
        grace,
        currency="EUR",
        by_role={"staff": 4, "ambassador": 1, "community": 0.5},
        by_channel={"email": 6},
        deflection_share=0.2,
    )
    conversation(1, email, 0, assignee=alice)  # staff, email: 6
    conversation(2, email, 1)  # nobody assigned: staff, email: 6
    conversation(3, chat, 2, assignee=alice)  # staff, chat: 4
    conversation(4, chat, 3, assignee=bob)  # ambassador: 1 (staff would be 4)
    conversation(5, email, 4, assignee=bob, peer=True)  # community: 0.5 (staff would be 6)
    conversation(6, chat, 5, peer=True)  # community: 0.5 (staff would be 4)
    # Outside the fortnight: not a contact of this period.
    conversation(7, email, 20, assignee=alice)


def cost_report() -> dict:
    return build_report(
        Filters(since=SINCE, until=UNTIL, include_not_for_us=True), sections=["cost"]
    ).as_json()["cost"]


def poisson(n: int) -> tuple[float, float]:
    low = 0.0 if n == 0 else stats.chi2.ppf(0.025, 2 * n) / 2
    return low, stats.chi2.ppf(0.975, 2 * n + 2) / 2


def test_cost_of_care_and_saving_by_hand(fortnight):
    cost = cost_report()
    figures = cost["figures"]
    assert cost["currency"] == "EUR"
    assert figures["contacts"]["value"] == 6
    assert figures["actual_cost"]["value"] == pytest.approx(6 + 6 + 4 + 1 + 0.5 + 0.5)
    assert figures["staff_only_cost"]["value"] == pytest.approx(6 + 6 + 4 + 4 + 6 + 4)
    assert figures["saving"]["value"] == pytest.approx(30 - 18)
    assert figures["cost_per_contact"]["value"] == pytest.approx(18 / 6)
    assert figures["actual_cost"]["unit"] == "money"
    assert figures["actual_cost"]["too_small"]  # six contacts: shown as not enough data

    by_handler = {row["key"]: row for row in cost["tables"][0]["rows"]}
    assert by_handler["staff"]["contacts"]["value"] == 3
    assert by_handler["staff"]["actual_cost"]["value"] == pytest.approx(16)
    assert by_handler["ambassador"]["actual_cost"]["value"] == pytest.approx(1)
    assert by_handler["ambassador"]["saving"]["value"] == pytest.approx(3)
    assert by_handler["community"]["contacts"]["value"] == 2
    assert by_handler["community"]["staff_cost"]["value"] == pytest.approx(10)
    assert by_handler["community"]["saving"]["value"] == pytest.approx(9)
    assert by_handler["community"]["share"]["value"] == pytest.approx(2 / 6)

    by_kind = {row["key"]: row for row in cost["tables"][1]["rows"]}
    assert by_kind["email"]["actual_cost"]["value"] == pytest.approx(6 + 6 + 0.5)
    assert by_kind["livechat"]["staff_cost"]["value"] == pytest.approx(4 + 4 + 4)
    assert by_kind["email"]["drill"] == {"channel": str(Channel.objects.get(name="mail").pk)}


def test_yearly_projection_scales_with_poisson_intervals(fortnight):
    figures = cost_report()["figures"]
    scale = 365 / 14
    per_year = figures["contacts_per_year"]
    assert per_year["value"] == pytest.approx(6 * scale)
    assert per_year["ci95"] == pytest.approx([end * scale for end in poisson(6)], rel=1e-5)
    # Saved per year: ambassadors save 3 a contact (1 contact), the community 4.5 (2 contacts);
    # each count's Poisson interval, scaled, and the ends added (no readers: nothing deflected).
    saving = figures["saving_per_year"]
    assert saving["value"] == pytest.approx(12 * scale)
    amb, com = poisson(1), poisson(2)
    assert saving["ci95"] == pytest.approx(
        [(3 * amb[0] + 4.5 * com[0]) * scale, (3 * amb[1] + 4.5 * com[1]) * scale], rel=1e-5
    )
    assert figures["deflected_per_year"]["value"] is None


def test_a_period_shorter_than_a_week_has_no_yearly_projection(fortnight):
    short = build_report(
        Filters(since=SINCE, until=SINCE + timedelta(days=5), include_not_for_us=True), sections=["cost"]
    ).as_json()["cost"]
    assert short["figures"]["contacts"]["value"] == 5
    assert short["figures"]["saving_per_year"]["value"] is None
    assert short["figures"]["saving_per_year"]["too_small"]
    assert any("shorter than 7 days" in note for note in short["notes"])


def test_the_defaults_come_from_the_settings(settings, alice):
    settings.COST_STAFF = 10.0
    settings.COST_CURRENCY = "USD"
    chat = Channel.objects.create(name="chat", kind=ChannelKind.LIVECHAT)
    conversation(1, chat, 0, assignee=alice)
    cost = cost_report()
    assert cost["currency"] == "USD"
    assert cost["figures"]["actual_cost"]["value"] == pytest.approx(10.0)
    assert any("10 USD when staff handle it" in line for line in cost["assumptions"])


def test_money_labels_name_the_currency(fortnight):
    cost = cost_report()
    assert cost["labels"]["actual_cost"] == "Cost of care (EUR)"
    assert cost["labels"]["contacts"] == "Contacts"
    assert cost["tables"][0]["columns"][0] == "contacts"
