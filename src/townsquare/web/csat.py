"""The public CSAT page, /csat/<token>: no login, a CSRF-protected form, rate-limited per address."""

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from townsquare.api.ratelimit import over_limit
from townsquare.replies.csat import (
    MAX_COMMENT,
    BadAnswer,
    SurveyAlreadyAnswered,
    SurveyNotFound,
    answer_survey,
    survey_for_token,
)

RATE_WINDOW_SECONDS = 60
SCORES = [(5, "5 — very happy"), (4, "4"), (3, "3"), (2, "2"), (1, "1 — very unhappy")]


class CsatForm(forms.Form):
    score = forms.TypedChoiceField(choices=SCORES, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        required=False, max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 4})
    )


@csrf_protect
@require_http_methods(["GET", "POST"])
def csat(request, token: str):
    wait = over_limit(
        f"csat:{request.META.get('REMOTE_ADDR') or 'unknown'}", settings.CSAT_RATE_LIMIT, RATE_WINDOW_SECONDS
    )
    if wait is not None:
        response = render(
            request,
            "web/csat_message.html",
            {"message": "Too many requests; try again in a minute."},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    try:
        survey = survey_for_token(token)
    except SurveyNotFound:
        raise Http404("no survey has this link") from None
    if survey.answered_at is not None and request.method == "GET":
        return render(request, "web/csat_message.html", {"message": "You have already answered. Thank you!"})
    form = CsatForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "web/csat.html", {"form": form, "survey": survey}, status=400)
        try:
            answer_survey(token, form.cleaned_data["score"], form.cleaned_data["comment"])
        except SurveyAlreadyAnswered as exc:
            return render(request, "web/csat_message.html", {"message": str(exc)}, status=409)
        except BadAnswer as exc:
            form.add_error(None, str(exc))
            return render(request, "web/csat.html", {"form": form, "survey": survey}, status=400)
        return render(request, "web/csat_message.html", {"message": "Thank you for your answer!"})
    return render(request, "web/csat.html", {"form": form, "survey": survey})
