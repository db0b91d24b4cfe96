"""The Caf and a commune edit the AO table, or the projections, each from their own page: a save
from a table someone changed since the page was opened is refused, says who changed it and what
differs, and overwrites nothing; the page then shows the table saved now, to carry one's changes
over and save from it."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from conventions.models import Role
from plans.models import AOCompetence
from tests.conventions.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGED_MEANWHILE = "Ce tableau a été modifié depuis que vous l'avez ouvert"


@pytest.fixture
def convention(demo):
    return demo["national-2025-demo"]


@pytest.fixture
def commune_user(convention):
    return UserFactory(role=Role.COMMUNE, collectivite=convention.collectivites().filter(kind="commune").first())


def browser_of(user):
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def commune(commune_user):
    return browser_of(commune_user)


@pytest.fixture
def caf(convention):
    return browser_of(UserFactory(role=Role.CAF_STAFF, caf=convention.caf))


@pytest.fixture
def ao_url(convention):
    return reverse("ao_table", args=[convention.pk])


@pytest.fixture
def epci_line(convention):
    return convention.ao_competences.get(collectivite__kind="epci", competence="planification")


class OpenedTable:
    """A table page as a browser got it: `typed` is what the browser sends back."""

    def __init__(self, browser, url, response=None):
        self.formset = (response or browser.get(url)).context["formset"]
        formset = self.formset
        self.typed = {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
        for form in formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                self.typed[form.add_prefix(name)] = "" if value is None else getattr(value, "pk", value)

    def type_into(self, line, **values):
        form = next(form for form in self.formset.initial_forms if form.instance.pk == line.pk)
        self.typed |= {form.add_prefix(name): value for name, value in values.items()}
        return self.typed


def shown_again(browser, url, response):
    """The table the conflict page shows, as its browser would send it back."""
    return OpenedTable(browser, url, response)


# The AO table.


def test_a_save_from_a_table_changed_meanwhile_is_refused_and_says_who_and_what(
    commune, caf, commune_user, ao_url, epci_line
):
    caf_page = OpenedTable(caf, ao_url)
    commune.post(ao_url, OpenedTable(commune, ao_url).type_into(epci_line, transferred_population="1111"))

    response = caf.post(ao_url, caf_page.type_into(epci_line, transfer="all"))

    assert response.status_code == 409
    page = response.content.decode()
    assert CHANGED_MEANWHILE in page
    assert f"par {commune_user.username}" in page
    assert "1\u202f111" in page  # what the commune saved, among the differences
    epci_line.refresh_from_db()
    assert (epci_line.transferred_population, epci_line.transfer) == (1111, "some")
    assert "Toutes les communes" in page  # what the Caf's page sent, among the differences
    shown = next(form for form in response.context["formset"].forms if form.instance.pk == epci_line.pk)
    assert (shown["transfer"].value(), shown["transferred_population"].value()) == ("some", 1111)  # saved now


def test_a_change_carried_over_to_the_table_saved_now_keeps_both_changes(commune, caf, ao_url, epci_line):
    caf_page = OpenedTable(caf, ao_url)
    commune.post(ao_url, OpenedTable(commune, ao_url).type_into(epci_line, transferred_population="1111"))
    refused = caf.post(ao_url, caf_page.type_into(epci_line, transfer="all"))
    fingerprint = AOCompetence.objects.filter(convention=epci_line.convention).fingerprint()
    assert f'value="{fingerprint}"' in refused.content.decode()

    response = caf.post(ao_url, shown_again(caf, ao_url, refused).type_into(epci_line, transfer="all"))

    assert response.status_code == 302
    epci_line.refresh_from_db()
    assert (epci_line.transferred_population, epci_line.transfer) == (1111, "all")


def test_a_line_deleted_meanwhile_is_named_and_the_table_can_be_saved_again(
    commune, caf, convention, ao_url, epci_line
):
    optional = next(line for line in convention.ao_competences.select_related("collectivite") if line.is_optional)
    caf_page = OpenedTable(caf, ao_url)
    commune_page = OpenedTable(commune, ao_url)
    assert commune.post(ao_url, commune_page.type_into(optional, DELETE="on")).status_code == 302

    response = caf.post(ao_url, caf_page.type_into(epci_line, transferred_population="2000"))

    assert response.status_code == 409
    page = response.content.decode()
    assert CHANGED_MEANWHILE in page
    assert escape(str(optional)) in page and "supprimée entre-temps" in page
    again = shown_again(caf, ao_url, response).type_into(epci_line, transferred_population="2000")
    assert caf.post(ao_url, again).status_code == 302
    epci_line.refresh_from_db()
    assert epci_line.transferred_population == 2000
    assert not AOCompetence.objects.filter(pk=optional.pk).exists()


def test_a_line_added_meanwhile_comes_into_the_form_and_stays(commune, caf, convention, ao_url, epci_line):
    optional = next(line for line in convention.ao_competences.select_related("collectivite") if line.is_optional)
    optional.delete()
    caf_page = OpenedTable(caf, ao_url)
    commune_page = OpenedTable(commune, ao_url)
    added = {"collectivite": optional.collectivite_id, "competence": optional.competence, "exercised_by": "epci"}
    index = len(commune_page.formset.initial_forms)
    commune.post(ao_url, commune_page.typed | {f"form-{index}-{name}": value for name, value in added.items()})

    response = caf.post(ao_url, caf_page.type_into(epci_line, transferred_population="2000"))

    assert response.status_code == 409
    assert "ajoutée entre-temps" in response.content.decode()
    again = shown_again(caf, ao_url, response).type_into(epci_line, transferred_population="2000")
    assert caf.post(ao_url, again).status_code == 302
    assert AOCompetence.objects.filter(convention=convention, **added).exists()
    epci_line.refresh_from_db()
    assert epci_line.transferred_population == 2000


def test_an_error_on_a_hidden_field_is_shown(caf, ao_url, epci_line):
    typed = OpenedTable(caf, ao_url).type_into(epci_line, id="999999")

    response = caf.post(ao_url, typed)

    assert response.status_code == 422
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_a_save_without_the_tables_fingerprint_is_refused_with_a_message(caf, ao_url):
    typed = OpenedTable(caf, ao_url).typed
    del typed["form-OPENED_TABLE"]

    response = caf.post(ao_url, typed)

    assert response.status_code == 422
    assert "OPENED_TABLE" in response.content.decode()


# The projections.


def test_a_projection_save_from_a_table_changed_meanwhile_is_refused_then_saves_from_the_table_shown(
    commune, caf, convention
):
    url = reverse("projections", args=[convention.pk])
    line = convention.places_projections.order_by("pk").first()
    before = line.other_needs
    caf_page = OpenedTable(caf, url)
    assert commune.post(url, OpenedTable(commune, url).type_into(line, current="31")).status_code == 302

    response = caf.post(url, caf_page.type_into(line, other_needs="Un relais petite enfance"))

    assert response.status_code == 409
    assert CHANGED_MEANWHILE in response.content.decode()
    line.refresh_from_db()
    assert (line.current, line.other_needs) == (31, before)
    again = shown_again(caf, url, response).type_into(line, other_needs="Un relais petite enfance")
    assert caf.post(url, again).status_code == 302
    line.refresh_from_db()
    assert (line.current, line.other_needs) == (31, "Un relais petite enfance")
