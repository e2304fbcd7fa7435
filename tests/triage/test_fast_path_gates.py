"""Cheap gates skip regex scans that cannot match; a gate must never hide a match."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.triage import features, pii
from townsquare.triage.pii import find_pii

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "triage" / "fast_path"
DENSE_CAPS = features.DENSE_FEATURES.index("caps_ratio")
ODD = [
    "dana@example.com",
    "mail first.last+tag@mail.example.org now",
    "x-y_z@ex.co.uk",
    "@dana_help hi",
    "RT @acme: we are ON IT",
    "reach me at me@ex.de or @me",
    "A1 B2 OK NOW",
    "Ünïcode ÀB",
    "",
]


@pytest.fixture(scope="module")
def samples() -> list[str]:
    with (FIXTURES / "texts.jsonl").open(encoding="utf-8") as handle:
        texts = [json.loads(line) for line in handle]
    return [text for text in texts if isinstance(text, str)] + ODD


def test_email_gate_lets_every_email_through(samples):
    for text in samples:
        if pii._EMAIL.search(text):
            assert pii._AT_AFTER_ADDRESS_CHARACTER.search(text), text


def test_a_mention_alone_does_not_open_the_email_gate():
    assert pii._AT_AFTER_ADDRESS_CHARACTER.search("@dana_help hi @acme") is None
    assert find_pii("@dana_help my order is late") == ()
    assert [span.kind for span in find_pii("@dana_help write to dana@example.com")] == ["email"]


def test_capitals_gate_lets_every_capitalised_word_through(samples):
    for text in samples:
        if features._CAPS_WORD.search(text):
            assert features._TWO_CAPITALS.search(text), text
    assert features.dense_features("WHY is it DOWN")[DENSE_CAPS] == pytest.approx(0.5)


def test_urgency_tokens_match_the_regex_they_replace(samples):
    from townsquare.triage.urgency import _WORD, _tokens

    extra = ["didn’t authorise it!!", "a_b c__d ½ ² ٣ x²", "not-hacked,really", "l'abbonamento\tand\u2003em"]
    for text in samples + extra:
        assert _tokens(text) == _WORD.findall(text.lower().replace("’", "'")), text


def test_mention_pattern_starting_at_the_at_sign_replaces_what_the_look_behind_one_did(samples):
    import re

    look_behind = re.compile(r"(?<!\w)@\w+")
    for text in samples + ["a@b @c x@ @", "@start and mail@me.com", "é@x @é"]:
        assert features._MENTION.sub(" _m_ ", text) == look_behind.sub(" _m_ ", text), text


def test_one_scan_for_several_cue_lists_finds_what_each_list_finds_alone(samples):
    import re

    from townsquare.triage import classify
    from townsquare.triage.cue_regex import CueSet

    lists = {
        "problem": classify._PROBLEM,
        "praise": classify._PRAISE,
        "help_request": classify._HELP_REQUEST,
        "second_person": classify._SECOND_PERSON,
        "marks": r"\b(?:[!?]{2}|error\b|no (?:signal|service))\b",
    }
    cues = CueSet(lists)
    plain = [re.compile(pattern) for pattern in lists.values()]
    extra = ["thanks, it is not working", "u broke it", "help!! error", "terror", "no signal!!", "ok you"]
    for text in [sample.lower() for sample in samples] + extra:
        assert cues.search(text) == tuple(bool(p.search(text)) for p in plain), text
    # A later list's cue after an earlier list's one is still found (each list searched on its own).
    assert cues.search("thanks, it is not working and you know it") == (True, True, False, True, False)


def test_cue_lists_led_by_word_characters_scan_after_a_non_word_character(samples):
    import re

    from townsquare.triage import classify
    from townsquare.triage.cue_regex import CueSet, cue_regex

    lists = {"problem": classify._PROBLEM, "numbers": r"\b(?:3rd time|u|_x|y'all)\b"}
    cues = CueSet(lists)
    assert cues._padded
    plain = [re.compile(pattern) for pattern in lists.values()]
    extra = ["u", "3rd time", "the 3rd time", "x3rd time", "_x", "a_x", "(_x)", "y'all", "helpu", "\nbroken"]
    for text in [sample.lower() for sample in samples] + extra:
        assert cues.search(text) == tuple(bool(p.search(text)) for p in plain), text
        assert cues.anywhere(text) == any(p.search(text) for p in plain), text
    with pytest.raises(ValueError):
        cue_regex(r"\b(?:[!?]{2}|help)", after_non_word=True)


def test_urgency_gate_never_hides_a_cue(samples):
    from townsquare.triage import urgency

    phrases = [" ".join(cue.split()) for cues in urgency.URGENCY_CUES.values() for cue in cues]
    extra = [f"{cue}!" for cue in phrases] + [f"«{cue.replace(' ', ' -- ')}»" for cue in phrases]
    extra += ["didn’t authorise this", "NOT HACKED", "x'in brand", "in_brand", "3rd  time"]
    for text in samples + extra:
        lowered = urgency._lowered(text)
        walked = urgency._cues_in(urgency._tokens_of_lowered(lowered))
        if walked:
            assert urgency._ANY_CUE.anywhere(lowered), text
        assert urgency.find_urgency(text) == walked, text
    assert all(urgency.find_urgency(f"«{cue}»") for cue in phrases)


def test_id_candidates_are_the_alphanumeric_runs_that_hold_a_digit(samples):
    import re

    plain = re.compile(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9-]{3,24}[A-Za-z0-9](?![\w-])")
    extra = ["order AB-12345 and ABCDE-FGHIJ", "ref x1234é 9abcd abcd9 ab-cd-ef-1", "a" * 30 + "1 id-9999-"]
    for text in samples + extra:
        expected = [m.span() for m in plain.finditer(text) if any(c.isdigit() for c in m.group(0))]
        assert [m.span() for m in pii._ID_CANDIDATE.finditer(text)] == expected, text


def test_digit_gates_start_at_the_first_digit():
    assert [span.kind for span in find_pii("Z9 call me on +44 20 7946 0958")] == ["phone"]
    assert [span.kind for span in find_pii("SW1A 1AA is the postcode")] == ["postal_code"]
    assert find_pii("A1") == () and find_pii("1A") == ()


def test_english_function_words_are_found_as_whole_tokens_like_the_token_list_did(samples):
    import re

    from townsquare.triage import language

    tokens = re.compile(r"[\w']+")
    extra = [
        "it's the thing",
        "its the",
        "the'the to",
        "I'M NOT",
        "don't_you",
        "x-the-to",
        "the the",
        "thé to",
    ]
    for text in samples + extra:
        listed = language.ENGLISH_FUNCTION_WORDS.intersection(tokens.findall(text[:150].lower()))
        assert language._is_english_enough(text) == (len(listed) >= 2), text


def test_ascii_text_is_decided_by_its_letter_count_alone():
    from townsquare.triage.language import _decide_by_script

    assert _decide_by_script("a1 b2") == ("und", 0.0)
    assert _decide_by_script("12 !! ab") == ("und", 0.0)
    assert _decide_by_script("1a-b-c") is None
    assert _decide_by_script("ab é") is None and _decide_by_script("aé") == ("und", 0.0)


def test_capitalised_words_are_counted_as_the_plain_pattern_counts_them(samples):
    import re

    plain = re.compile(r"\b[A-Z]{2,}\b")
    extra = ["WHY is it DOWN", "ABc AB_C ÀBC AB1 A B AB", "xAB AB-CD", "OK", "ÉAB AB"]
    for text in samples + extra:
        assert len(features._CAPS_WORD.findall(text)) == len(plain.findall(text)), text


_PIECES = st.one_of(
    st.sampled_from(
        ["you", "u", "not working", "thanks", "help", "3rd time", "fire", "no", "didn’t authorise"]
    ),
    st.sampled_from([" ", "  ", "\n", "!", "'", "’", "_", "-", "é", "\u0301", "😀", "x", "Ü", "1"]),
    st.text(max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_cue_scans_agree_with_the_plain_patterns_on_any_text(text):
    import re

    from townsquare.triage import classify, urgency

    lowered = text.lower()
    lists = (classify._PROBLEM, classify._SUGGESTION, classify._PRAISE, classify._HELP_REQUEST)
    plain = tuple(re.search(pattern, lowered) is not None for pattern in (*lists, classify._SECOND_PERSON))
    assert classify._CUE_LISTS.search(lowered) == plain
    walked = urgency._cues_in(urgency._tokens(text))
    assert urgency.find_urgency(text) == walked
