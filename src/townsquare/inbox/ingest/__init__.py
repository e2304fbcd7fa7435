"""Ingest: the one way a message enters Townsquare.

`normalized` defines the message every source is turned into, `store` writes batches of them
idempotently, `importers` stream files into batches, `run_import` ties a file to a channel.
"""
