"""Community moderation: flags, the moderation queue, moderators' actions, suspensions, slow mode.

Every moderator action goes through `actions`/`suspensions`/`slow_mode`, which write the public
`ModerationAction` row (with its written reason and the rule it applies), the
`community.moderated` event and the author's notification in one transaction.
"""
