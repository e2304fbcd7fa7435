"""Care workflow: teams, queues, agents' presence and capacity, routing and assignment, escalation."""
