"""Urgency cues (outage, safety, legal threat, repeated contact, cancellation, security) and the
priority a message gets from its kind, sentiment and those cues.

Cue lists cover en, es, de, fr, pt, it and nl. Matching is on whole lowercased words (one dict
lookup per word n-gram, so cost does not grow with the number of cues); a cue directly preceded
by a negation ("not hacked", "no fire", "kein Anwalt") is ignored.
"""

import re
from collections.abc import Iterable

from townsquare.triage.cue_regex import CueSet

URGENCY_CUES = {
    "outage": (
        "outage",
        "service is down",
        "site is down",
        "app is down",
        "network is down",
        "server is down",
        "website is down",
        "down again",
        "went down",
        "down for everyone",
        "not working for everyone",
        "nobody can",
        "no service",
        "no signal",
        "no internet",
        "no connection",
        "power cut",
        "blackout",
        "caída del servicio",
        "caída de la red",
        "caido",
        "caído",
        "sin servicio",
        "sin conexión",
        "sin internet",
        "no funciona nada",
        "störung",
        "ausfall",
        "netzausfall",
        "geht nichts",
        "kein netz",
        "kein internet",
        "panne",
        "coupure",
        "hors service",
        "plus de réseau",
        "pas de réseau",
        "fora do ar",
        "sem serviço",
        "sem internet",
        "sem sinal",
        "disservizio",
        "guasto",
        "fuori servizio",
        "non funziona niente",
        "senza linea",
        "storing",
        "ligt eruit",
        "geen bereik",
        "geen internet",
    ),
    "safety": (
        "fire",
        "caught fire",
        "smoke",
        "injury",
        "injured",
        "burn",
        "burned",
        "burnt",
        "explode",
        "exploded",
        "explosion",
        "electric shock",
        "hurt",
        "sparks",
        "melted",
        "overheating",
        "gas leak",
        "choking",
        "poisoning",
        "allergic reaction",
        "fuego",
        "incendio",
        "humo",
        "herido",
        "quemadura",
        "quemó",
        "explotó",
        "descarga",
        "chispas",
        "feuer",
        "in brand",
        "rauch",
        "verletzt",
        "verbrannt",
        "explodiert",
        "stromschlag",
        "funken",
        "incendie",
        "fumée",
        "blessé",
        "brûlure",
        "brûlé",
        "explosé",
        "électrocuté",
        "fogo",
        "fumaça",
        "ferido",
        "queimadura",
        "queimou",
        "explodiu",
        "choque elétrico",
        "incendio",
        "fumo",
        "ferito",
        "ustione",
        "esploso",
        "scossa",
        "rook",
        "gewond",
        "verbrand",
        "ontploft",
        "stroomschok",
    ),
    "legal": (
        "lawyer",
        "lawyers",
        "attorney",
        "solicitor",
        "sue",
        "suing",
        "lawsuit",
        "legal action",
        "court",
        "small claims",
        "ombudsman",
        "trading standards",
        "consumer protection",
        "regulator",
        "abogado",
        "demandar",
        "denuncia",
        "tribunal",
        "juzgado",
        "acción legal",
        "anwalt",
        "rechtsanwalt",
        "klage",
        "verklagen",
        "gericht",
        "verbraucherzentrale",
        "schlichtung",
        "avocat",
        "poursuivre en justice",
        "procès",
        "porter plainte",
        "médiateur",
        "action en justice",
        "advogado",
        "processar",
        "procon",
        "justiça",
        "ação judicial",
        "avvocato",
        "denuncia",
        "querela",
        "causa legale",
        "tribunale",
        "advocaat",
        "rechtszaak",
        "aanklacht",
        "rechter",
        "geschillencommissie",
    ),
    "repeated_contact": (
        "third time",
        "3rd time",
        "fourth time",
        "fifth time",
        "again and again",
        "still waiting",
        "no one answered",
        "nobody answered",
        "no one has answered",
        "no response",
        "no reply",
        "already contacted",
        "already called",
        "already emailed",
        "already told",
        "called again",
        "keep calling",
        "several times",
        "multiple times",
        "so many times",
        "for weeks",
        "still no",
        "tercera vez",
        "sigo esperando",
        "nadie responde",
        "nadie contesta",
        "ya llamé",
        "varias veces",
        "zum dritten mal",
        "immer noch kein",
        "immer noch nicht",
        "warte immer noch",
        "keine antwort",
        "schon angerufen",
        "mehrmals",
        "troisième fois",
        "encore une fois",
        "toujours en attente",
        "j'attends toujours",
        "personne ne répond",
        "déjà appelé",
        "plusieurs fois",
        "terceira vez",
        "ainda esperando",
        "ainda aguardando",
        "ninguém responde",
        "já liguei",
        "várias vezes",
        "terza volta",
        "ancora una volta",
        "sto ancora aspettando",
        "nessuno risponde",
        "ho già chiamato",
        "più volte",
        "derde keer",
        "nog steeds geen",
        "nog steeds niet",
        "niemand reageert",
        "al gebeld",
        "meerdere keren",
    ),
    "cancellation": (
        "cancel my account",
        "cancel my subscription",
        "cancel my contract",
        "cancel my membership",
        "cancel my plan",
        "cancel my order",
        "close my account",
        "cancelling",
        "canceling",
        "unsubscribe",
        "switching to",
        "terminate my contract",
        "cancelar mi cuenta",
        "cancelar mi suscripción",
        "cancelar mi contrato",
        "dar de baja",
        "darme de baja",
        "kündigen",
        "kündigung",
        "vertrag beenden",
        "konto löschen",
        "résilier",
        "résiliation",
        "annuler mon abonnement",
        "fermer mon compte",
        "cancelar minha conta",
        "cancelar assinatura",
        "cancelamento",
        "disdire",
        "disdetta",
        "annullare l'abbonamento",
        "chiudere il conto",
        "opzeggen",
        "abonnement stopzetten",
        "account opheffen",
    ),
    "security": (
        "hacked",
        "hacker",
        "fraud",
        "fraudulent",
        "scam",
        "scammed",
        "phishing",
        "stolen",
        "identity theft",
        "unauthorised",
        "unauthorized",
        "didn't authorise",
        "didn't authorize",
        "someone logged into",
        "account compromised",
        "compromised",
        "hackeado",
        "hackearon",
        "fraude",
        "estafa",
        "robo de identidad",
        "no autorizado",
        "robado",
        "gehackt",
        "betrug",
        "phishing",
        "gestohlen",
        "nicht autorisiert",
        "unbefugt",
        "piraté",
        "arnaque",
        "escroquerie",
        "vol d'identité",
        "non autorisé",
        "volé",
        "hackeada",
        "roubado",
        "não autorizado",
        "não autorizada",
        "hackerato",
        "truffa",
        "frode",
        "rubato",
        "non autorizzato",
        "gehackt",
        "oplichting",
        "fraude",
        "gestolen",
        "niet geautoriseerd",
    ),
}
# A negation right before a cue ("not hacked", "no fire", "kein Betrug") cancels it; one article
# or "been" may sit in between ("not a scam", "wasn't been hacked" is rare enough to ignore).
NEGATIONS = frozenset(
    {
        "not",
        "no",
        "never",
        "isn't",
        "wasn't",
        "aren't",
        "weren't",
        "kein",
        "keine",
        "keinen",
        "nicht",
        "sin",
        "nunca",
        "pas",
        "jamais",
        "sem",
        "senza",
        "mai",
        "geen",
        "niet",
        "nooit",
    }
)
_SKIPPABLE_BEFORE_CUE = frozenset({"a", "an", "the", "been", "un", "une", "ein", "eine", "um", "uma", "een"})
_WORD = re.compile(r"\w+(?:'\w+)*")
_LONGEST_CUE = 5


