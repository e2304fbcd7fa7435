"""Duplicate groups over a bounded stream of messages: exact, near (MinHash) and cross-lingual.

A new message joins the group of the most similar message already indexed, tried in order:
the same exact key; else a MinHash Jaccard estimate >= `near_threshold` among LSH candidates;
else (texts with words only) an embedding cosine >= `semantic_threshold` to a message in another
language, which is what catches translations, or >= `same_language_threshold` within one language
(or when either language is unknown): only a close paraphrase, because two different messages on
one topic in one language ("my card was charged twice", "my card has not arrived") are close too. A message matching nothing starts its own group, named by its key. Groups never
merge or split afterwards, so a group id once returned stays true. The oldest messages are
forgotten beyond `max_items`.
"""

from collections.abc import Iterable, Sequence

import numpy as np

from townsquare.triage.dedupe.fingerprint import Fingerprint
from townsquare.triage.dedupe.minhash import estimated_jaccard, is_empty
from townsquare.triage.dedupe.slots import SlotStore

# Tuned with `python -m townsquare.triage.dedupe.evaluate` (seeded pairs; a false group hides a
# distinct message from an agent, so ties go to precision):
# - near 0.4: spun youtube-spam copies vs other comments on the video, F1 0.94 (P 0.99); spun
#   banking77 requests vs same-intent requests, F1 0.96 (P 0.99). 0.35 gains 1-3 points of recall
#   and loses a point of precision on the same-intent pairs; 0.5 loses 6-7 points of recall.
# - cross-language 0.6: xSID, the same sentence in two of the encoder's languages vs another
#   sentence (half with the same intent), P 0.96 R 0.75; 0.55 drops precision to 0.94, 0.65
#   recall to 0.64.
# - same language 0.9: banking77 requests with the same intent reach cosine 0.88 at the 99th
#   percentile ("charged twice" vs "not arrived" is 0.63), so only close paraphrases pass.
NEAR_THRESHOLD = 0.4
SEMANTIC_THRESHOLD = 0.6
SAME_LANGUAGE_THRESHOLD = 0.9
_UNKNOWN_LANGUAGES = ("", "und")
MATCH_KINDS = ("exact", "near", "cross_lingual")
# Queries per embedding matrix product: amortises the scan of the index; bounds its (chunk, n) buffer.
_CHUNK = 128


