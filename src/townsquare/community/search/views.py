"""The search page (/community/search/) and the "similar questions" partial the ask form loads.

Both are public and both cost real work per request (a ranked full-text query, an encoder call),
so each client address gets a budget per minute; signed-in members count against theirs too.
"""

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from townsquare.api.ratelimit import over_limit
from townsquare.community.models import Space, Tag
from townsquare.community.search.hybrid import MAX_PAGES, MODES, search
from townsquare.community.search.query import MAX_QUERY_CHARS
from townsquare.community.search.similar import similar_topics
from townsquare.security.auth_events import client_ip

# Requests per client address per window (settings may override: COMMUNITY_SEARCH_RATE_LIMIT,
# COMMUNITY_SIMILAR_RATE_LIMIT, COMMUNITY_SEARCH_RATE_WINDOW_SECONDS).
SEARCHES_PER_WINDOW = 60
SIMILAR_PER_WINDOW = 120
WINDOW_SECONDS = 60
MODE_LABELS = {"all": "Words and meaning", "text": "Exact words", "semantic": "Meaning, any language"}


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False, max_length=MAX_QUERY_CHARS, strip=True)
    space = forms.CharField(label="Space", required=False)
    tag = forms.CharField(label="Tag", required=False, max_length=50)
    mode = forms.ChoiceField(label="Match", required=False, choices=list(MODE_LABELS.items()))
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGES)

    def clean_space(self) -> Space | None:
        slug = self.cleaned_data["space"].strip()
        if not slug:
            return None
        space = Space.objects.filter(slug=slug).first()
        if space is None:
            raise forms.ValidationError(f"There is no space called “{slug}”.")
        return space

    def clean_tag(self) -> Tag | None:
        name = self.cleaned_data["tag"].strip().lower()
        if not name:
            return None
        tag = Tag.objects.filter(name=name).first()
        if tag is None:
            raise forms.ValidationError(f"No topic is tagged “{name}”.")
        return tag


def _rate_limited(request, bucket: str, limit: int, template: str, context: dict):
    window = getattr(settings, "COMMUNITY_SEARCH_RATE_WINDOW_SECONDS", WINDOW_SECONDS)
    wait = over_limit(f"community-{bucket}:{client_ip(request)}", limit, window)
    if not wait:
        return None
    context["too_many"] = f"Too many searches from your network. Try again in {wait} s."
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


@require_GET
def search_page(request):
    data = request.GET.copy()
    # Whatever was typed is searched for: NUL bytes go, an over-long text is cut, not refused.
    query = data.get("q", "").replace("\x00", "")[:MAX_QUERY_CHARS]
    data["q"] = query
    form = SearchForm(data)
    context = {
        "form": form,
        "spaces": Space.objects.filter(is_active=True).only("slug", "name"),
        "modes": MODE_LABELS,
        "search_query": query,
    }
    if not query.strip():
        return render(request, "community/search/page.html", context)
    limited = _rate_limited(
        request,
        "search",
        getattr(settings, "COMMUNITY_SEARCH_RATE_LIMIT", SEARCHES_PER_WINDOW),
        "community/search/page.html",
        context,
    )
    if limited:
        return limited
    if not form.is_valid():
        return render(request, "community/search/page.html", context, status=400)
    data = form.cleaned_data
    mode = data["mode"] if data["mode"] in MODES else "all"
    context["page"] = search(
        data["q"], space=data["space"], tag=data["tag"], mode=mode, page=data["page"] or 1
    )
    context["filters"] = {"space": data["space"], "tag": data["tag"], "mode": mode}
    return render(request, "community/search/page.html", context)


@require_GET
def similar_partial(request):
    """The list of questions like the one being typed (title, optionally body), for htmx."""
    title = request.GET.get("title", "").replace("\x00", "")[:MAX_QUERY_CHARS].strip()
    body = request.GET.get("body", "").replace("\x00", "")[:1000].strip()
    # The title says what is asked; a body only helps while the title is still a word or two.
    text = title if len(title.split()) >= 3 or not body else f"{title}\n{body}"
    context = {"similar": [], "text": text}
    limited = _rate_limited(
        request,
        "similar",
        getattr(settings, "COMMUNITY_SIMILAR_RATE_LIMIT", SIMILAR_PER_WINDOW),
        "community/search/_similar.html",
        context,
    )
    if limited:
        return limited
    if len(text) >= 8:
        context["similar"] = similar_topics(text, limit=5)
    response = render(request, "community/search/_similar.html", context)
    response["Cache-Control"] = "private, max-age=60"
    return response
