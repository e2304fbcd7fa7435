"""`townsquare community-embed [--all] [--background] [--batch-size N]`: embed topics for
semantic search (those with no embedding from the current model, or every one with --all)."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from townsquare.community.search.embeddings import BATCH, embed_topics, missing_topic_ids


class Command(BaseCommand):
    help = (
        "Embed community topics for semantic and cross-lingual search: the ones missing an embedding "
        "(topics imported in bulk, or made before a model change), or all with --all. Runs here in "
        "batches, or with --background as tasks for the semantic worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="re-embed every topic, not only missing ones")
        parser.add_argument("--background", action="store_true", help="enqueue tasks instead of running here")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH * 4, help=f"topics per batch (default {BATCH * 4})"
        )

    def handle(self, *args, all, background, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        ids = missing_topic_ids(everything=all)
        batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
        if background:
            from townsquare.community.search.tasks import embed_topics_task

            for batch in batches:
                embed_topics_task.enqueue(batch)
            self.stdout.write(f"Enqueued {len(batches):,} task(s) for {len(ids):,} topic(s).")
            return
        started, done = time.monotonic(), 0
        for batch in batches:
            done += embed_topics(batch)
            if sys.stderr.isatty():
                rate = done / max(time.monotonic() - started, 1e-9)
                sys.stderr.write(f"\r{done:,}/{len(ids):,} topics  {rate:,.0f}/s")
                sys.stderr.flush()
        if sys.stderr.isatty() and batches:
            sys.stderr.write("\n")
        self.stdout.write(f"Embedded {done:,} topic(s) in {time.monotonic() - started:.1f} s.")
