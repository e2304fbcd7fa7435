"""`townsquare twofactor reset USERNAME`: turn off someone's two-factor login when they lost both
their phone and their recovery codes. Run on the server, like `changepassword`."""

from django.core.management.base import BaseCommand, CommandError

from townsquare.people.models import User
from townsquare.security.twofactor import reset_by_operator


class Command(BaseCommand):
    help = "Turn off a user's two-factor login (lost phone and recovery codes); they can enrol again."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{reset}")
        reset = actions.add_parser("reset", help="remove the user's authenticator and recovery codes")
        reset.add_argument("username")

    def handle(self, *args, action, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if not reset_by_operator(user):
            raise CommandError(f"{username} has no two-factor login to reset")
        self.stdout.write(
            f"Two-factor login of {username} is off; they sign in with their password and enrol again."
        )
