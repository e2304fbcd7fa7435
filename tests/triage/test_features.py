"""The shared feature matrix: normalisation, cheap dense cues, spaceless scripts."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.triage.features import DENSE_FEATURES, FEATURE_COUNT, dense_features, featurize, normalise


def test_urls_mentions_and_numbers_become_one_token_each():
    assert normalise("@Acme order 12345 see https://x.co/a?b=1").split() == [
        "_mention_",
        "order",
        "_num_",
        "see",
        "_url_",
    ]


def test_one_row_per_text_with_every_feature_column():
    matrix = featurize(["hello there", "", "¿dónde está mi pedido?"])
    assert matrix.shape == (3, FEATURE_COUNT)
    assert matrix.dtype == np.float32


def test_chinese_is_split_into_characters_so_similar_texts_share_features():
    first, second = featurize(["我的订单没有到", "订单没有到达"])
    shared = set(first.indices) & set(second.indices)
    assert len(shared) >= 3


def test_dense_cues_see_who_is_addressed_and_shouting():
    cues = dict(zip(DENSE_FEATURES, dense_features("@acme WHY is YOUR app down?!"), strict=True))
    assert cues["starts_with_mention"] == 1.0
    assert cues["second_person"] == 1.0
    assert cues["caps_ratio"] > 0.2
    assert cues["questions"] > 0 and cues["exclamations"] > 0
    assert dense_features("lol same")[DENSE_FEATURES.index("starts_with_mention")] == 0.0


def test_hashed_ngrams_are_sklearns_hashing_vectorizer_bit_for_bit():
    # The shipped heads were trained on HashingVectorizer's matrix; hashed_ngrams builds it faster.
    from townsquare.triage.features import hashed_ngrams

    texts = [
        normalise(text)
        for text in [
            "@Acme my order 12345 never arrived!! why?",
            "¿dónde está mi pedido? 😡😡",
            "我的订单没有到 again again again",
            "",
            "!?",
            "x" * 300,
            "der Zähler läuft, die Straße ist gesperrt",
            "مرحبا طلبي لم يصل",
            "a_b!c?d  e\tf\x01g\x7fh __ !!?? x-y.z",
        ]
    ]
    expected = _hashing_vectorizer().transform(texts)
    actual = hashed_ngrams(texts)
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    assert np.array_equal(actual.indptr, expected.indptr)
    assert np.array_equal(actual.indices, expected.indices)
    assert np.array_equal(actual.data, expected.data)


def test_rows_are_normalised_and_stacked_exactly_as_sklearn_and_scipy_do():
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize as sklearn_normalize

    from townsquare.triage.features import _normalize_rows_l2, _with_dense_columns, hashed_ngrams

    # A feature counted past 4096 has a square that float32 rounds: the same rounding is kept.
    texts = ["! " * 5000, "", "a b a b a", "word", "", "x " * 300 + "y"]
    counts = hashed_ngrams(texts)  # normalised already: put the counts back to test the step
    assert counts.indptr.tolist() == [0, 2, 2, 6, 7, 7, 11]
    counts.data[:] = [5000, 4999, 3, 2, 2, 2, 1, 300, 299, 1, 1]
    ours = counts.copy()
    _normalize_rows_l2(ours)
    theirs = sklearn_normalize(counts, norm="l2", copy=True)
    assert np.array_equal(ours.data, theirs.data)

    dense = np.array([[0, 1.5, 0], [0, 0, 0], [2, 0, 3], [1, 1, 1], [0, 0, 0], [0, 0, 7]], dtype=np.float32)
    dense = np.pad(dense, ((0, 0), (0, len(DENSE_FEATURES) - 3)))
    stacked = _with_dense_columns(ours, dense)
    expected = sp.hstack([ours, sp.csr_matrix(dense)], format="csr", dtype=np.float32)
    assert stacked.shape == expected.shape == (len(texts), FEATURE_COUNT)
    assert np.array_equal(stacked.indptr, expected.indptr)
    assert np.array_equal(stacked.indices, expected.indices)
    assert np.array_equal(stacked.data, expected.data)
    assert featurize([]).shape == (0, FEATURE_COUNT)


def test_a_lone_surrogate_never_reaches_the_hash():
    # mmh3 would crash on one; tokens are word characters and "!"/"?", which a surrogate is not.
    from townsquare.triage.features import _WORDS_AND_MARKS

    text = "broken \ud800 text \udfff!"
    assert all(token.isascii() for token in _WORDS_AND_MARKS.findall(normalise(text)))
    assert featurize([text]).shape == (1, FEATURE_COUNT)


def _hashing_vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    from townsquare.triage.features import _WORDS_AND_MARKS, HASHED_FEATURES

    return HashingVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        token_pattern=_WORDS_AND_MARKS.pattern,
        lowercase=False,
        alternate_sign=False,
        n_features=HASHED_FEATURES,
        norm="l2",
        dtype=np.float32,
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(st.characters(exclude_categories=()), max_size=60)
        | st.text(st.characters(max_codepoint=127), max_size=60),  # ASCII takes its own path
        max_size=4,
    )
)
def test_hashed_ngrams_match_sklearn_on_any_text(texts):
    from townsquare.triage.features import hashed_ngrams

    normalised = [normalise(text) for text in texts]
    actual = hashed_ngrams(normalised)
    if not texts:
        assert actual.shape[0] == 0
        return
    expected = _hashing_vectorizer().transform(normalised)
    assert np.array_equal(actual.indptr, expected.indptr)
    assert np.array_equal(actual.indices, expected.indices)
    assert np.array_equal(actual.data, expected.data)
