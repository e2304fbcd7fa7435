"""A mail server pipes each message to `townsquare ingest-email --channel support-mail` (Postfix
mailbox_command, procmail, fetchmail --mda): exit 0 when stored, 65 with the reason when rejected."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.email.inbound_mails import plain
from tests.inbox.fresh_db import fresh_database, townsquare
from townsquare.inbox.models import Message

pytestmark = [pytest.mark.db]

MALFORMED = b"To: support@shop.test\r\nSubject: nobody\r\n\r\nwho sent this?\r\n"
CREATE_CHANNEL = (
    "from townsquare.inbox.models import Channel; "
    "Channel.objects.create(name='support-mail', kind='email', settings={'address': 'support@shop.test'})"
)


def test_piping_mail_into_the_command_in_a_real_process(tmp_path):
    with fresh_database(tmp_path) as (url, query):
        created = townsquare(["shell", "-c", CREATE_CHANNEL], url, tmp_path)
        assert created.returncode == 0, created.stderr
        mail = plain("Where is my order?", message_id="piped@customer.test").decode()
        stored = townsquare(
            ["ingest-email", "--channel", "support-mail", "--json"], url, tmp_path, input=mail
        )
        assert stored.returncode == 0, stored.stderr
        assert json.loads(stored.stdout)["status"] == "stored"
        again = townsquare(["ingest-email", "--channel", "support-mail", "-"], url, tmp_path, input=mail)
        assert (again.returncode, again.stdout.split()[0]) == (0, "duplicate")
        rejected = townsquare(
            ["ingest-email", "--channel", "support-mail"], url, tmp_path, input=MALFORMED.decode()
        )
        assert rejected.returncode == 65
        assert "rejected: no sender" in rejected.stderr and "Traceback" not in rejected.stderr
        assert query("SELECT external_id FROM inbox_message") == [("piped@customer.test",)]
        assert query("SELECT count(*) FROM connectors_rejectedinbound") == [(1,)]


def test_a_file_argument_is_read(support, tmp_path, capsys, email_data_dir):
    path = tmp_path / "mail.eml"
    path.write_bytes(plain("From a file", message_id="file@customer.test"))
    call_command("ingest_email", "--channel", "support-mail", str(path))
    assert capsys.readouterr().out.startswith("stored in conversation ")
    assert Message.objects.get().text == "From a file"


def test_a_rejected_file_exits_65(support, tmp_path, email_data_dir):
    path = tmp_path / "bad.eml"
    path.write_bytes(MALFORMED)
    with pytest.raises(SystemExit) as exited:
        call_command("ingest_email", "--channel", "support-mail", str(path))
    assert exited.value.code == 65


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--channel", "nope", "x.eml"], "no channel named 'nope'"),
        (["--channel", "twitter", "x.eml"], r"is not an email channel \(its kind is import\)"),
        (["--channel", "support-mail", "/no/such/file.eml"], "cannot read /no/such/file.eml"),
    ],
)
def test_bad_arguments_say_what_is_wrong(support, twitter, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("ingest_email", *args)