def _lowered(text: str) -> str:
    return text.lower().replace("’", "'")


def _tokens(text: str) -> list[str]:
    """`_WORD.findall` of the lowercased text, cheaper: a token never spans whitespace, and a
    space-separated piece of letters and digits only (str.isalnum) is one token as it is."""
    return _tokens_of_lowered(_lowered(text))


def _tokens_of_lowered(lowered: str) -> list[str]:
    tokens: list[str] = []
    for piece in lowered.split():
        if piece.isalnum():
            tokens.append(piece)
        else:
            tokens.extend(_WORD.findall(piece))
    return tokens


def _index_cues() -> dict[str, tuple[str, ...]]:
    """Each cue as its space-joined tokens → the kinds it signals (one dict lookup per word n-gram)."""
    index: dict[str, tuple[str, ...]] = {}
    for kind, cues in URGENCY_CUES.items():
        for cue in cues:
            key = " ".join(_tokens(cue))
            index[key] = (*index.get(key, ()), kind)
    return index


def _any_cue(cue_keys: Iterable[str]) -> CueSet:
    r"""A scan that finds wherever some cue's tokens stand in a row: tokens are maximal runs of
    `_WORD`, so only non-word characters (\W) separate them and none touches them. It can match
    where no cue is (a negated cue, "x'in brand"), but never misses one."""
    alternatives = (r"\W+".join(re.escape(token) for token in key.split(" ")) for key in cue_keys)
    return CueSet({"any": r"\b(?:" + "|".join(alternatives) + r")\b"})


