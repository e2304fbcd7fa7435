"""Urgency cues in several languages, negation, and the priority rule."""

import pytest

from townsquare.triage.labels import PRIORITIES
from townsquare.triage.urgency import URGENCY_KINDS, find_urgency, priority


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@acme your service is down again, nobody can log in", ("outage",)),
        ("Caída total de la red en Madrid, sin servicio desde las 8", ("outage",)),
        ("Störung in Berlin seit heute Morgen", ("outage",)),
        ("encore une panne chez vous", ("outage",)),
        ("my charger caught fire and there was smoke everywhere", ("safety",)),
        ("el cargador explotó y me hice una quemadura", ("safety",)),
        ("Der Akku ist explodiert", ("safety",)),
        ("I will be contacting my lawyer and taking you to small claims court", ("legal",)),
        ("Ich gehe zum Anwalt", ("legal",)),
        ("voy a hablar con mi abogado", ("legal",)),
        ("je vais contacter un avocat", ("legal",)),
        ("reporting you to trading standards", ("legal",)),
        ("this is the third time I message you, still waiting", ("repeated_contact",)),
        ("I already called twice and no one answered", ("repeated_contact",)),
        ("warte immer noch auf eine Antwort", ("repeated_contact",)),
        ("please cancel my subscription today", ("cancellation",)),
        ("quiero darme de baja", ("cancellation",)),
        ("Ich will meinen Vertrag kündigen", ("cancellation",)),
        ("my account was hacked and there is an unauthorised charge", ("security",)),
        ("got a phishing email pretending to be you", ("security",)),
        ("C'est une arnaque", ("security",)),
        ("mijn account is gehackt", ("security",)),
        (
            "app is down, third time this week, cancel my account",
            ("outage", "repeated_contact", "cancellation"),
        ),
    ],
)
def test_cues_are_found(text, expected):
    assert find_urgency(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "love the new update!",
        "you guys are on point, great brand",
        "my account was not hacked, I just forgot the password",
        "this is not a scam, it is a real offer",
        "no fire, just a weird smell of plastic",
        "downloading the app now",
        "the courtyard at your hotel is lovely",
        "suede shoes arrived",
        "",
    ],
)
def test_ordinary_messages_have_no_cues(text):
    assert find_urgency(text) == ()


def test_non_text_has_no_cues():
    assert find_urgency(None) == ()


@pytest.mark.parametrize(
    ("kind", "sentiment", "urgency", "expected"),
    [
        ("praise", "positive", ("safety",), "urgent"),
        ("question", "neutral", ("security",), "urgent"),
        ("complaint", "negative", ("legal",), "urgent"),
        ("chatter", "neutral", ("outage",), "high"),
        ("question", "neutral", ("repeated_contact",), "high"),
        ("complaint", "negative", (), "high"),
        ("problem", "negative", (), "high"),
        ("complaint", "neutral", (), "normal"),
        ("question", "negative", (), "normal"),
        ("problem", "neutral", ("cancellation",), "normal"),
        ("praise", "positive", (), "low"),
        ("chatter", "neutral", (), "low"),
        ("suggestion", "neutral", (), "low"),
        ("spam", "negative", (), "low"),
    ],
)
def test_priority_rule(kind, sentiment, urgency, expected):
    assert priority(kind, sentiment, urgency) == expected
    assert expected in PRIORITIES


def test_urgency_kinds_are_the_documented_six():
    assert URGENCY_KINDS == ("outage", "safety", "legal", "repeated_contact", "cancellation", "security")
