"""The written reason and the community guideline a moderation decision rests on."""

from townsquare.community.errors import CommunityError
from townsquare.community.models import Guideline

REASON_MIN = 5
REASON_MAX = 1000


def clean_reason(reason) -> str:
    """The moderator's reason, required: every decision is explained to the person it affects."""
    if not isinstance(reason, str):
        raise CommunityError("reason must be text")
    reason = " ".join(reason.replace("\x00", "").split())
    if len(reason) < REASON_MIN:
        raise CommunityError(f"write a reason of at least {REASON_MIN} characters: the author is told why")
    if len(reason) > REASON_MAX:
        raise CommunityError(f"reason may have at most {REASON_MAX} characters")
    return reason


def find_guideline(*, guideline_id: int | None = None, number: int | None = None) -> Guideline | None:
    """The active guideline cited by id or by its rule number; None when none is cited."""
    if guideline_id is None and number is None:
        return None
    found = Guideline.objects.filter(pk=guideline_id) if guideline_id is not None else None
    if number is not None:
        found = (found if found is not None else Guideline.objects).filter(number=number)
    guideline = found.first()
    if guideline is None:
        cited = f"rule {number}" if number is not None else f"guideline {guideline_id}"
        raise CommunityError(f"{cited} does not exist")
    if not guideline.is_active:
        raise CommunityError(f"rule {guideline.number} has been repealed and cannot be cited")
    return guideline


def cited(guideline: Guideline | None) -> str:
    """ " (rule 3: No referral links)" or "", as the author reads it after the reason."""
    return f" (rule {guideline.number}: {guideline.title})" if guideline is not None else ""
