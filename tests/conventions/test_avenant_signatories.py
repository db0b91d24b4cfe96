"""Who signs an avenant: the Caf's representatives as they are when it opens, each collectivité's
as they signed the convention, changed while the avenant is open; the signed convention keeps its
own signatories."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conventions.avenants import preview_avenant, sign_avenant, validate_avenant
from conventions.lifecycle import change_status
from conventions.models import Avenant, ConventionFrozen, ConventionStatus
from tests.conventions.avenant_helpers import amend
from tests.conventions.rendering_helpers import html_text
from tests.forms import as_sent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def signed(nord_convention, nord_signature):
    return nord_convention


def first_article(convention):
    return convention.articles.filter(numbered=True, editable=True).order_by("position").first()


def page_data(response):
    """What the browser sends back for the avenant's signatories page as shown."""
    data = {}
    for _party, people in response.context["parties"]:
        data |= as_sent(people.management_form)
        for person in people:
            data |= as_sent(person)
    return data


def commune_people(response):
    return next(people for party, people in response.context["parties"] if party.collectivite_id)


def test_an_avenant_opened_after_a_new_director_is_signed_by_her(signed, caf_admin):
    director = signed.caf.representatives.get(acting=True)
    director.first_name, director.last_name, director.acting = "Sophie", "LEROY", False
    director.save()

    text = html_text(preview_avenant(amend(signed, caf_admin, first_article(signed))))

    assert "Madame Sophie LEROY" in text
    assert "Monsieur Bernard HAESEBROECK" in text  # the mayor who signed the convention
    convention_people = [str(person) for person in signed.signatories.get(caf=signed.caf).representatives.all()]
    assert "Madame Sophie LEROY" not in convention_people


def test_a_new_mayor_named_on_the_avenants_page_signs_it_and_the_convention_keeps_its_own(client, signed, caf_staff):
    avenant = amend(signed, caf_staff, first_article(signed))
    client.force_login(caf_staff)
    url = reverse("avenant_signatories", args=[signed.pk, avenant.number])
    response = client.get(url)
    mayor = commune_people(response).forms[0]
    data = page_data(response) | {f"{mayor.prefix}-first_name": "Claire", f"{mayor.prefix}-last_name": "DUBOIS"}
    data[f"{mayor.prefix}-civility"] = "Madame"
    assert client.post(url, data).status_code == 302

    text = html_text(preview_avenant(avenant))
    assert "représentée par son Maire, Madame Claire DUBOIS, dûment autorisée à signer le présent avenant" in text
    assert "Le Maire de la Commune D'ARMENTIERES Madame Claire DUBOIS" in text  # her signature block
    assert "HAESEBROECK" not in text
    assert "Madame Claire DUBOIS" in html_text(
        client.get(reverse("avenant_detail", args=[signed.pk, 1])).content.decode()
    )
    commune = signed.signatories.get(collectivite__isnull=False)
    assert [person.last_name for person in commune.representatives.all()] == ["HAESEBROECK"]


def test_a_party_left_without_anyone_to_sign_the_avenant_is_refused(client, signed, caf_staff):
    avenant = amend(signed, caf_staff, first_article(signed))
    client.force_login(caf_staff)
    url = reverse("avenant_signatories", args=[signed.pk, avenant.number])
    response = client.get(url)
    data = page_data(response)
    for person in commune_people(response).forms:
        if person.instance.pk:
            data[f"{person.prefix}-DELETE"] = "on"
    response = client.post(url, data)

    assert response.status_code == 422
    assert "Chaque signataire a au moins un représentant." in response.content.decode()
    assert avenant.representatives.filter(signatory__collectivite__isnull=False).count() == 1


def test_once_signed_the_avenants_signatories_no_longer_change(client, signed, caf_admin):
    avenant = amend(signed, caf_admin, first_article(signed))
    validate_avenant(avenant, caf_admin)
    sign_avenant(Avenant.objects.get(pk=avenant.pk), datetime.date(2025, 3, 1), caf_admin)
    person = avenant.representatives.first()

    person.last_name = "AUTRE"
    with pytest.raises(ConventionFrozen):
        person.save()

    client.force_login(caf_admin)
    url = reverse("avenant_signatories", args=[signed.pk, avenant.number])
    data = page_data(client.get(url))
    response = client.post(url, data | {f"people-{person.signatory_id}-0-last_name": "AUTRE"})
    assert response.status_code == 409
    assert "ses signataires ne changent plus, rien n&#x27;a été enregistré" in response.content.decode()
    assert not avenant.representatives.filter(last_name="AUTRE").exists()


