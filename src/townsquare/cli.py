"""The `townsquare` command: Django's management commands with Townsquare's settings.

`townsquare run`, `townsquare ingest …`, `townsquare token create …` and every Django command
(`migrate`, `createsuperuser`, …) work the same as `python manage.py …` would. `triage-train` and
`triage-eval` run without Django (townsquare.triage.cli).
"""

import os
import sys

# Plain-Python commands that need neither Django nor a database.
TRIAGE_COMMANDS = ("triage-train", "triage-eval", "triage-intents")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in TRIAGE_COMMANDS:
        from townsquare.triage.cli import main as triage_main

        sys.exit(triage_main(argv))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["townsquare", *argv])


if __name__ == "__main__":
    main()
