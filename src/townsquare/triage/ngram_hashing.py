"""Hashed character n-grams within words, as sklearn's HashingVectorizer computes them, faster.

`HashingVectorizer(analyzer="char_wb", alternate_sign=False, lowercase=False, norm="l2")` builds
every n-gram of every word in Python and hashes each one, though most words of a stream of
messages were seen a moment ago. char_wb n-grams never cross a word (each word is padded with
one space and cut on its own), so a word's columns are a function of the word: we remember them
per word and hash only new words, with the same MurmurHash3 and column rule as sklearn. Counts
and the l2 norm then go through the same scipy/sklearn steps, so the matrix is identical (tested
against sklearn on real multilingual texts).
"""

import threading

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

# Words remembered per hasher; the memo starts over past this (a few tens of MB at most).
MEMO_WORDS = 200_000


class CharNgramHasher:
    """`transform(texts)` -> (n, n_features) float32 CSR, rows l2-normalised, like sklearn's."""

    def __init__(self, n_features: int, ngram_range: tuple[int, int]):
        self.n_features = int(n_features)
        self.min_n, self.max_n = ngram_range
        self._columns: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    def transform(self, texts: list[str]):
        documents = [text.split() for text in texts]
        memo = self._columns  # this call's view: a full memo is replaced, not emptied under us
        new = {word for words in documents for word in words if word not in memo}
        fresh = self._remember(new) if new else {}
        indices: list[int] = []
        indptr = [0]
        for words in documents:
            for word in words:
                indices += fresh.get(word) or memo[word]
            indptr.append(len(indices))
        matrix = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), np.array(indices, dtype=np.int32), indptr),
            shape=(len(texts), self.n_features),
        )
        matrix.sum_duplicates()
        return normalize(matrix, norm="l2", copy=False)

    def _remember(self, words: set[str]) -> dict[str, list[int]]:
        """Each word's n-gram columns (one per n-gram, repeats kept: they count)."""
        features = self.n_features
        # FeatureHasher's rule: |signed MurmurHash3| mod n_features, with its one overflow case.
        overflow = (2**31 - 1 - (features - 1)) % features
        fresh = {
            word: [
                abs(h) % features if h != -(2**31) else overflow
                for h in map(murmurhash3_32, self._grams(word))
            ]
            for word in words
        }
        with self._lock:
            if len(self._columns) + len(fresh) > MEMO_WORDS:
                self._columns = {}
            self._columns.update(fresh)
        return fresh

    def _grams(self, word: str) -> list[str]:
        """sklearn's _char_wb_ngrams for one word."""
        padded = f" {word} "
        length = len(padded)
        grams = []
        for n in range(self.min_n, self.max_n + 1):
            if length <= n:  # a short word is counted once, as a whole
                grams.append(padded)
                break
            grams += [padded[offset : offset + n] for offset in range(length - n + 1)]
        return grams
