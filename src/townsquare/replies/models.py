"""Models of replies."""
