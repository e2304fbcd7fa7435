"""`townsquare merge-customers SURVIVOR OTHER --reason TEXT`: merge OTHER into SURVIVOR from the shell.

For cleanups after an import or a support request; acts as the CLI operator (shell access to the
installation, like `createsuperuser`), and the audit event says it came from the command line.
"""

from django.core.management.base import BaseCommand, CommandError

from townsquare.inbox.channels import OPERATOR
from townsquare.people.merging import MergeError, merge_customers
from townsquare.people.models import Customer


def counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def customer_or_error(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise CommandError(f"customer {customer_id} not found")
    return customer


class Command(BaseCommand):
    help = "Merge customer OTHER into customer SURVIVOR (identities and conversations move; audited)."

    def add_arguments(self, parser):
        parser.add_argument("survivor", type=int, help="the customer that stays")
        parser.add_argument("other", type=int, help="the customer merged into it")
        parser.add_argument("--reason", required=True, help="why, for the audit trail")

    def handle(self, *args, survivor: int, other: int, reason: str, **options):
        kept, merged = customer_or_error(survivor), customer_or_error(other)
        moving = (merged.identities.count(), merged.conversations.count())
        try:
            merge_customers(OPERATOR, kept, merged, reason=reason)
        except MergeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Merged customer {merged.pk} into customer {kept.pk}: "
            f"{counted(moving[0], 'identity', 'identities')} and "
            f"{counted(moving[1], 'conversation', 'conversations')} moved."
        )
