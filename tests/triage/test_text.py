"""Text hygiene: any input becomes a clean str, and copies of one message share one duplicate key."""

from townsquare.triage.text import MODEL_TEXT_LIMIT, clean, duplicate_key, normalize_for_duplicates


def test_non_text_input_becomes_empty():
    assert clean(None) == ""
    assert clean(42) == ""
    assert clean(b"bytes") == ""


def test_lone_surrogates_are_replaced_so_the_text_can_be_stored():
    cleaned = clean("broken \ud800 text")
    assert cleaned == "broken \ufffd text"
    cleaned.encode("utf-8")


def test_control_characters_go_but_newlines_and_tabs_stay():
    assert clean("a\x00b\x07c\x1bd\x7fe") == "abcde"
    assert clean("line one\r\nline two\tend") == "line one\nline two\tend"


def test_model_text_is_capped_but_the_full_text_is_available():
    long_text = "x" * (MODEL_TEXT_LIMIT + 10)
    assert len(clean(long_text)) == MODEL_TEXT_LIMIT
    assert len(clean(long_text, limit=None)) == MODEL_TEXT_LIMIT + 10


def test_cap_counts_characters_after_removing_controls():
    text = "\x00" * 10 + "y" * MODEL_TEXT_LIMIT
    assert clean(text) == "y" * MODEL_TEXT_LIMIT


def test_copies_with_other_links_punctuation_and_case_normalise_alike():
    assert normalize_for_duplicates("Great deal!!! http://x.co/1") == "great deal"
    assert duplicate_key("Great deal!!! http://x.co/1") == duplicate_key("great deal http://y.co/2")


def test_mentions_digits_and_emoji_do_not_make_a_new_message():
    first = "@alice Win 500 coins now 🔥🔥 www.spam.example/a"
    second = "@bob win 20 coins NOW!!"
    assert normalize_for_duplicates(first) == "win 0 coins now"
    assert duplicate_key(first) == duplicate_key(second)


def test_compatibility_forms_are_folded():
    assert normalize_for_duplicates("ＦＵＬＬ　ｗｉｄｔｈ") == "full width"
    assert normalize_for_duplicates("STRASSE") == normalize_for_duplicates("straße")


def test_different_messages_get_different_keys():
    assert duplicate_key("my order is late") != duplicate_key("my order is early")


def test_key_is_a_short_stable_hex_digest():
    key = duplicate_key("hello world")
    assert len(key) == 32
    int(key, 16)
    assert key == duplicate_key("Hello,   world!")


def test_nothing_left_gives_no_key():
    assert duplicate_key("") == ""
    assert duplicate_key("!!! 😀 http://x.co") == ""
    assert duplicate_key(None) == ""
