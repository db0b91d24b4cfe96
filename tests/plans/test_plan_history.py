"""The convention's history tells what happened to its plan d'actions: the AO table, the places
projections, and the axes and fiches moved up or down, each with who did it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions.models import Role
from conventions.wording import french_number
from tests.conventions.factories import UserFactory
from tests.conventions.rendering_helpers import html_text
from tests.plans.test_table_conflicts import OpenedTable

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def national(demo):
    return demo["national-2025-demo"]


@pytest.fixture
def commune_user(national):
    return UserFactory(role=Role.COMMUNE, collectivite=national.collectivites().filter(kind="commune").first())


def history(client, convention):
    response = client.get(reverse("convention_history", args=[convention.pk]))
    assert response.status_code == 200
    return response


def listed(response, starting_with, by):
    """The changes `by` made, of the parts whose label starts so (the demo's loading is listed too)."""
    return [
        change for change in response.context["changes"] if change.what.startswith(starting_with) and change.user == by
    ]


def test_a_change_to_the_ao_table_is_listed_with_its_line_its_values_and_who(client, commune_user, national):
    epci_line = national.ao_competences.get(collectivite__kind="epci", competence="planification")
    client.force_login(commune_user)
    url = reverse("ao_table", args=[national.pk])
    before = epci_line.transferred_population
    page = OpenedTable(client, url)
    assert client.post(url, page.type_into(epci_line, transferred_population="1111")).status_code == 302
    epci_line.refresh_from_db()
    assert epci_line.transferred_population == 1111

    response = history(client, national)

    [change] = listed(response, "Compétence AO", commune_user)
    assert change.what == f"Compétence AO « {epci_line} »"
    assert (change.user, change.action) == (commune_user, "modification")
    before = french_number(before) if before else "(vide)"
    assert change.values == [("population des communes ayant transféré", before, "1\u202f111")]
    assert f"{commune_user} — modification — Compétence AO « {epci_line} »" in html_text(response.content.decode())


def test_a_line_deleted_from_the_ao_table_stays_in_the_history(client, commune_user, national):
    optional = next(line for line in national.ao_competences.select_related("collectivite") if line.is_optional)
    client.force_login(commune_user)
    url = reverse("ao_table", args=[national.pk])
    client.post(url, OpenedTable(client, url).type_into(optional, DELETE="on"))
    assert not national.ao_competences.filter(pk=optional.pk).exists()

    [change] = listed(history(client, national), "Compétence AO", commune_user)

    assert (change.what, change.action) == (f"Compétence AO « {optional} »", "suppression")


def test_a_projection_changed_is_listed(client, commune_user, national):
    client.force_login(commune_user)
    url = reverse("projections", args=[national.pk])
    page = OpenedTable(client, url)
    line = page.formset.forms[0].instance
    assert client.post(url, page.type_into(line, current="42")).status_code == 302

    [change] = listed(history(client, national), "Projection de places", commune_user)

    assert change.what == f"Projection de places « {line} »"
    assert ("aujourd'hui", "42") in [(name, after) for name, _, after in change.values]


def test_a_projection_year_changed_is_listed_alone_the_french_way(client, commune_user, national):
    client.force_login(commune_user)
    url = reverse("projections", args=[national.pk])
    page = OpenedTable(client, url)
    line = page.formset.forms[0].instance
    before = line.by_year["2029"]
    assert client.post(url, page.type_into(line, year_2029="1080")).status_code == 302

    [change] = listed(history(client, national), "Projection de places", commune_user)

    assert change.values == [("projection par année", f"2029 : {before}", "2029 : 1\u202f080")]


def test_a_projection_saved_keeps_its_whole_numbers_whole(client, commune_user, national):
    client.force_login(commune_user)
    url = reverse("projections", args=[national.pk])
    page = OpenedTable(client, url)
    line = page.formset.forms[0].instance
    assert client.post(url, page.type_into(line, year_2029="80")).status_code == 302

    line.refresh_from_db()
    assert all(type(value) is int for value in line.by_year.values())


def test_moving_an_axis_down_lists_both_axes_with_their_new_places(client, caf_staff, nord_convention):
    first, second = nord_convention.axes.order_by("position")[:2]
    client.force_login(caf_staff)
    client.post(reverse("axis_move", args=[nord_convention.pk, first.pk, "descendre"]))

    moves = {change.what: change for change in listed(history(client, nord_convention), "Axe", caf_staff)}

    assert moves[f"Axe « {first} »"].values == [("ordre", str(first.position), str(second.position))]
    assert moves[f"Axe « {second} »"].values == [("ordre", str(second.position), str(first.position))]
    assert len(moves) == 2


def test_moving_a_fiche_action_up_is_listed(client, caf_staff, nord_convention):
    axis = next(axis for axis in nord_convention.axes.all() if axis.actions.count() >= 2)
    upper, lower = axis.actions.order_by("position")[:2]
    client.force_login(caf_staff)
    client.post(reverse("action_move", args=[nord_convention.pk, lower.pk, "monter"]))

    changes = listed(history(client, nord_convention), "Fiche action", caf_staff)

    moved = next(change for change in changes if change.what == f"Fiche action « {lower} »")
    assert (moved.action, moved.values) == ("modification", [("ordre", str(lower.position), str(upper.position))])


def test_the_history_reads_the_same_number_of_rows_however_many_ao_lines_changed(client, commune_user, national):
    lines = list(national.ao_competences.filter(collectivite__kind="epci"))
    client.force_login(commune_user)
    url = reverse("ao_table", args=[national.pk])

    def change_lines(count, population):
        page = OpenedTable(client, url)
        for line in lines[:count]:
            page.type_into(line, transferred_population=str(population))
        assert client.post(url, page.typed).status_code == 302

    def queries_of_the_history_page():
        with CaptureQueriesContext(connection) as queries:
            history(client, national)
        return len(queries)

    change_lines(1, 1000)
    after_one = queries_of_the_history_page()
    change_lines(len(lines), 900)

    assert len(lines) > 1
    assert queries_of_the_history_page() == after_one
