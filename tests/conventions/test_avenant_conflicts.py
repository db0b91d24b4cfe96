"""Avenants that meet: two avenants rewriting the same article, two people writing the same change."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from conventions.models import Avenant, AvenantStatus, Role
from tests.conventions.factories import UserFactory

pytestmark = pytest.mark.django_db
FIRST_SENTENCE = "Le comité de pilotage se réunit deux fois par an."
SECOND_SENTENCE = "Un bilan annuel est transmis aux communes signataires."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def convention(nord_convention, nord_signature):
    return nord_convention


@pytest.fixture
def article(convention):
    return convention.articles.filter(numbered=True, editable=True).order_by("position").first()


def opened_version(response):
    return response.context["form"]["opened_version"].value()


def open_avenant_on(client, convention, article):
    """Avenant n°N+1 opened in the browser, with a change of `article`: the change's URL."""
    client.post(reverse("avenant_create", args=[convention.pk]))
    number = Avenant.objects.filter(convention=convention).order_by("number").last().number
    response = client.post(
        reverse("avenant_change_open", args=[convention.pk, number]), {"section": f"article-{article.pk}"}
    )
    return response.url


def write(client, change_url, text):
    return client.post(change_url, {"new_text": text, "opened_version": opened_version(client.get(change_url))})


def validate(client, convention, number):
    return client.post(reverse("avenant_validate", args=[convention.pk, number]), follow=True)


def sign_avenant(client, convention, number):
    return client.post(reverse("avenant_sign", args=[convention.pk, number]), {"date": "2025-03-01"}, follow=True)


@pytest.fixture
def two_avenants(client, caf_admin, convention, article):
    """Avenants n°1 and n°2, open at once, each adding its sentence to the same original text:
    (URL of n°1's change, URL of n°2's change)."""
    client.force_login(caf_admin)
    first, second = open_avenant_on(client, convention, article), open_avenant_on(client, convention, article)
    write(client, first, f"{article.text}\n\n{FIRST_SENTENCE}")
    write(client, second, f"{article.text}\n\n{SECOND_SENTENCE}")
    return first, second


def test_an_avenant_written_against_a_text_since_amended_is_not_validated(client, convention, article, two_avenants):
    validate(client, convention, 1)
    sign_avenant(client, convention, 1)

    response = validate(client, convention, 2)

    page = response.content.decode()
    assert f"« {escape(article.title)} » a été modifié par l&#x27;avenant n°1" in page
    assert "reprenez le texte en vigueur" in page
    assert Avenant.objects.get(convention=convention, number=2).status == AvenantStatus.DRAFT
    article.refresh_from_db()
    assert FIRST_SENTENCE in article.text and SECOND_SENTENCE not in article.text


def test_an_avenant_validated_before_another_was_signed_is_not_signed_over_it(
    client, convention, article, two_avenants
):
    validate(client, convention, 1)
    validate(client, convention, 2)
    sign_avenant(client, convention, 1)

    response = sign_avenant(client, convention, 2)

    page = response.content.decode()
    assert f"« {escape(article.title)} » a été modifié par l&#x27;avenant n°1" in page
    assert "Avenant signé" not in page
    assert Avenant.objects.get(convention=convention, number=2).status == AvenantStatus.VALIDATED
    article.refresh_from_db()
    assert FIRST_SENTENCE in article.text and SECOND_SENTENCE not in article.text


def test_taking_up_the_text_in_force_lets_both_avenants_reach_the_convention(
    client, convention, article, two_avenants
):
    original = article.text
    _first, second = two_avenants
    validate(client, convention, 1)
    sign_avenant(client, convention, 1)

    page = client.get(second).content.decode()
    taken_up = re.search(r'name="taken_up" value="(\w+)"', page)[1]
    merged = f"{original}\n\n{FIRST_SENTENCE}\n\n{SECOND_SENTENCE}"
    client.post(
        second, {"new_text": merged, "opened_version": opened_version(client.get(second)), "taken_up": taken_up}
    )
    validate(client, convention, 2)
    response = sign_avenant(client, convention, 2)

    assert "Texte en vigueur" in page and FIRST_SENTENCE in page and SECOND_SENTENCE in page
    assert "Avenant signé : la convention en vigueur intègre ses modifications" in response.content.decode()
    article.refresh_from_db()
    assert FIRST_SENTENCE in article.text and SECOND_SENTENCE in article.text


def test_a_text_in_force_that_changed_again_is_not_taken_up_unseen(client, convention, article, two_avenants):
    _first, second = two_avenants
    assert re.search(r'name="taken_up" value="\w+"', client.get(second).content.decode()) is None
    validate(client, convention, 1)
    sign_avenant(client, convention, 1)
    seen_before_it_changed_again = "0" * 64

    response = client.post(
        second,
        {
            "new_text": "Mon texte.",
            "opened_version": opened_version(client.get(second)),
            "taken_up": seen_before_it_changed_again,
        },
        follow=True,
    )

    page = response.content.decode()
    assert "le texte en vigueur a changé depuis que vous l&#x27;avez ouvert" in page
    assert FIRST_SENTENCE in page  # the text in force, to read again
    assert Avenant.objects.get(convention=convention, number=2).changes.get().new_text == "Mon texte."
    validate(client, convention, 2)
    assert Avenant.objects.get(convention=convention, number=2).status == AvenantStatus.DRAFT


@pytest.fixture
def colleague(convention):
    """Another Nord Caf user, in their own browser."""
    browser = Client()
    browser.force_login(UserFactory(role=Role.CAF_STAFF, caf=convention.caf, username="colleague"))
    return browser


def test_a_change_saved_from_a_stale_version_shows_both_texts_and_overwrites_nothing(
    client, caf_admin, colleague, convention, article
):
    client.force_login(caf_admin)
    url = open_avenant_on(client, convention, article)
    mine = opened_version(client.get(url))
    colleague.post(url, {"new_text": "Texte du collègue.", "opened_version": opened_version(colleague.get(url))})

    response = client.post(url, {"new_text": "Mon texte.", "opened_version": mine})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Ce texte a été modifié pendant que vous l'éditiez" in page
    assert "Texte du collègue." in page and "Mon texte." in page
    change = Avenant.objects.get(convention=convention).changes.get()
    assert change.new_text == "Texte du collègue."


def test_the_conflict_page_of_a_change_saves_the_version_it_carries(client, caf_admin, colleague, convention, article):
    client.force_login(caf_admin)
    url = open_avenant_on(client, convention, article)
    mine = opened_version(client.get(url))
    colleague.post(url, {"new_text": "Texte du collègue.", "opened_version": opened_version(colleague.get(url))})
    conflict = client.post(url, {"new_text": "Mon texte.", "opened_version": mine})
    carried = re.search(r'name="opened_version" value="(\d+)"', conflict.content.decode())[1]

    response = client.post(url, {"new_text": "Mon texte, repris.", "opened_version": carried})

    assert response.status_code == 302
    assert Avenant.objects.get(convention=convention).changes.get().new_text == "Mon texte, repris."
