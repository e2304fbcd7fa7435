"""Template tags for the community pages."""
