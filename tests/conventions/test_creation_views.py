"""Creating a convention in the browser from a model, with and without JavaScript: the form, its
refusals, and the collectivité search."""

import datetime
import re

import pytest
from django.urls import reverse

from conventions.models import (
    Convention,
    ConventionTemplate,
    Signatory,
)
from tests.conventions.factories import CollectiviteFactory


@pytest.fixture
def flandre_lys(db):
    """An EPCI of the Nord and two of its communes, none of them signing anything yet."""
    epci = CollectiviteFactory(epci=True, name="Communauté de communes Flandre Lys")
    communes = [
        CollectiviteFactory(name="Sailly-sur-la-Lys", insee_code="62735", epci=epci),
        CollectiviteFactory(name="Estaires", insee_code="59212", epci=epci),
    ]
    return [epci, *communes]


@pytest.fixture
def creation_data(flandre_lys):
    return {
        "template": ConventionTemplate.objects.get(slug="national-2025").pk,
        "reference": "flandre-lys-2025",
        "title": "Convention territoriale globale de Flandre Lys 2025-2028",
        "territory": "le territoire de la Communauté de communes Flandre Lys",
        "start_date": "2025-01-01",
        "end_date": "2028-12-31",
        "signature_place": "Lille",
        "collectivites": [collectivite.pk for collectivite in flandre_lys],
    }


def test_creating_a_convention_redirects_to_its_signatories(client, caf_staff, creation_data):
    client.force_login(caf_staff)

    response = client.post(reverse("convention_create"), creation_data)

    convention = Convention.objects.get(reference="flandre-lys-2025")
    assert response.status_code == 302
    assert response.url == reverse("convention_signatories", args=[convention.pk])
    assert convention.caf == caf_staff.caf
    assert convention.template.slug == "national-2025"
    assert convention.end_date == datetime.date(2028, 12, 31)


def test_the_creation_form_sent_twice_creates_one_convention(client, caf_staff, creation_data):
    client.force_login(caf_staff)
    first = client.post(reverse("convention_create"), creation_data)

    second = client.post(reverse("convention_create"), creation_data, follow=True)

    assert Convention.objects.filter(reference="flandre-lys-2025").count() == 1
    assert second.redirect_chain == [(first.url, 302)]
    assert "déjà prise" not in second.content.decode()


def test_a_reference_taken_by_another_convention_is_still_refused(client, caf_staff, creation_data):
    client.force_login(caf_staff)
    client.post(reverse("convention_create"), creation_data)

    response = client.post(reverse("convention_create"), creation_data | {"title": "Une autre convention"})

    assert "Cette référence est déjà prise" in response.content.decode()


def test_a_created_convention_has_its_own_copy_of_the_model_articles(client, caf_staff, creation_data):
    client.force_login(caf_staff)

    client.post(reverse("convention_create"), creation_data)

    convention = Convention.objects.get(reference="flandre-lys-2025")
    model = ConventionTemplate.objects.get(slug="national-2025")
    copied = list(convention.articles.order_by("position").values_list("key", "title", "text"))
    assert copied == list(model.articles.order_by("position").values_list("key", "title", "text"))
    assert len(copied) > 10
    convention.articles.filter(key="objet").update(text="Changé dans la convention seulement.")
    assert model.articles.get(key="objet").text != "Changé dans la convention seulement."


def test_a_created_convention_is_signed_by_the_caf_with_its_representatives_then_the_collectivites(
    client, caf_staff, creation_data, flandre_lys
):
    client.force_login(caf_staff)

    client.post(reverse("convention_create"), creation_data)

    convention = Convention.objects.get(reference="flandre-lys-2025")
    caf_signatory, *others = convention.signatories.order_by("position")
    assert caf_signatory.caf == caf_staff.caf
    people = ("civility", "first_name", "last_name", "function", "signature_title")
    assert list(caf_signatory.representatives.values_list(*people)) == list(
        caf_staff.caf.representatives.values_list(*people)
    )
    assert caf_signatory.representatives.exists()
    assert {signatory.collectivite for signatory in others} == set(flandre_lys)


def test_a_nord_user_may_choose_the_nord_model_or_the_national_one(client, caf_staff):
    client.force_login(caf_staff)

    response = client.get(reverse("convention_create"))

    offered = {template.slug for template in response.context["form"].fields["template"].queryset}
    assert offered == {"nord", "national-2025"}


