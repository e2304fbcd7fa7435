"""Insights: care and community figures computed from the append-only event log.

The event log is folded into a projection (one row per conversation and per message, see
`models`) that is refreshed incrementally from a checkpoint; reports aggregate the projection and
state every figure with its sample size and 95% confidence interval (`figures`).
"""
