"""The console's insights pages: overview, one page per section, drill-down and downloads."""
