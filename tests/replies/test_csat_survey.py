"""CSAT: resolving asks Dana for a score through a signed link; she answers once on a public page."""

import pytest
from django.urls import reverse

from townsquare.events.models import Event
from townsquare.replies.csat import survey_path
from townsquare.replies.models import CsatSurvey
from townsquare.replies.status import change_status


@pytest.fixture
def survey(alice, dana_asks) -> CsatSurvey:
    change_status(alice, dana_asks, "open")
    change_status(alice, dana_asks, "resolved")
    return CsatSurvey.objects.get(conversation=dana_asks)


def test_resolving_logs_the_request_with_a_signed_link(survey, dana_asks):
    assert Event.objects.get(kind="csat.requested").conversation_id == dana_asks.pk
    assert survey_path(survey) == reverse("web:csat", args=[survey.token])
    assert ":" in survey.token  # django.core.signing: value:signature


def test_dana_answers_without_logging_in(client, survey, dana_asks):
    page = client.get(survey_path(survey))
    assert page.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in page.content
    answer = client.post(survey_path(survey), {"score": "4", "comment": "Quick and kind"})
    assert answer.status_code == 200
    assert b"Thank you" in answer.content
    survey.refresh_from_db()
    assert (survey.score, survey.comment) == (4, "Quick and kind")
    assert Event.objects.get(kind="csat.answered").data == {"score": 4}


def test_the_page_refuses_a_post_without_the_csrf_token(survey):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(survey_path(survey), {"score": "5"}).status_code == 403
    survey.refresh_from_db()
    assert survey.score is None


def test_a_second_answer_is_refused(client, survey):
    client.post(survey_path(survey), {"score": "5"})
    again = client.post(survey_path(survey), {"score": "1"})
    assert again.status_code == 409
    survey.refresh_from_db()
    assert survey.score == 5


@pytest.mark.parametrize("score", ["0", "6", "-1", "4.5", "five", ""])
def test_a_score_outside_1_to_5_is_refused(client, survey, score):
    response = client.post(survey_path(survey), {"score": score})
    assert response.status_code == 400
    survey.refresh_from_db()
    assert survey.score is None


@pytest.mark.parametrize("token", ["nope", "1:forged", "x" * 150])
def test_a_bad_token_is_a_404(client, survey, token):
    assert client.get(reverse("web:csat", args=[token])).status_code == 404
    assert client.post(reverse("web:csat", args=[token]), {"score": "5"}).status_code == 404


def test_the_survey_page_is_rate_limited(client, survey, settings):
    settings.CSAT_RATE_LIMIT = 3
    statuses = [client.get(survey_path(survey)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
