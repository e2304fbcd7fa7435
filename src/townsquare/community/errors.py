"""What community services raise. API handlers answer 400/403/409 with the message; pages show it."""

from townsquare.inbox.visibility import Forbidden


class CommunityError(ValueError):
    """The request cannot be done as asked (bad input, a closed topic, slow mode): a 400 with the reason."""


class NotAllowed(Forbidden):
    """The member's trust level, role or a suspension does not allow this: a 403 with the reason."""


class Conflict(CommunityError):
    """The state changed or already is as asked (an answer already accepted): a 409."""


class PromotionBlocked(CommunityError):
    """The reply guard stopped a brand post with promotional content in a space that does not allow it."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("blocked by the reply guard: " + "; ".join(reasons))