def test_an_avenant_nobody_signs_for_a_party_is_not_validated(signed, caf_admin):
    signed.caf.representatives.all().delete()  # the Caf's record left without anyone
    avenant = amend(signed, caf_admin, first_article(signed))

    with pytest.raises(ValidationError) as refusal:
        validate_avenant(avenant, caf_admin)
    assert refusal.value.messages == [
        "Personne ne signe l'avenant pour la Caisse d'allocations familiales du Nord : nommez son représentant "
        "(Signataires de l'avenant)."
    ]


def signed_avenant(convention, user, **mayor):
    """An avenant adding a sentence, signed by the Caf and by the mayor named `mayor`."""
    avenant = amend(convention, user, first_article(convention))
    avenant.representatives.filter(signatory__collectivite__isnull=False).update(**mayor)
    validate_avenant(avenant, user)
    sign_avenant(Avenant.objects.get(pk=avenant.pk), datetime.date(2025, 3, 1), user)
    return avenant


def test_the_mayor_who_signed_the_last_avenant_signs_the_next_one(signed, caf_admin):
    signed_avenant(signed, caf_admin, civility="Madame", first_name="Claire", last_name="DUBOIS")

    following = Avenant.objects.create_for(signed, caf_admin)

    commune = following.representatives.get(signatory__collectivite__isnull=False)
    assert str(commune) == "Madame Claire DUBOIS"


def test_the_history_tells_who_changed_the_avenants_signatories(client, signed, caf_staff):
    avenant = amend(signed, caf_staff, first_article(signed))
    client.force_login(caf_staff)
    url = reverse("avenant_signatories", args=[signed.pk, avenant.number])
    response = client.get(url)
    mayor = commune_people(response).forms[0]
    client.post(url, page_data(response) | {f"{mayor.prefix}-last_name": "DUBOIS"})

    history = html_text(client.get(reverse("convention_history", args=[signed.pk])).content.decode())
    assert "Avenant n°1 — Signataire pour la commune d'Armentières « Monsieur Bernard DUBOIS »" in history
    # and, when the avenant opened, whom it named
    assert "Avenant n°1 — Signataire pour la commune d'Armentières « Monsieur Bernard HAESEBROECK »" in history


def test_a_validated_avenant_says_how_to_change_its_signatories_again(client, signed, caf_staff):
    avenant = amend(signed, caf_staff, first_article(signed))
    validate_avenant(avenant, caf_staff)
    client.force_login(caf_staff)
    url = reverse("avenant_signatories", args=[signed.pk, avenant.number])

    response = client.post(url, page_data(client.get(url)))

    assert response.status_code == 409
    assert "rouvrez la concertation pour les changer" in response.content.decode()


def test_the_signed_conventions_signatories_page_leads_to_the_open_avenants(client, signed, caf_staff):
    avenant = amend(signed, caf_staff, first_article(signed))
    client.force_login(caf_staff)

    page = client.get(reverse("convention_signatories", args=[signed.pk])).content.decode()

    assert "ses signataires restent ceux qui l'ont signée" in page
    assert reverse("avenant_signatories", args=[signed.pk, avenant.number]) in page


def test_a_terminated_conventions_signatories_page_leads_to_no_avenant(client, signed, caf_admin):
    avenant = amend(signed, caf_admin, first_article(signed))
    change_status(signed, ConventionStatus.TERMINATED, caf_admin)
    client.force_login(caf_admin)

    page = client.get(reverse("convention_signatories", args=[signed.pk])).content.decode()
    assert "résiliée" in page
    assert reverse("avenant_signatories", args=[signed.pk, avenant.number]) not in page
    avenant_page = client.get(reverse("avenant_signatories", args=[signed.pk, avenant.number])).content.decode()
    assert "cet avenant ne se signe plus, ses signataires ne changent plus" in avenant_page
