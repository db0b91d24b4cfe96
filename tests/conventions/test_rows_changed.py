"""A row of an annex table changed on its own page: what the form keeps and refuses, who may change
which table, and a signed convention whose rows no longer change."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conventions.models import Deliberation, Role
from tests.conventions.factories import UserFactory
from tests.conventions.rendering_helpers import html_text
from tests.conventions.row_helpers import deliberation_data, equipment_data, last_equipment
from tests.pdfs import pdf_bytes


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def edited_equipment(**changes):
    return {key.removeprefix("equipements-"): value for key, value in equipment_data(**changes).items()}


def test_a_row_is_changed_on_its_own_page_and_the_preview_prints_the_change(
    client, var_caf_staff, national_convention
):
    row = last_equipment(national_convention)
    url = reverse("row_edit", args=[national_convention.pk, "equipements", row.pk])
    client.force_login(var_caf_staff)

    form_page = client.get(url)
    response = client.post(url, edited_equipment(**{"equipements-capacity": "24 places"}))

    assert f'value="{row.name}"' in form_page.content.decode()
    annex = national_convention.annexes.get(kind="equipments")
    assert response.status_code == 302
    assert response.url == reverse("annex_edit", args=[national_convention.pk, annex.pk]) + "#table-equipements"
    row.refresh_from_db()
    assert (row.name, row.capacity) == ("MAM Les Petits Pas", "24 places")
    preview = html_text(client.get(reverse("convention_preview", args=[national_convention.pk])).content.decode())
    assert "MAM Les Petits Pas" in preview and "24 places" in preview


def test_each_row_of_the_table_links_to_its_change_page(client, var_caf_staff, national_convention):
    row = last_equipment(national_convention)
    annex = national_convention.annexes.get(kind="equipments")
    client.force_login(var_caf_staff)

    page = client.get(reverse("annex_edit", args=[national_convention.pk, annex.pk])).content.decode()

    assert reverse("row_edit", args=[national_convention.pk, "equipements", row.pk]) in page


def test_a_row_changed_with_bad_input_says_why_in_french_and_stays_as_it_was(
    client, var_caf_staff, national_convention
):
    row = last_equipment(national_convention)
    name_before = row.name
    client.force_login(var_caf_staff)

    response = client.post(
        reverse("row_edit", args=[national_convention.pk, "equipements", row.pk]),
        edited_equipment(**{"equipements-name": ""}),
    )

    assert response.status_code == 422
    page = html_text(response.content.decode())
    assert "Ligne non modifiée" in page and "Ce champ est obligatoire" in page
    assert f"modifier « {name_before} »" in page
    row.refresh_from_db()
    assert row.name == name_before


def test_a_row_changed_on_its_page_says_so_back_on_its_table(client, demo):
    convention = demo["yvelines-aubergenville-2024"]
    commune = convention.signatories.filter(collectivite__isnull=False).first().collectivite
    equipment = last_equipment(convention)
    client.force_login(UserFactory(role=Role.COMMUNE, collectivite=commune))

    page = client.post(
        reverse("row_edit", args=[convention.pk, "equipements", equipment.pk]), edited_equipment(), follow=True
    ).content.decode()

    assert "Ligne modifiée : " in page and "MAM Les Petits Pas" in page


def test_a_row_of_another_convention_cannot_be_changed(client, var_caf_staff, demo, national_convention):
    row = demo["var-le-pradet-2022"].equipments.first()  # same Caf, another convention
    name_before = row.name
    client.force_login(var_caf_staff)

    response = client.post(
        reverse("row_edit", args=[national_convention.pk, "equipements", row.pk]), edited_equipment()
    )

    assert response.status_code == 404
    row.refresh_from_db()
    assert row.name == name_before


def test_a_commune_changes_its_equipements_but_not_the_caf_tables(client, national_convention):
    commune = national_convention.signatories.filter(collectivite__isnull=False).first().collectivite
    client.force_login(UserFactory(role=Role.COMMUNE, collectivite=commune))
    equipment = last_equipment(national_convention)
    body = national_convention.steering_bodies.first()

    changed = client.post(
        reverse("row_edit", args=[national_convention.pk, "equipements", equipment.pk]), edited_equipment()
    )
    refused = client.get(reverse("row_edit", args=[national_convention.pk, "instances", body.pk]))

    assert changed.status_code == 302
    equipment.refresh_from_db()
    assert equipment.name == "MAM Les Petits Pas"
    assert refused.status_code == 403


def test_a_deliberation_changed_without_a_new_file_keeps_its_pdf(client, caf_staff, nord_convention, tmp_path):
    client.force_login(caf_staff)
    client.post(
        reverse("row_add", args=[nord_convention.pk, "deliberations"]),
        deliberation_data(SimpleUploadedFile("deliberation.pdf", pdf_bytes(), content_type="application/pdf")),
    )
    deliberation = Deliberation.objects.get(convention=nord_convention, number="DE2025-012")
    stored_name = deliberation.file.name
    data = {key.removeprefix("deliberations-"): value for key, value in deliberation_data(None).items()}
    del data["file"]

    response = client.post(
        reverse("row_edit", args=[nord_convention.pk, "deliberations", deliberation.pk]),
        data | {"number": "DE2025-013"},
    )

    assert response.status_code == 302
    deliberation.refresh_from_db()
    assert deliberation.number == "DE2025-013"
    assert deliberation.file.name == stored_name


def test_a_row_of_a_signed_convention_cannot_be_changed(client, caf_admin, nord_convention, nord_signature):
    body = nord_convention.steering_bodies.first()
    name_before = body.name
    client.force_login(caf_admin)

    response = client.post(
        reverse("row_edit", args=[nord_convention.pk, "instances", body.pk]),
        {"dispositif": "CTG", "name": "Autre", "missions": "m", "composition": "c", "periodicity": "p"},
    )

    assert response.status_code == 403
    body.refresh_from_db()
    assert body.name == name_before
