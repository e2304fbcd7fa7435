"""Subscriptions and notifications: who hears about what happens in the community, and how.

- `subscriptions`: following a topic or a space (askers and posters follow their topics by themselves).
- `listeners`: community events become `Notification` rows for subscribers and @mentioned members.
- `inbox`: reading them (unread count, mark read).
- `digest`: one email per member with what they have not read yet.
"""
