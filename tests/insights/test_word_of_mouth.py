"""Carol reads word of mouth: how customers feel, and what the brand's marketing posts did to it.

Each conversation is built from an import: a customer tweet, the brand's post answering it, and
the customer's replies; triage's sentiments arrive as a `triage.labelled` event. Every expected
figure is counted by hand from the fixture's own lists.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest

from townsquare.events.log import record
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.insights.brand_posts import score_pending
from townsquare.insights.figures import proportion
from townsquare.insights.filters import build_filters
from townsquare.insights.frame import load_frame
from townsquare.insights.models import ConversationFact, MessageFact
from townsquare.insights.projection import rebuild, refresh
from townsquare.insights.report import build_report
from townsquare.insights.wom_columns import unpack

pytestmark = pytest.mark.django_db

COUPON_BLAST = "Flash sale this weekend! Use code SAVE20 for 20% off everything. Shop now, limited time only!"
SUPPORT_ANSWER = (
    "Sorry about that. Please DM us your order number and we will look into the delivery for you."
)
WORDS = {-1: "negative", 0: "neutral", 1: "positive"}
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def conversation(channel, name: str, at: datetime, before: list[int], post: str, after: list[int]) -> list:
    """Store one thread: customer messages `before`, the brand's post, customer messages `after`;
    return [(message id, sentiment)] of the customer messages."""
    messages, sentiments, parent = [], [], None
    for index, sentiment in enumerate(before):
        messages.append(("in", f"{name}-b{index}", "my order is late", sentiment))
    messages.append(("out", f"{name}-post", post, None))
    for index, sentiment in enumerate(after):
        messages.append(("in", f"{name}-a{index}", "ok", sentiment))
    inbound = []
    for step, (direction, external_id, text, _) in enumerate(messages):
        author = "acme" if direction == "out" else f"{name}-customer"
        inbound.append(
            InboundMessage(
                external_id=external_id,
                author_id=author,
                text=text,
                created_at=at + timedelta(minutes=10 * step),
                direction=direction,
                parent_external_id=parent,
            )
        )
        parent = external_id
    result = store_messages(channel, inbound, source="test")
    ids = {external_id: message_id for external_id, _, message_id in result.outcomes}
    for direction, external_id, _, sentiment in messages:
        if direction == "in":
            sentiments.append((ids[external_id], sentiment))
    return sentiments


def label(sentiments: list) -> None:
    """Triage's fast path says what each customer message feels."""
    record(
        "triage.labelled",
        data={"path": "fast", "sentiments": [[mid, WORDS[value], 0.9] for mid, value in sentiments]},
    )


def wom(**filters) -> dict:
    refresh()
    return build_report(build_filters(**filters), sections=["word_of_mouth"]).as_json()["word_of_mouth"]


# Marketing posts are followed by sourer replies, help posts by warmer ones.
MARKETING_BEFORE = [0, 1, 0, 0, 1, 0, 0, 1, 0, -1, 0, 1]
MARKETING_AFTER = [-1, -1, 0, -1, 0, -1, -1, -1, 0, -1, -1, 0]
HELP_BEFORE = [-1, -1, 0, -1, 0, -1, -1, 0, -1, 0, -1, -1]
HELP_AFTER = [1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1]


def build_arms(channel, marketing: int = 12, helping: int = 12) -> None:
    sentiments = []
    for index in range(marketing):
        at = START + timedelta(hours=index)
        sentiments += conversation(
            channel, f"m{index}", at, [MARKETING_BEFORE[index]], COUPON_BLAST, [MARKETING_AFTER[index]]
        )
    for index in range(helping):
        at = START + timedelta(hours=index, minutes=5)
        sentiments += conversation(
            channel, f"h{index}", at, [HELP_BEFORE[index]], SUPPORT_ANSWER, [HELP_AFTER[index]]
        )
    label(sentiments)


def test_marketing_posts_sour_word_of_mouth_by_the_hand_computed_difference(twitter):
    build_arms(twitter)
    section = wom()
    marketing_change = (sum(MARKETING_AFTER) - sum(MARKETING_BEFORE)) / 12
    help_change = (sum(HELP_AFTER) - sum(HELP_BEFORE)) / 12
    did = section["figures"]["did"]
    assert did["value"] == pytest.approx(marketing_change - help_change)
    assert did["value"] < 0
    assert did["arms"] == {"marketing": 12, "help": 12}
    assert did["n"] == 24
    assert not did["too_small"]
    low, high = did["ci95"]
    assert low <= did["value"] <= high
    # The difference is large against its spread: the interval stays below zero.
    assert high < 0
    assert section["figures"]["change_after_marketing"]["value"] == pytest.approx(marketing_change)
    assert section["figures"]["change_after_help"]["value"] == pytest.approx(help_change)
    rows = {row["key"]: row for row in section["tables"][0]["rows"]}
    assert rows["marketing"]["sentiment_before"]["value"] == pytest.approx(sum(MARKETING_BEFORE) / 12)
    assert rows["help"]["sentiment_after"]["value"] == pytest.approx(sum(HELP_AFTER) / 12)
    assert section["figures"]["marketing_posts"]["value"] == 12
    assert section["figures"]["help_posts"]["value"] == 12
    assert "observational" in section["method"].lower()
    json.dumps(section)  # the API and `report --json` print it as it is


