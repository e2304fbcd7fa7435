"""How the community services' exceptions answer over the API, for every community router at once.

CommunityError is a 400 with its message, Conflict a 409, PromotionBlocked a 400 with the reply
guard's `reasons`; NotAllowed is a Forbidden, which the API already answers with 403.
"""

from townsquare.api.errors import problem
from townsquare.community.errors import CommunityError, Conflict, PromotionBlocked


def install_community_handlers(api) -> None:
    def on_community_error(request, exc: CommunityError):
        return problem(api, request, 400, str(exc) or "the request cannot be done")

    def on_conflict(request, exc: Conflict):
        return problem(api, request, 409, str(exc) or "conflict")

    def on_promotion_blocked(request, exc: PromotionBlocked):
        return problem(api, request, 400, str(exc), reasons=list(exc.reasons))

    # Ninja picks the handler of the most specific class in the exception's MRO.
    api.add_exception_handler(CommunityError, on_community_error)
    api.add_exception_handler(Conflict, on_conflict)
    api.add_exception_handler(PromotionBlocked, on_promotion_blocked)
