"""`make bench`: each benchmark prints JSON lines with a ratio against a baseline measured in the same run."""
