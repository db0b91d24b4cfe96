"""What a Caf administrator keeps up to date for the Caf's next conventions: the usual place of
signature, the date of the CA's deliberation and the people who sign for the Caf."""

import datetime

import pytest
from django.urls import reverse

from conventions.models import Convention
from tests.conventions.rendering_helpers import html_text
from tests.forms import as_sent


@pytest.fixture
def admin_client(client, caf_admin):
    client.force_login(caf_admin)
    return client


def caf_page_data(response):
    """What the browser sends back for the page as shown."""
    data = as_sent(response.context["form"]) | as_sent(response.context["people"].management_form)
    for person in response.context["people"]:
        data |= as_sent(person)
    return data


def new_convention(caf, reference):
    """A convention created afterwards, as the creation page does: the Caf becomes its first party."""
    convention = Convention.objects.create_from_template(
        caf.templates.get(),
        caf=caf,
        reference=reference,
        title="Convention territoriale globale",
        territory="la commune de Lille",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2030, 12, 31),
    )
    return convention.add_signatory(caf=caf)


def test_a_new_director_signs_the_next_conventions_and_not_those_already_drafted(admin_client, nord_convention):
    caf = nord_convention.caf
    response = admin_client.get(reverse("administration_caf"))
    director = response.context["people"].forms[1]
    assert director.instance.acting  # the demo's « Directrice par intérim »
    data = caf_page_data(response) | {
        f"{director.prefix}-first_name": "Sophie",
        f"{director.prefix}-last_name": "LEROY",
        f"{director.prefix}-acting": "",
    }
    response = admin_client.post(reverse("administration_caf"), data)
    assert response.status_code == 302

    signing = new_convention(caf, "lille-2027").representatives.all()
    assert [str(person) for person in signing][1] == "Madame Sophie LEROY"
    assert not signing[1].acting
    already_drafted = nord_convention.signatories.get(caf=caf).representatives.all()
    assert "Madame Sophie LEROY" not in [str(person) for person in already_drafted]


def test_the_caf_keeps_someone_to_sign_for_it(admin_client, nord_convention):
    response = admin_client.get(reverse("administration_caf"))
    data = caf_page_data(response)
    for person in response.context["people"].forms:
        if person.instance.pk:
            data[f"{person.prefix}-DELETE"] = "on"
    response = admin_client.post(reverse("administration_caf"), data)

    assert response.status_code == 422
    assert "La Caf a au moins un représentant : la personne qui signe pour elle." in response.content.decode()
    assert nord_convention.caf.representatives.count() == 2


def test_the_usual_place_of_signature_is_proposed_to_new_conventions(admin_client, nord_convention):
    data = caf_page_data(admin_client.get(reverse("administration_caf"))) | {"signature_place": "Roubaix"}
    assert admin_client.post(reverse("administration_caf"), data).status_code == 302

    creation = admin_client.get(reverse("convention_create"))
    assert creation.context["form"]["signature_place"].value() == "Roubaix"
    nord_convention.refresh_from_db()
    assert nord_convention.signature_place != "Roubaix"


def test_a_date_that_is_not_one_changes_nothing(admin_client, nord_convention):
    before = nord_convention.caf.ca_deliberation_date
    data = caf_page_data(admin_client.get(reverse("administration_caf"))) | {"ca_deliberation_date": "31/02/2023"}
    response = admin_client.post(reverse("administration_caf"), data)

    assert response.status_code == 422
    assert "Saisissez une date valide." in response.content.decode()
    nord_convention.caf.refresh_from_db()
    assert nord_convention.caf.ca_deliberation_date == before


def test_a_new_deliberation_date_is_cited_by_the_next_conventions_and_not_by_those_already_written(
    admin_client, nord_convention
):
    data = caf_page_data(admin_client.get(reverse("administration_caf"))) | {"ca_deliberation_date": "2024-06-30"}
    assert admin_client.post(reverse("administration_caf"), data).status_code == 302

    nord_convention.caf.refresh_from_db()
    new = new_convention(nord_convention.caf, "lille-2027").convention
    assert new.ca_deliberation_date == datetime.date(2024, 6, 30)
    preview = admin_client.get(reverse("convention_preview", args=[nord_convention.pk])).content.decode()
    assert "en date du 17 janvier 2019" in preview
    assert "30 juin 2024" not in preview


def test_the_caf_page_tells_who_named_a_new_director(admin_client, caf_admin, nord_convention):
    response = admin_client.get(reverse("administration_caf"))
    director = response.context["people"].forms[1]
    data = caf_page_data(response) | {f"{director.prefix}-last_name": "LEROY"}
    admin_client.post(reverse("administration_caf"), data)

    page = html_text(admin_client.get(reverse("administration_caf")).content.decode())
    assert f"{caf_admin.username} — modification — Représentant de la Caf « Madame Audrey LEROY »" in page
    assert "Nom : « MATHON-DEBETENCOURT » → « LEROY »" in page
