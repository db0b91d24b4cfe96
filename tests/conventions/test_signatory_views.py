"""The convention's « Signataires » page: representatives, collectivités added, ordered and removed."""

from django.urls import reverse
from django.utils.text import capfirst

from conventions.models import (
    Signatory,
    SignatoryRepresentative,
)
from tests.conventions.factories import CollectiviteFactory
from tests.forms import people_of, signatories_page_data


def test_removing_the_only_representative_of_the_caf_is_refused(client, caf_staff, nord_convention):
    caf_signatory = nord_convention.signatories.get(caf__isnull=False)
    keep, *others = caf_signatory.representatives.all()
    SignatoryRepresentative.objects.filter(pk__in=[other.pk for other in others]).delete()
    url = reverse("convention_signatories", args=[nord_convention.pk])
    client.force_login(caf_staff)
    page = client.get(url)
    data = signatories_page_data(page)
    data[people_of(page, caf_signatory).forms[0]["DELETE"].html_name] = "on"

    response = client.post(url, data)

    assert response.status_code == 422
    assert list(caf_signatory.representatives.all()) == [keep]
    assert "Chaque signataire a au moins un représentant." in response.content.decode()


def test_a_changed_representative_name_is_saved(client, caf_staff, nord_convention):
    signatory = nord_convention.signatories.get(collectivite__isnull=False)
    person = signatory.representatives.get()
    url = reverse("convention_signatories", args=[nord_convention.pk])
    client.force_login(caf_staff)
    page = client.get(url)
    data = signatories_page_data(page)
    data[people_of(page, signatory).forms[0]["last_name"].html_name] = "NOUVEAU-NOM"

    response = client.post(url, data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "NOUVEAU-NOM"


def test_a_representative_added_is_named_last(client, caf_staff, nord_convention):
    caf_signatory = nord_convention.signatories.get(caf__isnull=False)
    named_before = list(caf_signatory.representatives.values_list("last_name", flat=True))
    url = reverse("convention_signatories", args=[nord_convention.pk])
    client.force_login(caf_staff)
    page = client.get(url)
    data = signatories_page_data(page)
    blank = people_of(page, caf_signatory).forms[-1]
    typed = {
        "civility": "Monsieur",
        "first_name": "Paul",
        "last_name": "LEROY",
        "function": "son directeur adjoint",
        "signature_title": "Le Directeur adjoint",
    }
    data |= {blank[name].html_name: value for name, value in typed.items()}

    response = client.post(url, data)

    assert response.status_code == 302
    assert list(caf_signatory.representatives.values_list("last_name", flat=True)) == [*named_before, "LEROY"]


def test_collectivites_added_together_sign_in_the_order_chosen(client, caf_staff, nord_convention):
    first = CollectiviteFactory(name="Erquinghem-Lys", insee_code="59200")
    second = CollectiviteFactory(name="Nieppe", insee_code="59424")  # chosen first, though after by name and key
    client.force_login(caf_staff)

    client.post(reverse("signatory_add", args=[nord_convention.pk]), {"collectivites": [second.pk, first.pk]})

    *_, before_last, last = nord_convention.signatories.order_by("position")
    assert (before_last.collectivite, last.collectivite) == (second, first)


def test_a_forged_collectivite_value_is_refused_with_a_message(client, caf_staff, nord_convention):
    signatories = nord_convention.signatories.count()
    client.force_login(caf_staff)

    response = client.post(
        reverse("signatory_add", args=[nord_convention.pk]), {"collectivites": ["abc"]}, follow=True
    )

    assert "Cochez une collectivité qui ne signe pas déjà cette convention." in response.content.decode()
    assert nord_convention.signatories.count() == signatories


def test_adding_a_collectivite_makes_it_the_last_signatory(client, caf_staff, nord_convention):
    newcomer = CollectiviteFactory(epci=True, name="Métropole Européenne de Lille")
    client.force_login(caf_staff)

    response = client.post(reverse("signatory_add", args=[nord_convention.pk]), {"collectivites": [newcomer.pk]})

    assert response.status_code == 302
    last = nord_convention.signatories.order_by("position").last()
    assert last.collectivite == newcomer
    assert last.alias == "l'EPCI"


def test_a_collectivite_with_a_deliberation_cannot_be_removed(client, caf_staff, nord_convention):
    signatory = nord_convention.signatories.get(collectivite__name="Armentières")
    assert nord_convention.deliberations.filter(collectivite=signatory.collectivite).exists()
    client.force_login(caf_staff)

    response = client.post(reverse("signatory_remove", args=[nord_convention.pk, signatory.pk]))

    page = response.content.decode()
    assert response.status_code == 409
    assert Signatory.objects.filter(pk=signatory.pk).exists()
    assert "Supprimez d&#x27;abord la délibération" in page
    assert "Retirer définitivement" not in page


def test_the_refusal_to_remove_a_collectivite_names_it_with_french_elision(client, caf_staff, nord_convention):
    signatory = nord_convention.signatories.get(collectivite__name="Armentières")
    client.force_login(caf_staff)

    page = client.get(reverse("signatory_remove", args=[nord_convention.pk, signatory.pk])).content.decode()

    assert "Supprimez d&#x27;abord la délibération d&#x27;Armentières" in page


def test_removing_a_collectivite_asks_first_and_says_its_representatives_go_with_it(
    client, caf_staff, nord_convention
):
    signatory = nord_convention.add_signatory(collectivite=CollectiviteFactory(name="Houplines"))
    signatory.representatives.create(civility="Madame", first_name="Anne", last_name="Dupont", function="maire")
    client.force_login(caf_staff)

    response = client.get(reverse("signatory_remove", args=[nord_convention.pk, signatory.pk]))

    page = response.content.decode()
    assert "Retirer la commune de Houplines des signataires ?" in page
    assert "Ses représentants (1) seront retirés avec elle." in page
    assert Signatory.objects.filter(pk=signatory.pk).exists()


def test_removing_a_departement_is_worded_in_the_masculine(client, caf_staff, nord_convention):
    departement = CollectiviteFactory(name="Nord", kind="departement", insee_code=None, population=None)
    signatory = nord_convention.add_signatory(collectivite=departement)
    signatory.representatives.create(civility="Monsieur", first_name="Jean", last_name="Durand", function="président")
    url = reverse("signatory_remove", args=[nord_convention.pk, signatory.pk])
    client.force_login(caf_staff)

    asked = client.get(url).content.decode()
    removed = client.post(url, follow=True).content.decode()

    assert "Ses représentants (1) seront retirés avec lui." in asked
    assert f"{capfirst(signatory.designation)} ne signe plus la convention." in removed.replace("&#x27;", "'")


def test_a_collectivite_without_deliberation_is_removed_once_confirmed(client, caf_staff, nord_convention):
    signatory = nord_convention.add_signatory(collectivite=CollectiviteFactory())
    client.force_login(caf_staff)

    response = client.post(reverse("signatory_remove", args=[nord_convention.pk, signatory.pk]))

    assert response.status_code == 302
    assert not Signatory.objects.filter(pk=signatory.pk).exists()
