"""The `townsquare` command: Django's management commands with Townsquare's settings.

`townsquare run`, `townsquare ingest …`, `townsquare token create …` and every Django command
(`migrate`, `createsuperuser`, …) work the same as `python manage.py …` would. `triage-train` and
`triage-eval` run without Django (townsquare.triage.cli). A command whose module name has
underscores may be spelled with dashes: `townsquare insights-refresh` runs `insights_refresh`.
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

    if argv:
        argv = [command_name(argv[0]), *argv[1:]]
    execute_from_command_line(["townsquare", *argv])


def command_name(name: str) -> str:
    """`insights-refresh` -> `insights_refresh` when only the underscored command exists."""
    if "-" not in name or name.startswith("-"):
        return name
    import django
    from django.core.management import get_commands

    django.setup()
    commands = get_commands()
    underscored = name.replace("-", "_")
    return underscored if name not in commands and underscored in commands else name


if __name__ == "__main__":
    main()
