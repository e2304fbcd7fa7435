"""Whatever arrives — empty, emoji, 1 MB, lone surrogates, mixed scripts, RTL — triage gives defined labels."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.triage.labels import KINDS, PRIORITIES, SENTIMENTS, UNDETERMINED, Labels
from townsquare.triage.pii import mask
from townsquare.triage.pipeline import triage, triage_fast

LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")

ANY_CHARACTER = st.characters(codec=None, categories=None)  # includes lone surrogates (Cs)
EMOJI = st.sampled_from("😀😡👍🔥💳📦🙏🤬❤️🇪🇸👩‍💻")
RTL = st.sampled_from(["مرحبا، أين طلبي؟", "שלום, ההזמנה שלי לא הגיעה", "سفارش من کجاست"])
URL = st.from_regex(r"https?://[a-z]{1,12}\.(com|io|es)/[a-zA-Z0-9]{0,12}", fullmatch=True)
SCRIPTS = st.sampled_from(
    ["my order", "mi pedido", "我的订单", "заказ", "注文", "주문", "Bestellung", "طلبي"]
)

TEXTS = st.one_of(
    st.text(ANY_CHARACTER, max_size=300),
    st.lists(EMOJI, max_size=20).map("".join),
    st.lists(URL, min_size=1, max_size=4).map(" ".join),
    st.lists(st.one_of(SCRIPTS, RTL, EMOJI, URL), max_size=12).map(" ".join),
    st.just(""),
    st.sampled_from([None, 42, b"bytes", "   ", "\x00\x00", "?", "!!!", "@acme", "#hashtag"]),
)


def assert_defined(labels: Labels, source: object) -> None:
    assert labels.language == UNDETERMINED or LANGUAGE_CODE.match(labels.language), labels.language
    assert labels.kind in KINDS
    assert labels.sentiment in SENTIMENTS
    assert labels.priority in PRIORITIES
    for score in (
        labels.language_score,
        labels.kind_score,
        labels.invites_reply_score,
        labels.sentiment_score,
        labels.spam_score,
        labels.promo_score,
    ):
        assert 0.0 <= score <= 1.0
    assert isinstance(labels.invites_reply, bool)
    text = source if isinstance(source, str) else ""
    previous_end = 0
    for span in labels.pii:
        assert previous_end <= span.start < span.end <= len(text)
        previous_end = span.end
    assert labels.as_dict()["kind"] == labels.kind


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXTS, min_size=1, max_size=8))
def test_fast_path_labels_every_input(texts):
    results = triage_fast(texts)
    assert len(results) == len(texts)
    for labels, source in zip(results, texts, strict=True):
        assert_defined(labels, source)
        assert not labels.semantic


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXTS, min_size=1, max_size=6))
def test_both_paths_label_every_input(texts):
    results = triage(texts)
    assert len(results) == len(texts)
    for labels, source in zip(results, texts, strict=True):
        assert_defined(labels, source)
        assert labels.semantic
        assert labels.duplicate_group is not None
        assert len(labels.intents) <= 3


@settings(max_examples=200, deadline=None)
@given(st.text(ANY_CHARACTER, max_size=400))
def test_mask_never_raises_and_hides_every_span(text):
    masked = mask(text)
    assert isinstance(masked, str)


def test_one_megabyte_message_is_labelled():
    text = ("My router keeps dropping the connection, order 12345678. " * 20_000)[:1_000_000]
    [labels] = triage([text])
    assert_defined(labels, text)
    assert labels.language == "en"


def test_empty_and_emoji_only_are_undetermined_language():
    results = triage_fast(["", "😀😀👍", "https://example.com/x"])
    assert [labels.language for labels in results] == [UNDETERMINED] * 3


def test_empty_batch():
    assert triage([]) == []
    assert triage_fast([]) == []
