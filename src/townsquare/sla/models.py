"""Models of sla."""
