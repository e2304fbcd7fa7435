"""Running Townsquare on one machine: `townsquare run`, the demo data and the demo admin."""
