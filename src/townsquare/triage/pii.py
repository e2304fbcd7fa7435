"""Personal data in a message: where it is (`find_pii`) and a readable masked copy (`mask`).

Each kind has a pattern plus a check that keeps lookalikes out: card numbers pass Luhn, IBANs
pass mod-97, phone numbers need a "+country" prefix, a national layout or a phone cue word and
are never dates, times or prices; postal codes need an unambiguous layout (UK, Canada, Dutch,
ZIP+4) or an address nearby (a bare 5-digit ZIP); order and account numbers need a cue word.
Run it on the full text (`text.clean(..., limit=None)`): offsets refer to the text given.
"""

import bisect
import re

from townsquare.triage.labels import PiiSpan

PLACEHOLDERS = {
    "email": "[email]",
    "phone": "[phone]",
    "card": "[card]",
    "iban": "[iban]",
    "postal_code": "[postal_code]",
    "account": "[account]",
}
# When two finds overlap, the more specific (better checked) one wins.
_PRECEDENCE = ("email", "iban", "card", "account", "phone", "postal_code")

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")
# Issuers start card numbers with 2-6; a 17-19 digit run without separators is far more often an id
# (tweet ids are 18-19 digits), so unseparated runs stop at 16.
_CARD = re.compile(r"(?<![\w-])(?:[2-6]\d{12,15}|[2-6]\d{1,5}(?:[ -]\d{2,6}){2,5})(?![\w-])")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])")
_INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\w])")
_NATIONAL_PHONE = re.compile(
    r"(?<![\w.,/-])(?:"
    r"\(\d{2,4}\)[ .-]?\d{3,4}[ .-]?\d{3,4}"  # (555) 123-4567, (020) 7946 0958
    r"|0\d{1,4}[ /.-]\d{3,4}[ .-]?\d{2,4}(?:[ .-]\d{2})?"  # 020 7946 0958, 06-12345678, 030/1234567
    r"|\d{3}[.-]\d{3}[.-]\d{4}"  # 555-123-4567
    r"|0[67](?:[ .]?\d{2}){4}"  # 06 12 34 56 78 (French mobile)
    r")(?![\w,/-]|\.\d)"
)
_BARE_PHONE = re.compile(r"\+?\d[\d .-]{6,16}\d")
_UK_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|GIR ?0AA)\b")
_CANADIAN_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b")
_DUTCH_POSTCODE = re.compile(r"\b[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b")
_ZIP_PLUS_FOUR = re.compile(r"(?<![\d-])\d{5}-\d{4}(?![\d-])")
_ZIP = re.compile(r"(?<![\w$€£.,-])\d{5}(?![\w.,-]|\.\d)")
# Candidate order/account ids: an alphanumeric run (dashes allowed inside) that has a digit. The
# look-ahead for the digit skips the (many) plain words instead of handing each one back to Python.
_ID_CANDIDATE = re.compile(r"(?<![\w-])(?=[A-Za-z-]*[0-9])[A-Za-z0-9][A-Za-z0-9-]{3,24}[A-Za-z0-9](?![\w-])")
_CUE_WORD = re.compile(r"[\w°º/]+")
_CUE_WINDOW = 40  # characters before a candidate searched for its cue word

# The word right before an id (skipping fillers like "number" or "is") says what the id is.
ACCOUNT_CUES = frozenset(
    "order orders orden account acct a/c customer reference ref booking invoice tracking ticket case claim "
    "contract bestellung bestellnummer auftrag auftragsnummer kundennummer konto vertrag vertragsnummer "
    "rechnung rechnungsnummer pedido cuenta factura reserva commande compte facture dossier ordine conto "
    "fattura pratica bestelling bestelnummer klantnummer rekening encomenda conta".split()
)
_ACCOUNT_FILLERS = frozenset(
    "id number no nr num n° nº nummer número numero numéro is ist es est è =".split()
)
PHONE_CUES = frozenset(
    "phone tel telephone mobile cell call ring text whatsapp number teléfono telefono móvil celular número "
    "numero telefon handy nummer téléphone portable numéro telefone telefoonnummer telefoon mobiel".split()
)
_PHONE_FILLERS = frozenset(
    "on at is me my en al au unter op no su mi mon ma mein meine de es ist est".split()
)
# An address word nearby, or a US state right before, makes a bare 5 digits a ZIP code.
ADDRESS_CUES = frozenset(
    "zip zipcode postal postcode address street st ave avenue road rd blvd suite apt código cp plz "
    "cap postleitzahl straße strasse adresse adres straat laan gracht plein kade calle rue via rua".split()
)
US_STATES = frozenset(
    "AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM "
    "NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY".split()
)
_DIGIT = re.compile(r"\d")
_THREE_DIGITS = re.compile(r"\d\d\d")
# Every email has an "@" right after a character of _EMAIL's local part; starting at the literal
# "@" lets the regex engine jump from one "@" to the next.
_AT_AFTER_ADDRESS_CHARACTER = re.compile(r"@(?<=[\w.+-]@)")
_CAPITAL_THEN_DIGIT = re.compile(r"[A-Z]\d")  # IBANs and UK or Canadian postcodes have one
_DATE_OR_TIME = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$|^\d{1,2}:\d{2}")


