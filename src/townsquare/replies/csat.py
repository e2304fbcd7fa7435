"""CSAT: a resolved conversation asks its customer for a 1–5 score through a signed link, answered once."""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from townsquare.events.log import record
from townsquare.replies.models import CsatSurvey

SALT = "townsquare.replies.csat"
MAX_COMMENT = 2000


class SurveyNotFound(LookupError):
    """No survey has this token (or its signature is wrong): the page answers 404."""


class SurveyAlreadyAnswered(ValueError):
    """The customer answered already; one answer per conversation."""


class BadAnswer(ValueError):
    """A score outside 1–5 or a comment that is too long."""


def request_survey(conversation) -> CsatSurvey | None:
    """Create the conversation's survey (once) and log `csat.requested`; call inside the resolve transaction.

    A conversation resolved again after a reopen keeps its survey; an answered survey is not asked again.
    """
    survey = CsatSurvey.objects.filter(conversation=conversation).first()
    if survey is not None and survey.answered_at is not None:
        return None
    if survey is None:
        survey = CsatSurvey.objects.create(
            conversation=conversation, token=signing.dumps(conversation.pk, salt=SALT, compress=True)
        )
    else:
        survey.requested_at = timezone.now()
        survey.save(update_fields=["requested_at"])
    record(
        "csat.requested",
        channel_id=conversation.channel_id,
        conversation_id=conversation.pk,
        data={"survey_id": survey.pk},
    )
    from townsquare.replies.csat_email import email_survey_after_commit

    email_survey_after_commit(survey)
    return survey


def survey_path(survey: CsatSurvey) -> str:
    """The public link the customer gets (relative to the site)."""
    return reverse("web:csat", args=[survey.token])


def survey_for_token(token: str) -> CsatSurvey:
    try:
        conversation_id = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise SurveyNotFound("no survey has this link") from None
    survey = CsatSurvey.objects.filter(token=token, conversation_id=conversation_id).first()
    if survey is None:
        raise SurveyNotFound("no survey has this link")
    return survey


def answer_survey(token: str, score, comment: str = "") -> CsatSurvey:
    """Store the customer's answer; raises SurveyNotFound, BadAnswer or SurveyAlreadyAnswered."""
    score = _valid_score(score)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT or "\x00" in comment:
        raise BadAnswer(f"the comment must be at most {MAX_COMMENT} characters of text")
    survey = survey_for_token(token)
    with transaction.atomic():
        now = timezone.now()
        # Conditional update: two submissions at once store one answer.
        taken = CsatSurvey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
            score=score, comment=comment, answered_at=now
        )
        if not taken:
            raise SurveyAlreadyAnswered("this survey has already been answered, thank you")
        record(
            "csat.answered",
            conversation_id=survey.conversation_id,
            data={"score": score},
        )
    survey.refresh_from_db()
    return survey


def _valid_score(score) -> int:
    try:
        value = int(score)
    except (TypeError, ValueError):
        raise BadAnswer("the score must be a whole number from 1 to 5") from None
    if isinstance(score, float) and score != value or not 1 <= value <= 5:
        raise BadAnswer("the score must be a whole number from 1 to 5")
    return value
