"""Bob answers Farid's question, Dana comments, and a refused answer keeps its text."""

import pytest
from django.urls import reverse

from tests.community.pages.conftest import page_of
from townsquare.community.models import Post, PostKind

pytestmark = pytest.mark.django_db


def test_bob_answers_and_lands_on_his_answer(client, question, members):
    client.force_login(members["bob"])
    page = client.get(page_of(question)).content.decode()
    assert f'action="/community/t/{question.pk}/answer"' in page
    response = client.post(reverse("community:answer", args=[question.pk]), {"body": "Reset them first."})
    post = Post.objects.get(kind=PostKind.ANSWER)
    assert response.status_code == 302 and response["Location"] == f"{page_of(question)}#post-{post.pk}"
    assert post.author == members["bob"]
    assert "Reset them first." in client.get(page_of(question)).content.decode()


def test_dana_comments_on_the_question_and_on_an_answer(client, question, bobs_answer, members):
    client.force_login(members["dana"])
    url = reverse("community:comment", args=[question.pk])
    client.post(url, {"body": "Same here."})
    client.post(url, {"body": "That worked for me.", "parent": bobs_answer.pk})
    comments = Post.objects.filter(kind=PostKind.COMMENT).order_by("id")
    assert [(c.body, c.parent_id) for c in comments] == [
        ("Same here.", None),
        ("That worked for me.", bobs_answer.pk),
    ]
    html = client.get(page_of(question)).content.decode()
    assert html.index("Same here.") < html.index("Hold the power button") < html.index("That worked for me.")


def test_a_comment_on_an_answer_of_another_topic_is_404(client, question, devices_space, members):
    from townsquare.community.posting import answer, ask

    other = ask(members["dana"], devices_space, "Another question here", "text")
    elsewhere = answer(members["bob"], other, "An answer elsewhere")
    client.force_login(members["dana"])
    response = client.post(
        reverse("community:comment", args=[question.pk]), {"body": "x", "parent": elsewhere.pk}
    )
    assert response.status_code == 404


def test_a_refused_answer_comes_back_with_its_text_and_the_reason(client, question, members):
    client.force_login(members["farid"])  # trust level 0: no links yet
    response = client.post(
        reverse("community:answer", args=[question.pk]), {"body": "See https://example.org/fix for the fix"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "trust level 1" in html and "See https://example.org/fix for the fix" in html
    assert not Post.objects.exists()


def test_an_empty_answer_is_a_form_error(client, question, members):
    client.force_login(members["bob"])
    response = client.post(reverse("community:answer", args=[question.pk]), {"body": ""})
    assert response.status_code == 400 and "required" in response.content.decode()


def test_a_visitor_cannot_answer(client, question):
    response = client.post(reverse("community:answer", args=[question.pk]), {"body": "Anonymous answer"})
    assert response.status_code == 403
    assert (
        response.context["message"] == "sign in to take part in the community" and response.context["sign_in"]
    )
    response = client.post(reverse("community:comment", args=[question.pk]), {"body": "Anonymous comment"})
    assert response.status_code == 403
    assert not Post.objects.exists()


def test_answers_and_comments_need_a_csrf_token(question, members):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(members["bob"])
    response = client.post(reverse("community:answer", args=[question.pk]), {"body": "No token"})
    assert response.status_code == 403 and not Post.objects.exists()


def test_the_author_edits_an_answer_and_others_cannot(client, question, bobs_answer, members):
    url = reverse("community:edit-post", args=[bobs_answer.pk])
    client.force_login(members["dana"])
    assert client.get(url).status_code == 403
    assert "Edit<span" not in client.get(page_of(question)).content.decode().split("Hold the power")[1][:2000]
    client.force_login(members["bob"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Hold it for 15 seconds."})
    assert response.status_code == 302
    bobs_answer.refresh_from_db()
    assert bobs_answer.body == "Hold it for 15 seconds." and bobs_answer.edited_by == members["bob"]


def test_the_asker_edits_the_question(client, question, members):
    url = reverse("community:edit-topic", args=[question.pk])
    client.force_login(members["farid"])
    response = client.post(
        url, {"title": "Headphones will not pair", "body": "Blink red.", "tags": "pairing bt"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.title == "Headphones will not pair" and {t.name for t in question.tags.all()} == {
        "pairing",
        "bt",
    }
    assert client.post(url, {"title": "Hi", "body": "x"}).status_code == 400


def test_a_closed_topic_has_no_forms_but_for_moderators(client, question, members, eve):
    from townsquare.community.models import Topic

    Topic.objects.filter(pk=question.pk).update(is_closed=True)
    client.force_login(members["dana"])
    html = client.get(page_of(question)).content.decode()
    assert "closed to new answers" in html and 'name="body"' not in html
    client.force_login(eve)
    assert 'name="body"' in client.get(page_of(question)).content.decode()