_CUE_KINDS = _index_cues()
URGENCY_KINDS = tuple(URGENCY_CUES)
# Most messages have no cue at all (99% of tweets): one regex scan says so before any tokenising.
_ANY_CUE = _any_cue(_CUE_KINDS)
_FIRST_WORDS = frozenset(cue.split(" ", 1)[0] for cue in _CUE_KINDS)


def find_urgency(text: str) -> tuple[str, ...]:
    """The urgency cues present in `text`, in `URGENCY_KINDS` order (empty when none)."""
    if not isinstance(text, str) or not text:
        return ()
    lowered = _lowered(text)
    if not _ANY_CUE.anywhere(lowered):
        return ()
    return _cues_in(_tokens_of_lowered(lowered))


def _cues_in(tokens: list[str]) -> tuple[str, ...]:
    """The urgency kinds whose cues stand un-negated in `tokens`, in `URGENCY_KINDS` order."""
    found: set[str] = set()
    for position, token in enumerate(tokens):
        if token not in _FIRST_WORDS:
            continue
        for length in range(1, min(_LONGEST_CUE, len(tokens) - position) + 1):
            kinds = _CUE_KINDS.get(" ".join(tokens[position : position + length]))
            if kinds and not _negated(tokens, position):
                found.update(kinds)
    return tuple(kind for kind in URGENCY_KINDS if kind in found)


def _negated(tokens: list[str], position: int) -> bool:
    before = position - 1
    if before >= 0 and tokens[before] in _SKIPPABLE_BEFORE_CUE:
        before -= 1
    return before >= 0 and tokens[before] in NEGATIONS


_NO_CUES: frozenset[str] = frozenset()
_URGENT_CUES = frozenset({"safety", "security", "legal"})
_HIGH_CUES = frozenset({"outage", "repeated_contact"})


def priority(kind: str, sentiment: str, urgency: tuple[str, ...]) -> str:
    """One of labels.PRIORITIES; the first rule that applies decides:

    1. safety, security or legal cue → "urgent" (people, money or a legal threat at stake);
    2. outage or repeated-contact cue → "high" (many affected, or someone already let down);
    3. complaint or problem with negative sentiment → "high";
    4. question, problem or complaint → "normal";
    5. anything else (praise, chatter, suggestion, spam) → "low".

    Cancellation alone does not raise priority: it follows the kind and sentiment.
    """
    cues = set(urgency) if urgency else _NO_CUES  # most messages have none: skip building a set
    if not _URGENT_CUES.isdisjoint(cues):
        result = "urgent"
    elif not _HIGH_CUES.isdisjoint(cues):
        result = "high"
    elif kind in ("complaint", "problem") and sentiment == "negative":
        result = "high"
    elif kind in ("question", "problem", "complaint"):
        result = "normal"
    else:
        result = "low"
    return result