class DuplicateIndex:
    def __init__(
        self,
        max_items: int = 100_000,
        near_threshold: float = NEAR_THRESHOLD,
        semantic_threshold: float = SEMANTIC_THRESHOLD,
        same_language_threshold: float = SAME_LANGUAGE_THRESHOLD,
    ):
        self.max_items = max_items
        self.near_threshold = near_threshold
        self.semantic_threshold = semantic_threshold
        self.same_language_threshold = same_language_threshold
        self._language_ids: dict[str, int] = dict.fromkeys(_UNKNOWN_LANGUAGES, 0)
        self._store = SlotStore(max_items)
        self._keys: list[str | None] = []  # per slot
        self._groups: list[str] = []  # per slot
        self._kinds: list[str | None] = []  # per slot: how it joined its group
        self._exact_keys: list[str] = []  # per slot
        self._slot_of: dict[str, int] = {}
        self._slot_of_exact: dict[str, int] = {}  # newest live slot with that exact key

    def __len__(self) -> int:
        return len(self._slot_of)

    def add(self, key: str, fp: Fingerprint) -> str:
        """Index one message; returns its group id (the key of its group's first member)."""
        return self.add_many_detailed([key], [fp])[0][0]

    def add_many(self, keys: Sequence[str], fps: Sequence[Fingerprint]) -> list[str]:
        """Index many messages in order (later ones may join earlier ones' groups); their group ids."""
        return [group for group, _ in self.add_many_detailed(keys, fps)]

    def add_many_detailed(
        self, keys: Sequence[str], fps: Sequence[Fingerprint]
    ) -> list[tuple[str, str | None]]:
        """(group id, match kind) per message; the kind is "exact", "near", "cross_lingual" or None
        for a new group. A key already indexed keeps its group and kind and is not stored again.
        Same result as calling `add` one message at a time."""
        if len(keys) != len(fps):
            raise ValueError(f"{len(keys)} keys but {len(fps)} fingerprints")
        results: list[tuple[str, str | None]] = []
        chunk = min(_CHUNK, self.max_items)
        for start in range(0, len(keys), chunk):
            results.extend(self._add_chunk(keys[start : start + chunk], fps[start : start + chunk]))
        return results

    def group_of(self, key: str) -> str | None:
        """The group id of an indexed key; None if unknown or forgotten."""
        slot = self._slot_of.get(key)
        return None if slot is None else self._groups[slot]

    def load(self, records: Iterable[tuple[str, str, Fingerprint]]) -> None:
        """Warm up from storage: (key, group, fingerprint) in the order they were first added."""
        for key, group, fp in records:
            if key not in self._slot_of:
                self._put(key, group, None, fp)

    def memory_bytes(self) -> int:
        """Bytes held by the numpy rows (Python dicts and strings add roughly 250 bytes per item)."""
        return self._store.nbytes()

    def _add_chunk(self, keys, fps) -> list[tuple[str, str | None]]:
        languages = np.array([self._language_id(fp.language) for fp in fps], dtype=np.int16)
        indexed = within = None
        if any(fp.embedding is not None for fp in fps):
            queries = np.stack([_embedding_or_zeros(fp, fps) for fp in fps])
            store = self._store
            indexed = self._above_threshold(store.semantic_matrix(queries), languages, store.languages)
            within = self._above_threshold(queries @ queries.T, languages, languages)
        chunk_slots: list[int] = []
        results = []
        for position, (key, fp) in enumerate(zip(keys, fps, strict=True)):
            known = self._slot_of.get(key)
            if known is not None:
                results.append((self._groups[known], self._kinds[known]))
                chunk_slots.append(-1)
                continue
            match, kind = self._exact_match(fp)
            if match is None:
                match, kind = self._near_match(fp)
            if match is None and fp.embedding is not None and not is_empty(fp.minhash):
                match, kind = self._semantic_match(indexed[position], within[position], position, chunk_slots)
            group = key if match is None else self._groups[match]
            chunk_slots.append(self._put(key, group, kind, fp))
            results.append((group, kind))
        return results

    def _above_threshold(self, similarities: np.ndarray, query_languages, item_languages) -> list[list]:
        """Per query, the (similarity, column) pairs at or above the threshold for that pair's
        languages, best first. Few pass, so this stays small however large the index is."""
        lowest = min(self.semantic_threshold, self.same_language_threshold)
        rows, columns = np.nonzero(similarities >= lowest)
        values = similarities[rows, columns]
        query, item = query_languages[rows], item_languages[: similarities.shape[1]][columns]
        same = (query == item) | (query == 0) | (item == 0)
        keep = values >= np.where(same, self.same_language_threshold, self.semantic_threshold)
        per_query: list[list] = [[] for _ in range(len(similarities))]
        kept = zip(rows[keep].tolist(), columns[keep].tolist(), values[keep].tolist(), strict=True)
        for row, column, value in kept:
            per_query[row].append((value, column))
        for candidates in per_query:
            candidates.sort(reverse=True)
        return per_query

    def _language_id(self, language: str) -> int:
        return self._language_ids.setdefault(language, len(self._language_ids) - 1)

    def _exact_match(self, fp: Fingerprint) -> tuple[int | None, str | None]:
        slot = self._slot_of_exact.get(fp.exact_key) if fp.exact_key else None
        return (slot, "exact") if slot is not None else (None, None)

    def _near_match(self, fp: Fingerprint) -> tuple[int | None, str | None]:
        candidates = self._store.near_candidates(fp.minhash)
        if not len(candidates):
            return None, None
        similarity = estimated_jaccard(fp.minhash, self._store.signatures[candidates])
        best = int(np.argmax(similarity))
        if similarity[best] >= self.near_threshold:
            return int(candidates[best]), "near"
        return None, None

    def _semantic_match(self, indexed, within, position, chunk_slots) -> tuple[int | None, str | None]:
        """Most similar item above its threshold: indexed before this chunk, or earlier in it.
        `indexed` columns are slots as they were when the chunk began; a slot this chunk has since
        reused now holds an earlier message of the chunk, which `within` covers."""
        reused = set(chunk_slots)
        best_slot, best = None, -np.inf
        for similarity, slot in indexed:
            if slot not in reused:
                best_slot, best = slot, similarity
                break
        store = self._store
        for similarity, earlier in within:
            if similarity <= best:
                break
            slot = chunk_slots[earlier] if earlier < position else -1
            if slot >= 0 and store.live[slot] and store.has_embedding[slot] and store.textual[slot]:
                best_slot, best = slot, similarity
                break
        return (best_slot, "cross_lingual") if best_slot is not None else (None, None)

    def _put(self, key: str, group: str, kind: str | None, fp: Fingerprint) -> int:
        slot = self._store.next_slot()
        if slot < len(self._keys) and self._keys[slot] is not None:
            self._forget(slot)
        store_slot = self._store.put(fp.minhash, fp.embedding, self._language_id(fp.language))
        if store_slot == len(self._keys):
            self._keys.append(key)
            self._groups.append(group)
            self._kinds.append(kind)
            self._exact_keys.append(fp.exact_key)
        else:
            self._keys[slot], self._groups[slot], self._kinds[slot] = key, group, kind
            self._exact_keys[slot] = fp.exact_key
        self._slot_of[key] = slot
        if fp.exact_key:
            self._slot_of_exact[fp.exact_key] = slot
        return slot

    def _forget(self, slot: int) -> None:
        """Evict the oldest item from its slot: every lookup that pointed at it."""
        del self._slot_of[self._keys[slot]]
        exact_key = self._exact_keys[slot]
        if exact_key and self._slot_of_exact.get(exact_key) == slot:
            del self._slot_of_exact[exact_key]
        self._keys[slot] = None
        self._store.live[slot] = False


def _embedding_or_zeros(fp: Fingerprint, fps: Sequence[Fingerprint]) -> np.ndarray:
    if fp.embedding is not None:
        return fp.embedding
    dimension = next(other.embedding for other in fps if other.embedding is not None).shape[0]
    return np.zeros(dimension, dtype=np.float32)