def test_a_nord_user_cannot_create_from_the_isere_model(client, caf_staff, creation_data):
    client.force_login(caf_staff)
    creation_data["template"] = ConventionTemplate.objects.get(slug="isere").pk

    response = client.post(reverse("convention_create"), creation_data)

    assert response.status_code == 200
    assert "template" in response.context["form"].errors
    assert not Convention.objects.filter(reference="flandre-lys-2025").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"end_date": "2030-06-30"},
            "end_date",
            "la date de fin doit être au plus tard le 31 décembre 2029.",
            id="an end date beyond the duration rule",
        ),
        pytest.param(
            {"start_date": "2026-06-01", "end_date": "2026-01-01"},
            "end_date",
            "La date de fin doit suivre la date de début.",
            id="a start after the end",
        ),
        pytest.param(
            {"collectivites": []},
            "collectivites",
            "Choisissez au moins une collectivité signataire.",
            id="no collectivité",
        ),
        pytest.param({"title": ""}, "title", "Ce champ est obligatoire.", id="an empty title"),
        pytest.param(
            {"reference": "nord-armentieres-2023"},
            "reference",
            "Cette référence est déjà prise : choisissez-en une autre",
            id="a reference already taken",
        ),
        pytest.param(
            {"reference": "Flandre_Lys"},
            "reference",
            "Référence invalide : lettres minuscules sans accents, chiffres et tirets entre eux",
            id="a reference with capitals and an underscore",
        ),
        pytest.param({"reference": "-"}, "reference", "Référence invalide", id="a reference of a hyphen alone"),
        pytest.param(
            {"reference": "voiron 2026"},
            "reference",
            "Référence invalide : lettres minuscules sans accents, chiffres et tirets entre eux",
            id="a reference with a space, told by the one rule (no underscore offered)",
        ),
        pytest.param(
            {"start_date": "9999-01-01", "end_date": "9999-12-31"},
            "start_date",
            "Année invalide : indiquez une date entre 2000 et 2100.",
            id="a year beyond 2100",
        ),
        pytest.param(
            {"start_date": "0001-01-01", "end_date": "0001-12-31"},
            "start_date",
            "Année invalide : indiquez une date entre 2000 et 2100.",
            id="the year 1",
        ),
        pytest.param(
            {"collectivites": ["abc", "99999999999999999999999"]},
            "collectivites",
            "n’est pas une valeur correcte",
            id="a collectivité that is not one",
        ),
        pytest.param(
            {"collectivites": ["99999999999999999999"]},
            "collectivites",
            "n’est pas une valeur correcte",
            id="a collectivité id beyond any database integer",
        ),
    ],
)
def test_creation_refuses_bad_input_with_a_french_message_and_saves_nothing(
    client, caf_staff, creation_data, changes, field, message
):
    client.force_login(caf_staff)
    conventions, signatories = Convention.objects.count(), Signatory.objects.count()

    response = client.post(reverse("convention_create"), creation_data | changes)

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert not any("_" in error for error in errors)  # no message offers what another refuses
    assert Convention.objects.count() == conventions
    assert Signatory.objects.count() == signatories


@pytest.mark.parametrize(
    "typed",
    [pytest.param("Armentières", id="by name"), pytest.param("59017", id="by INSEE code")],
)
def test_the_collectivite_search_finds_armentieres(client, caf_staff, typed):
    client.force_login(caf_staff)

    response = client.get(reverse("collectivite_search"), {"q": typed})

    assert [collectivite.name for collectivite in response.context["results"]] == ["Armentières"]
    assert "Armentières" in response.content.decode()
    assert "24\u202f882 hab." in response.content.decode()  # digits grouped as French writes them


def test_the_collectivite_search_finds_nothing_for_one_letter(client, caf_staff):
    client.force_login(caf_staff)

    response = client.get(reverse("collectivite_search"), {"q": "A"})

    assert list(response.context["results"]) == []
    assert "Aucune collectivité trouvée" in response.content.decode()


def test_the_collectivite_search_says_when_a_name_finds_nothing(client, caf_staff):
    client.force_login(caf_staff)

    response = client.get(reverse("collectivite_search"), {"q": "Zzyzx"}, headers={"HX-Request": "true"})

    assert "Aucune collectivité trouvée pour « Zzyzx » : vérifiez l'orthographe" in response.content.decode()
    assert "demandez à l'administrateur de la plateforme de l'ajouter" in response.content.decode()


# Creation and signatories without JavaScript: the collectivité search is the page's own GET form.


