"""`townsquare split-identity IDENTITY --reason TEXT`: split an identity off its customer from the shell.

The identity goes back to the customer it was merged away from, or to a new customer, with the
conversations it started; acts as the CLI operator and the audit event says so.
"""

from django.core.management.base import BaseCommand, CommandError

from townsquare.inbox.channels import OPERATOR
from townsquare.people.management.commands.merge_customers import counted
from townsquare.people.merging import MergeError
from townsquare.people.models import Identity
from townsquare.people.splitting import split_off


class Command(BaseCommand):
    help = "Split an identity off its customer (back to the customer it came from, or a new one; audited)."

    def add_arguments(self, parser):
        parser.add_argument(
            "identity", type=int, help="the identity's id (GET /api/v1/customers/{id}/identities)"
        )
        parser.add_argument("--reason", required=True, help="why, for the audit trail")

    def handle(self, *args, identity: int, reason: str, **options):
        found = Identity.objects.filter(pk=identity).first()
        if found is None:
            raise CommandError(f"identity {identity} not found")
        try:
            done = split_off(OPERATOR, found, reason=reason)
        except MergeError as error:
            raise CommandError(str(error)) from None
        where = "back to customer" if done.revived else "to new customer"
        self.stdout.write(
            f"Split identity {found.pk} off customer {done.from_customer_id} {where} {done.customer.pk}: "
            f"{counted(len(done.conversations), 'conversation', 'conversations')} moved."
        )
