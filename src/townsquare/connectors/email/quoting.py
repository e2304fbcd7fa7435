"""The new part of an email reply: quoted history and signatures removed, for triage and the console.

Mail clients quote in two ways. Gmail, Thunderbird and Apple Mail write an attribution ("On … wrote:",
"Am … schrieb …:", "Le … a écrit :") followed by ">" lines; people may answer between those lines,
so only the quote is dropped and their answers stay. Outlook writes a separator or a header block
("-----Original Message-----", "From: … Sent: … To: … Subject: …", "Von: … Gesendet: …") followed by
the old message unquoted: everything from there on is history. Signatures start at "-- ", a mobile
footer ("Sent from my iPhone") or a sign-off ("Best regards,") close to the end.
"""

import re

# "wrote:" in the languages our customers write in; the attribution may wrap over up to 3 lines.
_ATTRIBUTION = re.compile(
    r"^(on|am|le|el|il|op|em|den|på|w dniu)\b.{0,300}?"
    r"(wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu|skrev|napisał)(\s.{0,200})?:\s*$",
    re.IGNORECASE | re.DOTALL,
)
_WROTE_ALONE = re.compile(
    r"^.{0,200}\b(wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu):\s*$", re.I
)
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(original message|ursprüngliche nachricht|original-nachricht|message d'origine|"
    r"message original|mensaje original|messaggio originale|oorspronkelijk bericht)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
# Outlook's header block: a From line followed closely by Sent/Date and To/Subject lines.
_FROM = re.compile(r"^\s*\*?(from|von|de|da|van|od)\s*:\*?\s*\S", re.IGNORECASE)
_BLOCK_FIELDS = re.compile(
    r"^\s*\*?(sent|date|gesendet|datum|envoyé|date d'envoi|enviado|fecha|inviato|verzonden|"
    r"to|an|à|para|a|aan|subject|betreff|objet|asunto|oggetto|onderwerp|cc)\s*:",
    re.IGNORECASE,
)
_SIGNATURE_DASHES = re.compile(r"^(-- ?|--|—)$")
_MOBILE_FOOTER = re.compile(
    r"^(sent from my |sent from (outlook|mail|yahoo|gmail|samsung)|get outlook for |"
    r"von meinem .* gesendet|gesendet von (meinem )?|envoyé de mon |envoyé depuis |"
    r"enviado desde mi |enviado do meu |inviato da(l mio)? )",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^(best|kind|warm|many thanks and)?\s*(regards|wishes)\b[,.!]?$|^(cheers|thanks|thank you|many thanks|"
    r"best|sincerely|yours sincerely|yours truly|all the best|mit freundlichen grüßen|mfg|"
    r"viele grüße|beste grüße|liebe grüße|gruß|grüße|cordialement|bien cordialement|"
    r"salutations|bien à vous|saludos|un saludo|atentamente|cordiali saluti|saluti|"
    r"met vriendelijke groet)\b[,.!]?$",
    re.IGNORECASE,
)
# A sign-off only ends the message when little follows it (a name, a title, a phone number).
MAX_LINES_AFTER_SIGN_OFF = 6


def strip_reply(text: str) -> str:
    """`text` without quoted history and signature; "" when nothing new is left."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = _drop_history(lines)
    lines = _drop_signature(lines)
    return "\n".join(lines).strip()


def _drop_history(lines: list[str]) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _SEPARATOR.match(line) or _outlook_block_at(lines, i):
            break
        if _UNDERSCORES.match(line) and _outlook_block_at(lines, _next_filled(lines, i + 1)):
            break
        span = _attribution_span(lines, i)
        if span:
            after = _next_filled(lines, i + span)
            if after < len(lines) and lines[after].lstrip().startswith(">"):
                i += span  # ">" quoting follows: drop the attribution, answers between quotes stay
                continue
            break  # the old message follows unquoted (or nothing does): it is all history
        if not line.lstrip().startswith(">"):
            kept.append(line)
        i += 1
    return kept


def _attribution_span(lines: list[str], i: int) -> int:
    """How many lines the attribution starting at line i takes (0: none starts there)."""
    if _WROTE_ALONE.match(lines[i].strip()):
        return 1
    joined = ""
    for span in range(1, 4):
        if i + span > len(lines):
            return 0
        joined = f"{joined} {lines[i + span - 1].strip()}".strip()
        if _ATTRIBUTION.match(joined):
            return span
    return 0


def _outlook_block_at(lines: list[str], i: int) -> bool:
    if i >= len(lines) or not _FROM.match(lines[i]):
        return False
    following = [line for line in lines[i + 1 : i + 6] if line.strip()]
    return sum(1 for line in following[:4] if _BLOCK_FIELDS.match(line)) >= 2


def _next_filled(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _drop_signature(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        stripped = line.strip()
        if _SIGNATURE_DASHES.match(line.rstrip("\n")) or _MOBILE_FOOTER.match(stripped):
            return lines[:i]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for position, i in enumerate(filled):
        if _SIGN_OFF.match(lines[i].strip()) and len(filled) - position - 1 <= MAX_LINES_AFTER_SIGN_OFF:
            return lines[:i]
    return lines