def choose_buttons(html):
    """The pks of the collectivités found that the page offers to choose, with a plain button of
    the page's form "collectivite-choice"."""
    return [
        int(pk)
        for pk in re.findall(
            r'<button type="submit" form="collectivite-choice" name="collectivites" value="(\d+)"', html
        )
    ]


def ticked(html):
    return [int(pk) for pk in re.findall(r'name="collectivites" value="(\d+)" id="collectivite-\d+" checked', html)]


def test_without_javascript_the_creation_page_lists_the_collectivites_found(client, caf_staff, flandre_lys):
    epci, sailly, estaires = flandre_lys
    client.force_login(caf_staff)

    response = client.get(reverse("convention_create"), {"q": "sailly sur la lys"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert '<h1 class="h3 mb-3">Nouvelle convention</h1>' in html
    assert choose_buttons(html) == [sailly.pk]
    # the page comes back at its results, not at its top
    assert (
        '<form id="collectivite-choice" method="get" action="/conventions/nouvelle/#collectivites-signataires"' in html
    )
    assert '<fieldset class="mb-3" id="collectivites-signataires">' in html


def test_without_javascript_a_search_that_finds_nothing_says_so(client, caf_staff):
    client.force_login(caf_staff)

    response = client.get(reverse("convention_create"), {"q": "Zzyzx"})

    assert "Aucune collectivité trouvée pour « Zzyzx » : vérifiez l'orthographe" in response.content.decode()


def test_without_javascript_a_chosen_collectivite_comes_back_ticked_with_what_was_typed(
    client, caf_staff, flandre_lys
):
    epci, sailly, estaires = flandre_lys
    client.force_login(caf_staff)

    response = client.get(
        reverse("convention_create"),
        {"reference": "flandre-lys-2025", "q": "estaires", "collectivites": [epci.pk, estaires.pk]},
    )

    html = response.content.decode()
    assert ticked(html) == [epci.pk, estaires.pk]
    assert response.context["form"]["reference"].value() == "flandre-lys-2025"
    assert '<input type="hidden" name="reference" value="flandre-lys-2025">' in html
    assert f'<input type="hidden" name="collectivites" value="{estaires.pk}">' in html
    assert choose_buttons(html) == [estaires.pk]


def test_without_javascript_a_convention_is_created_with_the_collectivites_found(client, caf_staff, creation_data):
    """Search, choose, search again, choose, then create: GETs of the page and one plain POST."""
    client.force_login(caf_staff)
    url = reverse("convention_create")
    [epci] = choose_buttons(client.get(url, {"q": "flandre lys"}).content.decode())
    chosen = ticked(client.get(url, {"q": "flandre lys", "collectivites": [epci]}).content.decode())
    [estaires] = choose_buttons(client.get(url, {"q": "ESTAIRES", "collectivites": chosen}).content.decode())
    chosen = ticked(client.get(url, {"q": "ESTAIRES", "collectivites": [*chosen, estaires]}).content.decode())

    response = client.post(url, creation_data | {"collectivites": chosen})

    assert response.status_code == 302
    convention = Convention.objects.get(reference="flandre-lys-2025")
    assert [signatory.collectivite_id for signatory in convention.signatories.order_by("position")[1:]] == [
        epci,
        estaires,
    ]


def test_without_javascript_a_collectivite_found_is_added_to_the_signatories(client, caf_staff, nord_convention):
    newcomer = CollectiviteFactory(name="Houplines", insee_code="59316")
    url = reverse("convention_signatories", args=[nord_convention.pk])
    client.force_login(caf_staff)

    page = client.get(url, {"q": "HOUPLINES"}).content.decode()

    assert choose_buttons(page) == [newcomer.pk]
    add_form = re.search(r'<form method="post" action="([^"]+)" class="mt-2" id="collectivite-choice">', page)
    assert add_form[1] == reverse("signatory_add", args=[nord_convention.pk])
    response = client.post(add_form[1], {"collectivites": [newcomer.pk]}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert nord_convention.signatories.order_by("position").last().collectivite == newcomer
    assert "Ajouté(s) aux signataires : Houplines." in response.content.decode()


def test_without_javascript_the_signatories_search_comes_back_at_its_results(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    page = client.get(reverse("convention_signatories", args=[nord_convention.pk]), {"q": "armentieres"})

    html = page.content.decode()
    search_form = re.search(r'<form method="get" action="([^"]+)" role="search"', html)
    assert search_form[1] == reverse("convention_signatories", args=[nord_convention.pk]) + "#ajout-signataire"
    assert 'id="ajout-signataire"' in html
