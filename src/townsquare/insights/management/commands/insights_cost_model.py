"""`townsquare insights-cost-model [--staff X] [--ambassador X] [--community X] [--channel KIND=X …]
[--currency CODE] [--deflection-share S] [--json]`: show the cost-of-care model, or change it.

Whoever runs the command on the server acts as the operator (the event says so); with no option
it only prints the model. `--channel` replaces every per-channel staff cost (`--channel ''` clears)."""

import json

from django.core.management.base import BaseCommand, CommandError

from townsquare.inbox.channels import OPERATOR
from townsquare.insights.cost_model import CostModelError, as_dict, current_model, update_model


class Command(BaseCommand):
    help = "Show or change what a contact costs (staff, ambassador, community) and the deflection share."

    def add_arguments(self, parser):
        for role in ("staff", "ambassador", "community"):
            parser.add_argument(f"--{role}", help=f"cost of one contact handled by {role}")
        parser.add_argument(
            "--channel", action="append", help="staff cost by channel kind, KIND=COST (repeat for more)"
        )
        parser.add_argument("--currency", help="ISO 4217 code, e.g. GBP")
        parser.add_argument("--deflection-share", dest="deflection_share", help="0–1")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")

    def handle(self, *args, as_json=False, **options):
        by_role = {role: options[role] for role in ("staff", "ambassador", "community") if options[role]}
        changes = {
            "currency": options["currency"],
            "deflection_share": options["deflection_share"],
            "by_role": {**current_model().by_role, **by_role} if by_role else None,
            "by_channel": _channels(options["channel"]) if options["channel"] is not None else None,
        }
        try:
            if any(value is not None for value in changes.values()):
                update_model(OPERATOR, **changes)
        except CostModelError as exc:
            raise CommandError(str(exc)) from None
        model = as_dict(current_model())
        if as_json:
            self.stdout.write(json.dumps(model))
            return
        by_channel = ", ".join(f"{kind} {cost:g}" for kind, cost in sorted(model["by_channel"].items()))
        self.stdout.write(
            "a contact costs {currency} {staff:g} by staff, {ambassador:g} by an ambassador, {community:g} "
            "by the community; deflection share {share:g}{channels}".format(
                currency=model["currency"],
                share=model["deflection_share"],
                channels=f"; staff by channel kind: {by_channel}" if by_channel else "",
                **model["by_role"],
            )
        )


def _channels(values: list[str]) -> dict:
    costs = {}
    for value in values:
        if not value.strip():
            continue
        kind, sep, cost = value.partition("=")
        if not sep:
            raise CommandError(f"--channel takes KIND=COST, e.g. email=5.5, not {value!r}")
        costs[kind.strip()] = cost.strip()
    return costs
