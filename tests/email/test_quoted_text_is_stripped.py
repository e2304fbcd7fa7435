"""Triage and the console see what the customer just wrote, not the quoted history or signature."""

import pytest

from townsquare.connectors.email.quoting import strip_reply

CASES = {
    "gmail": (
        "Still broken.\n\nOn Mon, Nov 2, 2026 at 9:00 AM Support <\nsupport@shop.test> wrote:\n> Try a restart.\n",
        "Still broken.",
    ),
    "thunderbird": ("Log attached.\n\nOn 02.11.26 09:00, Support wrote:\n> Send the log?\n", "Log attached."),
    "apple": ("Done.\n\nOn 2 Nov 2026, at 09:00, Support <s@shop.test> wrote:\n\nold unquoted\n", "Done."),
    "german": ("Danke!\n\nAm 02.11.2026 um 09:00 schrieb Support <s@shop.test>:\n> alt\n", "Danke!"),
    "french": ("Merci\n\nLe lun. 2 nov. 2026 à 09:00, Support <s@shop.test> a écrit :\n> vieux\n", "Merci"),
    "spanish": (
        "Gracias\n\nEl lun, 2 nov 2026 a las 9:00, Support (<s@shop.test>) escribió:\n> viejo\n",
        "Gracias",
    ),
    "outlook separator": ("New\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n\nold\n", "New"),
    "outlook block": (
        "New\n\n________________________________\nFrom: Support <s@shop.test>\nSent: Monday, 2 November\n"
        "To: Fox\nSubject: RE: router\n\nold body\n",
        "New",
    ),
    "outlook german": (
        "Neu\n\nVon: Support <s@x>\nGesendet: Montag\nAn: Fox\nBetreff: AW: x\n\nalt\n",
        "Neu",
    ),
    "outlook french": (
        "Nouveau\n\nDe : Support <s@x>\nEnvoyé : lundi\nÀ : Fox\nObjet : RE: x\n\nvieux\n",
        "Nouveau",
    ),
    "interleaved": ("Hi\n\nOn Mon, Support wrote:\n> Model?\nRT-500\n> Firmware?\n2.1\n", "Hi\nRT-500\n2.1"),
    "dash signature": ("Body\n-- \nDana\nCustomer Corp\n", "Body"),
    "iphone": ("Please call me.\n\nSent from my iPhone\n", "Please call me."),
    "german iphone": ("Bitte anrufen.\n\nVon meinem iPhone gesendet\n", "Bitte anrufen."),
    "sign-off": (
        "The box is dented.\n\nBest regards,\nDana Scully\nCustomer Corp\n+1 555 0100\n",
        "The box is dented.",
    ),
    "german sign-off": (
        "Die Box ist kaputt.\n\nMit freundlichen Grüßen\nJörg Müller\n",
        "Die Box ist kaputt.",
    ),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_quotes_and_signatures_are_stripped(text, expected):
    assert strip_reply(text) == expected


def test_a_sign_off_in_the_middle_of_a_long_mail_stays():
    lines = ["Thanks,", *[f"line {n}" for n in range(10)]]
    assert strip_reply("\n".join(lines)).startswith("Thanks,")


def test_a_sentence_mentioning_wrote_is_not_an_attribution():
    text = "On the form I wrote my old address.\nPlease update it."
    assert strip_reply(text) == text
