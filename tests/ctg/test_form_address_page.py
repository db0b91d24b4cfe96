"""An address that only takes a form, opened as a page (reloaded after a form came back with an
error, bookmarked): a page that says so and leads back, never a blank 405."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up_url(nord_convention):
    action = nord_convention.axes.order_by("position").first().actions.order_by("position").first()
    return reverse("follow_up_add", args=[nord_convention.pk, action.pk])


def test_a_form_address_opened_as_a_page_explains_and_leads_back(client, commune_user, nord_convention, follow_up_url):
    client.force_login(commune_user)

    response = client.get(follow_up_url)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "Cette adresse ne s'ouvre pas comme une page" in page
    assert f'href="{reverse("convention_edit", args=[nord_convention.pk])}"' in page


def test_another_communes_convention_is_not_named(client, other_commune_user, nord_convention, follow_up_url):
    client.force_login(other_commune_user)

    page = client.get(follow_up_url).content.decode()

    assert "Cette adresse ne s'ouvre pas comme une page" in page
    assert nord_convention.reference not in page
