"""Two people writing the same change of an avenant."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from conventions.lifecycle import change_status, sign
from conventions.models import Avenant, ConventionStatus, Role
from tests.conventions.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def convention(nord_convention, caf_admin):
    change_status(nord_convention, ConventionStatus.VALIDATED, caf_admin)
    sign(nord_convention, {s: datetime.date(2023, 1, 18) for s in nord_convention.signatories.all()}, caf_admin)
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
