"""Personal data in a message: where it is (`find_pii`) and a readable masked copy (`mask`).

Each kind has a pattern plus a check that keeps lookalikes out: card numbers pass Luhn, IBANs
pass mod-97, phone numbers need a "+country" prefix, a national layout or a phone cue word and
are never dates, times or prices; postal codes need an unambiguous layout (UK, Canada, Dutch,
ZIP+4) or an address nearby (a bare 5-digit ZIP); order and account numbers need a cue word.
Run it on the full text (`text.clean(..., limit=None)`): offsets refer to the text given.
"""

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
_PHONE_CUE = re.compile(
    r"(?i)\b(?:phone|tel|telephone|mobile|cell|call me|whatsapp|teléfono|telefono|móvil|celular|"
    r"telefon|handy|téléphone|portable|telefone|telefoonnummer|telefoon|mobiel)\b\W{0,5}"
    r"(?:(?:on|at|is|en|es|al|au|unter|op|no|su)\W{1,3})?$"
)
_BARE_PHONE = re.compile(r"\+?\d[\d .-]{6,16}\d")
_UK_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|GIR ?0AA)\b")
_CANADIAN_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b")
_DUTCH_POSTCODE = re.compile(r"\b[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b")
_ZIP_PLUS_FOUR = re.compile(r"(?<![\d-])\d{5}-\d{4}(?![\d-])")
_ZIP = re.compile(r"(?<![\w$€£.,-])\d{5}(?![\w.,-]|\.\d)")
# A US state before a ZIP, or an address word nearby, makes a bare 5 digits a postal code.
_ZIP_CONTEXT = re.compile(
    r"(?i)(?:\b(?:zip|zip code|postal code|postcode|address|street|st\.|ave|avenue|road|rd\.|blvd|suite|"
    r"apt|código postal|cp|plz|code postal|cap|postleitzahl|adres|straat|laan|gracht|plein|kade)\b)"
)
_US_STATE_BEFORE = re.compile(r"\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|"
                              r"O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY]),?\s*$")
_ACCOUNT = re.compile(
    r"(?i)\b(?:order|orden|account|acct|a/c|customer|reference|ref|booking|invoice|tracking|ticket|case|"
    r"claim|contract|bestellung|bestellnummer|auftrag|kundennummer|konto|vertrag|rechnung|pedido|cuenta|"
    r"factura|reserva|commande|compte|facture|dossier|ordine|conto|fattura|pratica|bestelling|"
    r"klantnummer|rekening|encomenda|conta)"
    r"(?:\s*(?:id|number|no|nr|num|#|n°|nº|nummer|número|numero|numéro)\.?)?\s*(?:is|:|#|=|-)?\s*#?\s*"
    r"(?P<id>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,24}[A-Za-z0-9])\b"
)
_DATE_OR_TIME = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$|^\d{1,2}:\d{2}")


def find_pii(text: str) -> tuple[PiiSpan, ...]:
    """Spans of personal data in `text`, sorted by position and never overlapping."""
    if not isinstance(text, str) or not text:
        return ()
    iban_shaped = list(_spans("iban", _IBAN, text))
    found = [
        *_spans("email", _EMAIL, text),
        *(span for span in _spans("card", _CARD, text) if _luhn_ok(text[span.start : span.end])),
        *_phones(text),
        *_postal_codes(text),
        *_accounts(text),
    ]
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
        if _PHONE_CUE.search(text[max(0, match.start() - 30) : match.start()]) and _plausible_phone(
            match.group(0)
        ):
            yield PiiSpan("phone", match.start(), match.end())


def _plausible_phone(candidate: str) -> bool:
    digits = sum(character.isdigit() for character in candidate)
    return 7 <= digits <= 15 and not _DATE_OR_TIME.match(candidate.strip())


def _postal_codes(text: str):
    for pattern in (_UK_POSTCODE, _CANADIAN_POSTCODE, _ZIP_PLUS_FOUR):
        yield from _spans("postal_code", pattern, text)
    # "1234 AB" could also be "2024 EU" or "1000 MB": Dutch codes and bare ZIPs need an address nearby.
    for match in _DUTCH_POSTCODE.finditer(text):
        if _ZIP_CONTEXT.search(text[max(0, match.start() - 60) : match.start()]):
            yield PiiSpan("postal_code", match.start(), match.end())
    for match in _ZIP.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        if _US_STATE_BEFORE.search(before) or _ZIP_CONTEXT.search(before):
            yield PiiSpan("postal_code", match.start(), match.end())


def _accounts(text: str):
    for match in _ACCOUNT.finditer(text):
        if not _DATE_OR_TIME.match(match.group("id")):
            yield PiiSpan("account", match.start("id"), match.end("id"))


def _overlap(first: PiiSpan, second: PiiSpan) -> bool:
    return first.start < second.end and second.start < first.end


def _without_overlaps(found: list[PiiSpan]) -> tuple[PiiSpan, ...]:
    """Keep the most specific kind, then the longest span, wherever finds overlap."""
    ranked = sorted(found, key=lambda span: (_PRECEDENCE.index(span.kind), span.start - span.end))
    kept: list[PiiSpan] = []
    for span in ranked:
        if not any(_overlap(span, other) for other in kept):
            kept.append(span)
    return tuple(sorted(kept, key=lambda span: span.start))
