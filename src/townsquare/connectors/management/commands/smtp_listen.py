"""`townsquare smtp-listen [--host H] [--port P] [--lmtp]`: receive email for the email channels.

Mail to a channel's address (or an alias, or address+anything@) is stored; other recipients get
550. Put it behind your mail server (relay the support domain to it, or deliver over LMTP).
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from townsquare.connectors.email.listener import start_listener


class Command(BaseCommand):
    help = "Listen for SMTP (or LMTP) and store mail sent to the email channels' addresses."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=2525, help="port (default 2525)")
        parser.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")

    def handle(self, *args, **options):
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port {options['port']} is not a port number")
        try:
            controller = start_listener(options["host"], options["port"], lmtp=options["lmtp"])
        except (OSError, RuntimeError) as exc:
            raise CommandError(f"cannot listen on {options['host']}:{options['port']}: {exc}") from exc
        protocol = "LMTP" if options["lmtp"] else "SMTP"
        self.stdout.write(f"Listening for {protocol} on {options['host']}:{options['port']}", ending="\n")
        self.stdout.flush()
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        stop.wait()
        controller.stop()
        controller.handler.close()
