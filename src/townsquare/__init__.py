"""Townsquare: self-hosted social customer care and peer-support communities."""

__version__ = "0.1.0"
