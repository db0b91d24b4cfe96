"""Rows of the annex tables, added and removed in place (htmx) or by a plain form; délibérations
come with their PDF, which must be a readable, unencrypted PDF of 20 MB at most."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conventions.models import AnnexKind, Deliberation, Equipment, Role, StructureType
from tests.conventions.factories import UserFactory
from tests.conventions.row_helpers import deliberation_data, equipment_data, last_equipment
from tests.pdfs import pdf_bytes

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_equipment_added_with_htmx_comes_back_as_the_last_row(client, var_caf_staff, national_convention):
    client.force_login(var_caf_staff)
    before = Equipment.objects.filter(convention=national_convention).count()

    response = client.post(
        reverse("row_add", args=[national_convention.pk, "equipements"]), equipment_data(), headers=HTMX
    )

    assert response.status_code == 200
    added = last_equipment(national_convention)
    assert added.name == "MAM Les Petits Pas"
    assert Equipment.objects.filter(convention=national_convention).count() == before + 1
    html = response.content.decode()
    assert html.startswith(f'<tr id="row-equipements-{added.pk}">')
    assert "MAM Les Petits Pas" in html


def test_an_equipment_added_by_a_plain_form_goes_back_to_its_table(client, var_caf_staff, national_convention):
    annex = national_convention.annexes.get(kind="equipments")
    client.force_login(var_caf_staff)

    response = client.post(reverse("row_add", args=[national_convention.pk, "equipements"]), equipment_data())

    assert response.status_code == 302
    assert response.url == reverse("annex_edit", args=[national_convention.pk, annex.pk]) + "#table-equipements"
    assert last_equipment(national_convention).name == "MAM Les Petits Pas"


def test_a_row_refused_without_javascript_comes_back_on_a_whole_page_with_what_was_typed(
    client, var_caf_staff, national_convention
):
    annex = national_convention.annexes.get(kind="equipments")
    client.force_login(var_caf_staff)

    response = client.post(
        reverse("row_add", args=[national_convention.pk, "equipements"]),
        equipment_data(**{"equipements-name": ""}),
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert page.startswith("<!doctype html>")
    assert "Ligne non ajoutée : corrigez les erreurs signalées ci-dessous." in page
    assert 'value="12 places"' in page
    assert f'href="{reverse("annex_edit", args=[national_convention.pk, annex.pk])}#table-equipements"' in page


def test_an_added_equipment_takes_the_position_after_the_last(client, var_caf_staff, national_convention):
    highest = max(Equipment.objects.filter(convention=national_convention).values_list("position", flat=True))
    client.force_login(var_caf_staff)

    client.post(reverse("row_add", args=[national_convention.pk, "equipements"]), equipment_data())

    assert last_equipment(national_convention).position == highest + 1


@pytest.mark.parametrize(
    ("headers", "status"),
    [pytest.param(HTMX, 200, id="with htmx"), pytest.param({}, 422, id="by a plain form")],
)
def test_an_equipment_without_name_is_refused_and_not_saved(
    client, var_caf_staff, national_convention, headers, status
):
    client.force_login(var_caf_staff)
    before = Equipment.objects.count()

    response = client.post(
        reverse("row_add", args=[national_convention.pk, "equipements"]),
        equipment_data(**{"equipements-name": ""}),
        headers=headers,
    )

    assert response.status_code == status
    assert response.context["table"]["form"].errors["name"] == ["Ce champ est obligatoire."]
    assert "Ce champ est obligatoire." in response.content.decode()
    assert Equipment.objects.count() == before


def test_a_refused_row_with_htmx_replaces_the_add_form(client, var_caf_staff, national_convention):
    client.force_login(var_caf_staff)

    response = client.post(
        reverse("row_add", args=[national_convention.pk, "equipements"]),
        equipment_data(**{"equipements-name": ""}),
        headers=HTMX,
    )

    assert response["HX-Retarget"] == "#add-equipements"
    assert response["HX-Reswap"] == "outerHTML"


def test_deleting_a_row_with_htmx_removes_it(client, var_caf_staff, national_convention):
    row = last_equipment(national_convention)
    client.force_login(var_caf_staff)

    response = client.post(reverse("row_delete", args=[national_convention.pk, "equipements", row.pk]), headers=HTMX)

    assert response.status_code == 200
    assert response.content == b""
    assert not Equipment.objects.filter(pk=row.pk).exists()


def test_deleting_a_row_of_another_convention_gets_404(client, var_caf_staff, demo, national_convention):
    row = demo["var-le-pradet-2022"].equipments.first()  # same Caf, another convention
    client.force_login(var_caf_staff)

    response = client.post(reverse("row_delete", args=[national_convention.pk, "equipements", row.pk]))

    assert response.status_code == 404
    assert Equipment.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    "url_name",
    [pytest.param("row_add", id="adding"), pytest.param("row_delete", id="deleting")],
)
def test_an_unknown_table_gets_404(client, var_caf_staff, national_convention, url_name):
    args = [national_convention.pk, "inconnu"] + ([1] if url_name == "row_delete" else [])
    client.force_login(var_caf_staff)

    response = client.post(reverse(url_name, args=args), equipment_data())

    assert response.status_code == 404


def saved_files(media_root):
    folder = media_root / "deliberations"
    return sorted(folder.rglob("*.pdf")) if folder.exists() else []


def test_a_small_pdf_deliberation_is_accepted(client, caf_staff, nord_convention, tmp_path):
    upload = SimpleUploadedFile("deliberation.pdf", pdf_bytes(), content_type="application/pdf")
    client.force_login(caf_staff)

    response = client.post(
        reverse("row_add", args=[nord_convention.pk, "deliberations"]), deliberation_data(upload), headers=HTMX
    )

    assert response.status_code == 200
    deliberation = Deliberation.objects.get(convention=nord_convention, number="DE2025-012")
    with deliberation.file.open("rb") as saved:
        assert saved.read(5) == b"%PDF-"
    assert len(saved_files(tmp_path)) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"hello", "n'est pas un PDF", id="a file that is not a PDF"),
        pytest.param(pdf_bytes(password="x"), "chiffré", id="an encrypted PDF"),
        pytest.param(b"%PDF-" + b"0" * (20 * 1024 * 1024 - 4), "20 Mo", id="a file over 20 MB"),
    ],
)
def test_a_bad_deliberation_file_is_refused_and_nothing_saved(
    client, caf_staff, nord_convention, tmp_path, content, message
):
    upload = SimpleUploadedFile("deliberation.pdf", content, content_type="application/pdf")
    client.force_login(caf_staff)
    before = Deliberation.objects.count()

    response = client.post(
        reverse("row_add", args=[nord_convention.pk, "deliberations"]), deliberation_data(upload), headers=HTMX
    )

    assert response.status_code == 200
    errors = response.context["table"]["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Deliberation.objects.count() == before
    assert saved_files(tmp_path) == []


def test_a_signatory_commune_fills_the_equipements_but_not_the_other_tables(client, national_convention):
    """DESIGN §2: the chargé(e) de coopération fills the équipements of the conventions their
    collectivité signs; the other annex tables stay with the Caf."""
    convention = national_convention
    commune = convention.signatories.filter(collectivite__isnull=False).first().collectivite
    client.force_login(UserFactory(role=Role.COMMUNE, collectivite=commune))
    annex = convention.annexes.get(kind="equipments")

    page = client.get(reverse("annex_edit", args=[convention.pk, annex.pk])).content.decode()
    added = client.post(reverse("row_add", args=[convention.pk, "equipements"]), equipment_data())
    row = Equipment.objects.get(convention=convention, name="MAM Les Petits Pas")
    removed = client.post(reverse("row_delete", args=[convention.pk, "equipements", row.pk]))
    other_table = client.post(reverse("row_add", args=[convention.pk, "deliberations"]), {})

    assert 'name="equipements-name"' in page
    assert added.status_code == removed.status_code == 302
    assert not Equipment.objects.filter(pk=row.pk).exists()
    assert other_table.status_code == 403


def test_a_row_added_in_place_leaves_no_message_for_the_next_page(client, national_convention):
    equipments = national_convention.annexes.get(kind=AnnexKind.EQUIPMENTS)
    staff = UserFactory(role=Role.CAF_STAFF, caf=national_convention.caf)
    client.force_login(staff)

    added = client.post(
        reverse("row_add", args=[national_convention.pk, "equipements"]), equipment_data(), headers=HTMX
    )
    next_page = client.get(reverse("annex_edit", args=[national_convention.pk, equipments.pk]))

    assert "MAM Les Petits Pas" in added.content.decode()
    assert "Ligne ajoutée" not in next_page.content.decode()


def test_an_equipment_takes_a_structure_type_of_its_models_annex(demo):
    """Whatever enters it (form, import, administration): the Var acte d'engagement lists no MAM."""
    var = demo["var-le-pradet-2022"]

    with pytest.raises(ValidationError) as refused:
        Equipment(convention=var, structure_type=StructureType.MAM, name="MAM des Oliviers").full_clean()

    assert refused.value.message_dict["structure_type"] == [
        "« Maison d'assistants maternels (MAM) » n'est pas un type de l'annexe équipements de ce modèle. "
        "Types possibles : Établissement d'accueil du jeune enfant (EAJE), Lieu d'accueil enfants-parents (LAEP), "
        "Relais assistants maternels (RAM), Accueil de loisirs sans hébergement (ALSH), Ludothèque."
    ]
    Equipment(convention=var, structure_type=StructureType.LAEP, name="LAEP des Oliviers").full_clean()