def test_small_arms_say_not_enough_data(twitter):
    build_arms(twitter, marketing=3, helping=12)
    section = wom()
    did = section["figures"]["did"]
    assert did["arms"] == {"marketing": 3, "help": 12}
    assert did["too_small"]
    assert any("difference-in-differences" in note for note in section["notes"])


def test_only_the_next_customer_messages_after_a_post_count(twitter):
    # Before: 1; after the help post: three positive, then two negative beyond the window.
    label(conversation(twitter, "w", START, [0, -1], SUPPORT_ANSWER, [1, 1, 1, -1, -1]))
    section = wom()
    rows = {row["key"]: row for row in section["tables"][0]["rows"]}
    assert rows["help"]["sentiment_before"]["value"] == pytest.approx((0 + -1) / 2)
    assert rows["help"]["sentiment_after"]["value"] == pytest.approx(1.0)
    assert rows["help"]["change"]["value"] == pytest.approx(1.5)
    assert rows["marketing"]["conversations"]["value"] == 0


def test_a_later_marketing_post_is_the_one_compared(twitter):
    # Help first, then a pitch: the customer's messages around the pitch are the ones compared.
    messages = [
        InboundMessage("x0", "cust", "where is my parcel", START, "in"),
        InboundMessage(
            "x1", "acme", SUPPORT_ANSWER, START + timedelta(minutes=1), "out", parent_external_id="x0"
        ),
        InboundMessage("x2", "cust", "thanks", START + timedelta(minutes=2), "in", parent_external_id="x1"),
        InboundMessage(
            "x3", "acme", COUPON_BLAST, START + timedelta(minutes=3), "out", parent_external_id="x2"
        ),
        InboundMessage(
            "x4", "cust", "stop spamming me", START + timedelta(minutes=4), "in", parent_external_id="x3"
        ),
    ]
    ids = {e: m for e, _, m in store_messages(twitter, messages, source="test").outcomes}
    label([(ids["x0"], -1), (ids["x2"], 1), (ids["x4"], -1)])
    rows = {row["key"]: row for row in wom()["tables"][0]["rows"]}
    assert rows["marketing"]["conversations"]["value"] == 1
    assert rows["marketing"]["sentiment_before"]["value"] == pytest.approx((-1 + 1) / 2)
    assert rows["marketing"]["sentiment_after"]["value"] == pytest.approx(-1.0)
    assert rows["help"]["conversations"]["value"] == 0


def test_brand_posts_wait_for_scoring_then_the_impact_counts_them(twitter):
    label(conversation(twitter, "p", START, [0, 1], COUPON_BLAST, [-1]))
    conversation(twitter, "q", START, [0], SUPPORT_ANSWER, [])
    refresh()
    # The fold does no text work: brand posts are folded unscored, and the section says so.
    assert set(MessageFact.objects.filter(direction="out").values_list("promo_score", flat=True)) == {None}
    waiting = build_report(build_filters(), sections=["word_of_mouth"], fresh=False).as_json()
    section = waiting["word_of_mouth"]
    assert section["figures"]["marketing_posts"]["value"] == 0
    assert {row["key"]: row for row in section["tables"][0]["rows"]}["marketing"]["conversations"][
        "value"
    ] == 0
    assert any("not scored for promotion yet: 2" in note for note in section["notes"])

    assert score_pending() == 2
    assert score_pending() == 0
    scores = dict(MessageFact.objects.filter(direction="out").values_list("message_id", "promo_score"))
    from townsquare.inbox.models import Message
    from townsquare.replies.guard import PROMO_THRESHOLD

    texts = dict(Message.objects.filter(pk__in=scores).values_list("pk", "text"))
    by_text = {texts[mid]: score for mid, score in scores.items()}
    assert by_text[COUPON_BLAST] >= PROMO_THRESHOLD
    assert by_text[SUPPORT_ANSWER] < PROMO_THRESHOLD
    # Customer messages are triage's business, not the promotion scorer's.
    assert not MessageFact.objects.filter(direction="in", promo_score__isnull=False).exists()
    section = build_report(build_filters(), sections=["word_of_mouth"], fresh=False).as_json()[
        "word_of_mouth"
    ]
    assert section["figures"]["marketing_posts"]["value"] == 1
    assert section["figures"]["help_posts"]["value"] == 1
    rows = {row["key"]: row for row in section["tables"][0]["rows"]}
    # Before the pitch: 0 and +1 (mean 0.5); after it: −1. The help post has nothing after it.
    assert rows["marketing"]["conversations"]["value"] == 1
    assert rows["marketing"]["sentiment_before"]["value"] == pytest.approx(0.5)
    assert rows["marketing"]["change"]["value"] == pytest.approx(-1.5)
    assert rows["help"]["conversations"]["value"] == 0
    assert not any("not scored" in note for note in section["notes"])
    rebuild()
    again = dict(MessageFact.objects.filter(direction="out").values_list("message_id", "promo_score"))
    assert again == scores


