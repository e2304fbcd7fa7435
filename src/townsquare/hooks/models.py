"""Models of hooks."""
