"""`townsquare consent show|record|import`: the consent ledger from the command line.

`import` reads a CSV (customer_id, purpose, granted, source, wording[, recorded_at]) exported from
another system: each valid row becomes a record, each bad row is reported with its line number,
and nothing valid is lost because of a bad row.
"""

import csv
import json
from datetime import UTC

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from townsquare.inbox.visibility import Forbidden
from townsquare.people.consent import InvalidConsent, consent_state, ledger, record_consent
from townsquare.people.models import Customer, User

ANSWERS = {
    "yes": True,
    "true": True,
    "1": True,
    "grant": True,
    "no": False,
    "false": False,
    "0": False,
    "revoke": False,
}
COLUMNS = ("customer_id", "purpose", "granted", "source", "wording")


class RowError(ValueError):
    pass


class Command(BaseCommand):
    help = "Show a customer's consent, record a grant or revocation, or import a CSV of them."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{show,record,import}")
        show = actions.add_parser("show", help="the current answer per purpose and the ledger")
        show.add_argument("customer_id", type=int)
        show.add_argument("--json", dest="as_json", action="store_true")
        add = actions.add_parser("record", help="record one grant or revocation")
        add.add_argument("customer_id", type=int)
        add.add_argument("purpose")
        add.add_argument("answer", choices=("grant", "revoke"))
        add.add_argument("--wording", required=True, help="the exact words shown to the customer")
        add.add_argument("--source", default="console")
        add.add_argument(
            "--as", dest="username", required=True, help="who records it (admin, supervisor, agent)"
        )
        load = actions.add_parser(
            "import", help=f"records from a CSV with columns {', '.join(COLUMNS)}[, recorded_at]"
        )
        load.add_argument("path")
        load.add_argument(
            "--as", dest="username", required=True, help="who imports (admin, supervisor, agent)"
        )

    def handle(self, *args, action, **options):
        try:
            {"show": self.show, "record": self.record, "import": self.load}[action](**options)
        except (InvalidConsent, Forbidden) as exc:
            raise CommandError(str(exc)) from None

    def show(self, customer_id, as_json, **_):
        customer = find_customer(customer_id)
        state = {purpose: describe(entry) for purpose, entry in consent_state(customer).items()}
        history = [describe(entry) for entry in ledger(customer)]
        if as_json:
            self.stdout.write(json.dumps({"customer_id": customer.pk, "state": state, "ledger": history}))
            return
        for purpose, entry in state.items():
            answer = "no answer" if entry is None else ("granted" if entry["granted"] else "revoked")
            self.stdout.write(f"{purpose:<17} {answer}")

    def record(self, customer_id, purpose, answer, wording, source, username, **_):
        entry = record_consent(
            find_user(username), find_customer(customer_id), purpose,
            granted=answer == "grant", source=source, wording=wording,
        )  # fmt: skip
        self.stdout.write(f"recorded: customer {customer_id} {answer} {purpose} (record {entry.pk})")

    def load(self, path, username, **_):
        actor = find_user(username)
        stored, rejected = 0, []
        try:
            with open(path, newline="", encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
                if missing:
                    raise CommandError(f"{path}: missing columns {', '.join(missing)}")
                for row in reader:
                    try:
                        import_row(actor, row)
                        stored += 1
                    except (RowError, InvalidConsent, Forbidden) as exc:
                        rejected.append(f"line {reader.line_num}: {exc}")
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"{path}: {exc}") from None
        for line in rejected:
            self.stderr.write(line)
        self.stdout.write(json.dumps({"stored": stored, "rejected": len(rejected)}))


def import_row(actor, row: dict) -> None:
    customer_id = (row.get("customer_id") or "").strip()
    valid_id = customer_id.isdigit() and len(customer_id) <= 18  # longer overflows the id column
    customer = Customer.objects.filter(pk=int(customer_id)).first() if valid_id else None
    if customer is None:
        raise RowError(f"no customer {customer_id!r}")
    answer = (row.get("granted") or "").strip().lower()
    if answer not in ANSWERS:
        raise RowError(f"granted must be yes or no, not {answer!r}")
    recorded_at = None
    if (row.get("recorded_at") or "").strip():
        try:
            recorded_at = parse_datetime(row["recorded_at"].strip())
        except ValueError:  # well formed, but no such date (month 13)
            recorded_at = None
        if recorded_at is None:
            raise RowError(f"recorded_at {row['recorded_at']!r} is not an ISO 8601 date and time")
        recorded_at = recorded_at if recorded_at.tzinfo else recorded_at.replace(tzinfo=UTC)
    record_consent(
        actor, customer, (row.get("purpose") or "").strip(), granted=ANSWERS[answer],
        source=(row.get("source") or "import").strip(), wording=row.get("wording") or "", recorded_at=recorded_at,
    )  # fmt: skip


def describe(entry) -> dict | None:
    if entry is None:
        return None
    return {
        "purpose": entry.purpose,
        "granted": entry.granted,
        "source": entry.source,
        "wording": entry.wording,
        "recorded_at": entry.recorded_at.isoformat(),
        "recorded_by": entry.recorded_by.username if entry.recorded_by_id else None,
    }


def find_customer(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise CommandError(f"no customer {customer_id}")
    return customer


def find_user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    return user