def find_pii(text: str) -> tuple[PiiSpan, ...]:
    """Spans of personal data in `text`, sorted by position and never overlapping."""
    if not isinstance(text, str):
        return ()
    # Cheap gates first: most messages have no email-like "x@", no digit (so no run of three digits
    # and no "A1"-like pair); an "@" alone is usually a mention.
    email_shaped = "@" in text and _AT_AFTER_ADDRESS_CHARACTER.search(text) is not None
    first_digit = _DIGIT.search(text)
    # Digit runs and capital-digit pairs are looked for from the first digit on, not from the start.
    start = first_digit.start() if first_digit is not None else len(text)
    has_digit_run = first_digit is not None and _THREE_DIGITS.search(text, start) is not None
    has_letter_digit = (
        start > 0 and first_digit is not None and _CAPITAL_THEN_DIGIT.search(text, start - 1) is not None
    )
    if not (email_shaped or has_digit_run or has_letter_digit):
        return ()
    iban_shaped = list(_spans("iban", _IBAN, text)) if has_letter_digit else []
    found = list(_spans("email", _EMAIL, text)) if email_shaped else []
    if has_digit_run:
        found += [span for span in _spans("card", _CARD, text) if _luhn_ok(text[span.start : span.end])]
        found += [*_phones(text), *_accounts(text)]
    found += _postal_codes(text, has_digit_run, has_letter_digit)
    # Digits inside an IBAN with a wrong check digit are still an IBAN typo, not a card or phone.
    found = [span for span in found if not any(_overlap(span, iban) for iban in iban_shaped)]
    found += [span for span in iban_shaped if _iban_ok(text[span.start : span.end])]
    return _without_overlaps(found)


def mask(text: str, spans: tuple[PiiSpan, ...] | None = None) -> str:
    """`text` with each span replaced by a placeholder such as "[email]" or "[card]"."""
    if not isinstance(text, str):
        return ""
    spans = find_pii(text) if spans is None else spans
    pieces, cursor = [], 0
    for span in sorted(spans, key=lambda span: span.start):
        if span.start < cursor:
            continue
        pieces.append(text[cursor : span.start])
        pieces.append(PLACEHOLDERS.get(span.kind, "[pii]"))
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _spans(kind: str, pattern: re.Pattern, text: str, group: int | str = 0):
    return (PiiSpan(kind, match.start(group), match.end(group)) for match in pattern.finditer(text))


def _luhn_ok(candidate: str) -> bool:
    digits = [int(character) for character in candidate if character.isdigit()]
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


def _iban_ok(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(character, 36)) for character in rearranged)) % 97 == 1


def _phones(text: str):
    for pattern in (_INTERNATIONAL_PHONE, _NATIONAL_PHONE):
        for match in pattern.finditer(text):
            if _plausible_phone(match.group(0)):
                yield PiiSpan("phone", match.start(), match.end())
    # A bare digit run is a phone number only right after a cue word ("call me on 5551234567").
    for match in _BARE_PHONE.finditer(text):
        if _cue_before(text, match.start(), PHONE_CUES, _PHONE_FILLERS) and _plausible_phone(match.group(0)):
            yield PiiSpan("phone", match.start(), match.end())


def _plausible_phone(candidate: str) -> bool:
    digits = sum(character.isdigit() for character in candidate)
    return 7 <= digits <= 15 and not _DATE_OR_TIME.match(candidate.strip())


def _postal_codes(text: str, has_digit_run: bool, has_letter_digit: bool) -> list[PiiSpan]:
    found = []
    if has_letter_digit:
        found += [
            *_spans("postal_code", _UK_POSTCODE, text),
            *_spans("postal_code", _CANADIAN_POSTCODE, text),
        ]
    if has_digit_run:
        found += _spans("postal_code", _ZIP_PLUS_FOUR, text)
        # "1234 AB" could also be "2024 EU" or "1000 MB": Dutch codes and bare ZIPs need an address nearby.
        for pattern in (_DUTCH_POSTCODE, _ZIP):
            found += [
                PiiSpan("postal_code", match.start(), match.end())
                for match in pattern.finditer(text)
                if _near_address(text, match.start())
            ]
    return found


def _near_address(text: str, start: int) -> bool:
    window = text[max(0, start - 60) : start]
    words = _CUE_WORD.findall(window)
    if words and words[-1] in US_STATES:
        return True
    return not ADDRESS_CUES.isdisjoint(word.lower() for word in words)


def _accounts(text: str):
    for match in _ID_CANDIDATE.finditer(text):
        if not _DATE_OR_TIME.match(match.group(0)) and _cue_before(
            text, match.start(), ACCOUNT_CUES, _ACCOUNT_FILLERS
        ):
            yield PiiSpan("account", match.start(), match.end())


def _cue_before(text: str, start: int, cues: frozenset, fillers: frozenset) -> bool:
    """Is the last word before `start`, skipping up to three filler words, one of `cues`?"""
    words = _CUE_WORD.findall(text[max(0, start - _CUE_WINDOW) : start].lower())
    for word in reversed(words[-4:]):
        if word in cues:
            return True
        if word not in fillers:
            return False
    return False


def _overlap(first: PiiSpan, second: PiiSpan) -> bool:
    return first.start < second.end and second.start < first.end


def _without_overlaps(found: list[PiiSpan]) -> tuple[PiiSpan, ...]:
    """Keep the most specific kind, then the longest span, wherever finds overlap.

    Kept spans never overlap, so sorted by start they are sorted by end too: a candidate only has
    to be checked against its two neighbours (a 1 MB text has tens of thousands of finds).
    """
    ranked = sorted(found, key=lambda span: (_PRECEDENCE.index(span.kind), span.start - span.end))
    starts: list[int] = []
    kept: list[PiiSpan] = []
    for span in ranked:
        position = bisect.bisect_left(starts, span.start)
        if position > 0 and kept[position - 1].end > span.start:
            continue
        if position < len(kept) and kept[position].start < span.end:
            continue
        starts.insert(position, span.start)
        kept.insert(position, span)
    return tuple(kept)
