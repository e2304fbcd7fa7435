"""Connectors: one package per channel kind behind one small interface (see `base`), found
through `registry`. A connector receives or polls messages (normalised, stored through the
ingest service), sends replies, and reports its health."""