def test_a_sentiment_folded_in_a_later_batch_updates_the_summary(twitter):
    sentiments = conversation(twitter, "r", START, [-1, 0], SUPPORT_ANSWER, [1])
    refresh()
    score_pending()
    fact = ConversationFact.objects.get()
    assert (fact.wom_negative, fact.wom_before_n, fact.wom_after_n, fact.wom_post_kind) == (0, 0, 0, "help")
    # Triage labels the messages after they were folded: a later batch, message facts already written.
    label(sentiments)
    refresh()
    fact.refresh_from_db()
    assert (fact.wom_negative, fact.wom_neutral, fact.wom_positive) == (1, 1, 1)
    assert (fact.wom_before_sum, fact.wom_before_n, fact.wom_after_sum, fact.wom_after_n) == (-1, 2, 1, 1)
    rows = {row["key"]: row for row in wom()["tables"][0]["rows"]}
    assert rows["help"]["change"]["value"] == pytest.approx(1 - (-1 + 0) / 2)
    # The frame gets the summary packed by the database: it unpacks to the same values. The post
    # is the third message, 20 minutes after the start.
    summary = unpack(load_frame(build_filters()))
    assert {name: values.tolist() for name, values in summary.items() if name != "wom_post_at"} == {
        "wom_negative": [1],
        "wom_neutral": [1],
        "wom_positive": [1],
        "wom_marketing_posts": [0],
        "wom_help_posts": [1],
        "wom_unscored_posts": [0],
        "wom_post_kind": [1],
        "wom_before_sum": [-1],
        "wom_before_n": [2],
        "wom_after_sum": [1],
        "wom_after_n": [1],
    }
    assert summary["wom_post_at"].tolist() == [(START + timedelta(minutes=20)).timestamp()]


def test_sentiment_series_counts_customer_messages_per_local_day(twitter):
    # New York is UTC−5 in early March: 03:00 UTC on the 3rd is still the 2nd there.
    plan = [
        (datetime(2026, 3, 2, 15, 0, tzinfo=UTC), [-1, 1, 0]),
        (datetime(2026, 3, 3, 3, 0, tzinfo=UTC), [-1, -1]),
        (datetime(2026, 3, 3, 16, 0, tzinfo=UTC), [1, 1, 0, -1]),
    ]
    sentiments = []
    for index, (at, values) in enumerate(plan):
        sentiments += conversation(twitter, f"s{index}", at, values, SUPPORT_ANSWER, [])
    label(sentiments)
    section = wom(period="day", time_zone="America/New_York")
    series = {item["name"]: {p["x"]: p["y"] for p in item["points"]} for item in section["series"]}
    # 2026-03-02 local: [-1, 1, 0] and [-1, -1]; 2026-03-03 local: [1, 1, 0, -1].
    assert series["negative_share"]["2026-03-02"]["value"] == pytest.approx(3 / 5)
    assert series["negative_share"]["2026-03-02"]["n"] == 5
    assert series["positive_share"]["2026-03-02"]["value"] == pytest.approx(1 / 5)
    assert series["net_sentiment"]["2026-03-02"]["value"] == pytest.approx((1 - 3) / 5)
    # The same exact interval the report gives any share (Clopper–Pearson).
    assert series["negative_share"]["2026-03-02"]["ci95"] == proportion(3, 5).as_dict()["ci95"]
    assert series["negative_share"]["2026-03-03"]["value"] == pytest.approx(1 / 4)
    assert series["net_sentiment"]["2026-03-03"]["value"] == pytest.approx((2 - 1) / 4)
    low, high = series["net_sentiment"]["2026-03-03"]["ci95"]
    assert low <= 0.25 <= high
    assert section["figures"]["negative_share"]["value"] == pytest.approx(4 / 9)
    assert section["figures"]["net_sentiment"]["value"] == pytest.approx((3 - 4) / 9)


