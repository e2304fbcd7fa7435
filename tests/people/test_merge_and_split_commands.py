"""Grace cleans up after an import from the shell: `townsquare merge-customers` and
`townsquare split-identity`, each with a reason; mistakes exit with a clear message."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.people.merge_builders import chat_channel, conversation_by, email_channel, person
from townsquare.cli import command_name
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two():
    dana, chat = person(chat_channel(), "visitor-7", name="Dana")
    conversation_by(chat)
    sam, mail = person(email_channel(), "sam@example.org", name="Sam", created_minutes=4)
    conversation_by(mail)
    return dana, sam, mail


def test_the_dashed_names_run_the_commands():
    assert command_name("merge-customers") == "merge_customers"
    assert command_name("split-identity") == "split_identity"


def test_merge_then_split_from_the_shell(two):
    dana, sam, mail = two

    said = run("merge_customers", str(dana.pk), str(sam.pk), "--reason", "duplicate from the import")
    assert said.strip() == (
        f"Merged customer {sam.pk} into customer {dana.pk}: 1 identity and 1 conversation moved."
    )
    merged = Event.objects.get(kind="customer.merged")
    assert merged.actor_id is None and merged.data["via"] == "cli"
    assert merged.data["reason"] == "duplicate from the import"

    said = run("split_identity", str(mail.pk), "--reason", "not a duplicate after all")
    assert said.strip() == (
        f"Split identity {mail.pk} off customer {dana.pk} back to customer {sam.pk}: 1 conversation moved."
    )
    assert Event.objects.get(kind="identity.split").data["via"] == "cli"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("merge_customers", "SELF", "SELF", "--reason", "x"), "into itself"),
        (("merge_customers", "SELF", "999999", "--reason", "x"), "customer 999999 not found"),
        (("merge_customers", "SELF", "OTHER", "--reason", "  "), "a reason is required"),
        (("split_identity", "999999", "--reason", "x"), "identity 999999 not found"),
        (("split_identity", "MAIL", "--reason", "x"), "only identity"),
    ],
)
def test_mistakes_exit_with_a_message(two, args, message):
    dana, sam, mail = two
    names = {"SELF": str(dana.pk), "OTHER": str(sam.pk), "MAIL": str(mail.pk)}
    with pytest.raises(CommandError, match=message):
        run(*(names.get(arg, arg) for arg in args))
    assert not Event.objects.filter(kind__in=["customer.merged", "identity.split"]).exists()
