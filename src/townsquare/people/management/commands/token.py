"""`townsquare token create|list|revoke`: personal API tokens from the command line."""

import json

from django.core.management.base import BaseCommand, CommandError

from townsquare.people.models import User
from townsquare.people.tokens import TokenError, create_token, find_active_by_prefix, revoke_token


class Command(BaseCommand):
    help = "Create, list and revoke personal API tokens (Authorization: Bearer <token>)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help="make a token for a user and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for, e.g. 'reporting script'")
        create.add_argument(
            "--json", dest="as_json", action="store_true", help="print one JSON object instead of a line"
        )
        listing = actions.add_parser("list", help="show a user's tokens (prefixes only)")
        listing.add_argument("username")
        listing.add_argument(
            "--json", dest="as_json", action="store_true", help="print one JSON object instead of lines"
        )
        revoke = actions.add_parser("revoke", help="revoke the token that starts with PREFIX")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        try:
            {"create": self.create, "list": self.list, "revoke": self.revoke}[action](**options)
        except TokenError as exc:
            raise CommandError(str(exc)) from None

    def create(self, username, name, as_json, **_):
        user = find_user(username)
        token, plaintext = create_token(user, name)
        if as_json:
            self.stdout.write(dumps({"token": plaintext, "prefix": token.prefix, "user": user.username}))
        else:
            self.stdout.write(f"{plaintext}\n(token {token.prefix}… for {user.username}; shown only once)")

    def list(self, username, as_json, **_):
        user = find_user(username)
        tokens = user.api_tokens.order_by("-created_at", "-id")
        rows = [
            {
                "id": t.pk,
                "prefix": t.prefix,
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in tokens
        ]
        if as_json:
            self.stdout.write(dumps({"user": user.username, "tokens": rows}))
            return
        if not rows:
            self.stdout.write(f"{user.username} has no tokens")
        for row in rows:
            state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
            used = row["last_used_at"] or "never"
            self.stdout.write(f"{row['prefix']}…  {state:<10}  last used {used}  {row['name']}")

    def revoke(self, prefix, **_):
        token = find_active_by_prefix(prefix)
        revoke_token(token)
        self.stdout.write(f"revoked {token.prefix}… of {token.user.username}")


def find_user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"no user named {username!r}") from None


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)