def test_filters_narrow_the_messages_read(twitter, hook):
    label(conversation(twitter, "t", START, [-1, -1], SUPPORT_ANSWER, []))
    label(conversation(hook, "u", START, [1], SUPPORT_ANSWER, []))
    section = wom(channel=[str(hook.pk)])
    assert section["figures"]["positive_share"]["value"] == 1.0
    assert section["figures"]["positive_share"]["n"] == 1
    later = wom(since="2026-04-01")
    assert later["figures"]["net_sentiment"]["n"] == 0
    assert any("no customer message" in note for note in later["notes"])


def test_time_series_measures_the_jump_on_a_marketing_day(twitter):
    # A week at net +0.5 a day, a coupon blast on day 7, then a week at net −0.5 a day.
    sentiments = []
    for day in range(14):
        at = START + timedelta(days=day)
        post = COUPON_BLAST if day == 7 else SUPPORT_ANSWER
        values = [1, 0] if day < 7 else [-1, 0]
        sentiments += conversation(twitter, f"d{day}", at, values, post, [])
    label(sentiments)
    section = wom(period="day", time_zone="UTC")
    level, slope = section["figures"]["its_level_change"], section["figures"]["its_slope_change"]
    assert level["value"] == pytest.approx(-0.5 - 0.5)
    assert slope["value"] == pytest.approx(0.0, abs=1e-9)
    assert level["n"] == 14
    assert section["figures"]["marketing_posts"]["value"] == 1


def test_promotion_scores_follow_the_guard():
    from townsquare.insights.promo_folds import marketing_threshold, promo_scores
    from townsquare.replies.guard import PROMO_THRESHOLD

    summer_sale = "Big summer sale: up to 50% off all shoes this weekend only. Treat yourself!"
    scores = promo_scores([COUPON_BLAST, SUPPORT_ANSWER, summer_sale, SUPPORT_ANSWER, ""])
    assert marketing_threshold() == PROMO_THRESHOLD
    # An explicit pitch is marketing even where the model alone is unsure, as in the guard.
    assert scores[0] == 1.0 and scores[2] == 1.0
    assert scores[1] < PROMO_THRESHOLD
    assert scores[3] == scores[1]
    assert scores[4] == 0.0


def test_a_corrected_sentiment_counts_as_corrected(twitter):
    [(message_id, _)] = conversation(twitter, "k", START, [-1], SUPPORT_ANSWER, [])
    label([(message_id, -1)])
    assert wom()["figures"]["negative_share"]["value"] == 1.0
    # An agent corrects triage: the customer was pleased, not upset.
    record("triage.corrected", message_id=message_id, data={"field": "sentiment", "new_value": "positive"})
    figures = wom()["figures"]
    assert figures["negative_share"]["value"] == 0.0
    assert figures["positive_share"]["value"] == 1.0
    assert figures["positive_share"]["n"] == 1


def test_net_sentiment_of_a_large_period_has_the_normal_interval():
    from townsquare.insights.word_of_mouth import net_sentiments

    # 300 negative, 400 neutral, 500 positive: net 200/1200; a resampled net share has variance
    # (p₊ + p₋ − net²) / n, so the 95% interval is net ± 1.96 standard errors.
    [figure] = net_sentiments([[300, 400, 500]])
    net = 200 / 1200
    half = 1.959963984540054 * ((500 / 1200 + 300 / 1200 - net**2) / 1200) ** 0.5
    assert figure.value == pytest.approx(net)
    assert figure.n == 1200
    assert figure.ci95 == pytest.approx((net - half, net + half))


def test_the_periodic_insights_job_scores_the_waiting_brand_posts(twitter):
    from townsquare.ops.periodic import refresh_insights

    label(conversation(twitter, "j", START, [1], COUPON_BLAST, [-1]))
    refresh_insights()
    [score] = MessageFact.objects.filter(direction="out").values_list("promo_score", flat=True)
    assert score == 1.0  # an explicit pitch (a code, a discount)
    fact = ConversationFact.objects.get()
    assert (fact.wom_post_kind, fact.wom_marketing_posts, fact.wom_unscored_posts) == ("marketing", 1, 0)
    assert (fact.wom_before_sum, fact.wom_after_sum) == (1, -1)
