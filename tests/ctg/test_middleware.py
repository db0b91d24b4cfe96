"""A session that ended while a page was open: what the page sends next brings the user back to
that page after the login, never to a bare "method not allowed" or a login form inside a table."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ctg.middleware import SESSION_ENDED, SESSION_ENDED_IN_PLACE

pytestmark = pytest.mark.django_db


def article_url(convention):
    article = convention.articles.filter(editable=True).first()
    return reverse("article_edit", args=[convention.pk, article.pk])


def test_a_form_posted_after_the_session_ended_returns_to_its_page_after_the_login(client, nord_convention):
    page = article_url(nord_convention)
    options = reverse("convention_options", args=[nord_convention.pk])

    response = client.post(options, {"x": "1"}, headers={"referer": f"http://testserver{page}"})

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={page}"
    assert [str(message) for message in get_messages(response.wsgi_request)] == [SESSION_ENDED]


def test_an_htmx_request_after_the_session_ended_leaves_the_page_as_it_is_and_says_why(client, nord_convention):
    response = client.post(
        reverse("section_preview", args=[nord_convention.pk]),
        {"text": "Un texte"},
        headers={"hx-request": "true"},
    )

    # htmx swaps no error answer into the page; app.js shows a plain-text one as the message.
    assert response.status_code == 401
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == SESSION_ENDED_IN_PLACE


@pytest.mark.parametrize(
    "referer",
    ["https://ailleurs.example/", "http://testserver//ailleurs.example/a", "http://testserver/\\ailleurs.example"],
)
def test_a_referer_that_leads_to_another_site_is_not_followed(client, nord_convention, referer):
    response = client.post(reverse("convention_options", args=[nord_convention.pk]), headers={"referer": referer})

    assert response.url == f"{reverse('login')}?next=/"


def test_a_page_asked_for_still_comes_back_after_the_login(client, nord_convention):
    page = article_url(nord_convention)

    response = client.get(page)

    assert response.url == f"{reverse('login')}?next={page}"
    assert not list(get_messages(response.wsgi_request))


def test_logging_out_after_the_session_ended_lands_on_the_login_page(client):
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
