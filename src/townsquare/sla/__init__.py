"""Service levels: business calendars, SLA policies per queue and priority, clocks, warnings and breaches."""
