"""Importers that give a new community its history (`townsquare ingest --format stackexchange PATH`).

Imported history goes straight into the community tables and the event log; it never passes
through the care inbox, and no in-process listener runs for it (notifications, escalation and
search indexing are for what happens from now on).
"""
