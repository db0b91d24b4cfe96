"""A Caf administrator sets, for the options of the Caf's own models, their label, the guidance
given to editors and the value new conventions start with; conventions already created keep theirs."""

import datetime

import pytest
from django.urls import reverse

from conventions.models import Convention, Role
from tests.conventions.factories import UserFactory
from tests.forms import as_sent


@pytest.fixture
def isere(demo):
    return demo["isere-demo"]


@pytest.fixture
def admin_client(client, isere):
    client.force_login(UserFactory(role=Role.CAF_ADMIN, caf=isere.caf))
    return client


def option_page(client, option):
    return client.get(reverse("administration_option_edit", args=[option.pk]))


def test_a_default_switched_on_starts_the_next_conventions_and_leaves_the_others(admin_client, isere):
    msa = isere.template.options.get(key="msa")
    assert isere.options["msa"] is False
    data = as_sent(option_page(admin_client, msa).context["form"]) | {"default": "on"}
    assert admin_client.post(reverse("administration_option_edit", args=[msa.pk]), data).status_code == 302

    new = Convention.objects.create_from_template(
        isere.template,
        caf=isere.caf,
        reference="voiron-2027",
        title="Convention territoriale globale",
        territory="la commune de Voiron",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2030, 12, 31),
    )
    assert new.options["msa"] is True
    isere.refresh_from_db()
    assert isere.options["msa"] is False


def test_new_guidance_shows_to_editors_of_the_caf(admin_client, isere):
    msa = isere.template.options.get(key="msa")
    data = as_sent(option_page(admin_client, msa).context["form"]) | {"guidance": "Cochez si la MSA cofinance."}
    admin_client.post(reverse("administration_option_edit", args=[msa.pk]), data)

    assert (
        "Cochez si la MSA cofinance." in admin_client.get(reverse("convention_edit", args=[isere.pk])).content.decode()
    )


def test_an_option_that_follows_the_signatories_has_no_default_to_set(admin_client, isere):
    departement = isere.template.options.get(key="departement")
    page = option_page(admin_client, departement)
    assert "Cette option suit les signataires" in page.content.decode()
    assert "default" not in page.context["form"].fields
    data = as_sent(page.context["form"]) | {"default": "on"}
    admin_client.post(reverse("administration_option_edit", args=[departement.pk]), data)

    departement.refresh_from_db()
    assert departement.default is False


def test_an_option_without_a_label_is_refused(admin_client, isere):
    msa = isere.template.options.get(key="msa")
    data = as_sent(option_page(admin_client, msa).context["form"]) | {"label": " "}
    response = admin_client.post(reverse("administration_option_edit", args=[msa.pk]), data)

    assert response.status_code == 422
    assert "Ce champ est obligatoire." in response.content.decode()
    msa.refresh_from_db()
    assert msa.label


def test_a_choice_the_model_does_not_offer_is_refused(client, demo):
    yvelines = demo["yvelines-aubergenville-2024"]
    client.force_login(UserFactory(role=Role.CAF_ADMIN, caf=yvelines.caf))
    hypothesis = yvelines.template.options.get(key="hypothesis")
    data = as_sent(option_page(client, hypothesis).context["form"]) | {"default": "third"}
    response = client.post(reverse("administration_option_edit", args=[hypothesis.pk]), data)

    assert response.status_code == 422
    assert "Sélectionnez un choix valide. third n’en fait pas partie." in response.content.decode()
    hypothesis.refresh_from_db()
    assert hypothesis.default == "second"


def test_the_page_lists_the_options_of_the_cafs_own_models_only(admin_client, isere, demo):
    page = admin_client.get(reverse("administration_options")).content.decode()

    for option in isere.template.options.all():
        assert reverse("administration_option_edit", args=[option.pk]) in page
    for other in ("national-2025-demo", "yvelines-aubergenville-2024"):
        for option in demo[other].template.options.all():
            assert reverse("administration_option_edit", args=[option.pk]) not in page
