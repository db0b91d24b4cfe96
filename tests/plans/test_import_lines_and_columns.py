"""What an import reads in a CSV or XLSX file (its lines, columns and cells as a spreadsheet shows
them) and how its report names the line and the column of each problem."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from plans.models import ActionSheet
from tests.plans.import_helpers import csv_file, preview_then_apply, problems, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_file_without_the_axe_column_reports_only_the_missing_column(client, commune_user, nord_convention):
    client.force_login(commune_user)
    content = "Action;Public cible\nUne action;Familles\nUne autre action;Parents"

    response = client.post(url(nord_convention), {"file": csv_file(content)})

    assert response.status_code == 422
    assert response.context["report"].problems == ["Fichier refusé, colonnes manquantes : Axe."]


def test_a_refused_cell_is_the_only_problem_its_row_reports(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first().title
    client.force_login(commune_user)
    content = f"Axe;Action;Public cible\n{axis};Nouvelle action;Fa\x00milles"

    response = client.post(url(nord_convention), {"file": csv_file(content)})

    assert response.context["report"].problems == [
        "Ligne 2, colonne « Public cible » : Le caractère nul n’est pas autorisé."
    ]


def test_a_csv_line_is_counted_as_the_spreadsheet_shows_it(client, commune_user, nord_convention):
    """Empty lines and a cell spanning two lines still count: the report names the file's line."""
    axis = nord_convention.axes.order_by("position").first().title
    client.force_login(commune_user)
    content = f'Axe;Action;Public cible\n\n{axis};Bonne action;"Familles\ndu quartier"\n\nAxe inconnu;Autre action;'

    response = client.post(url(nord_convention), {"file": csv_file(content)})

    [problem] = response.context["report"].problems
    assert problem.startswith("Ligne 6, colonne « Axe » : Axe inconnu")


def test_a_file_with_one_bad_row_names_its_line_and_applies_none(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first().title
    client.force_login(commune_user)
    content = f"Axe;Action\n{axis};Bonne action\nAxe inconnu;Autre action"
    response = client.post(url(nord_convention), {"file": csv_file(content)})
    assert "Ligne 3" in response.content.decode()
    assert not ActionSheet.objects.filter(title="Bonne action").exists()


def xlsx_file(*rows, name="fichier.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_blank_rows_of_a_spreadsheet_are_ignored_and_lines_keep_their_numbers(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first().title
    client.force_login(commune_user)
    upload = xlsx_file(
        ["Axe", "Action", "Public cible"],
        [axis, "Première action", "Parents"],
        [None, None, None],
        ["", "  ", None],
        [axis, "Deuxième action", "Enfants"],
        [None, None, None],
    )

    preview = client.post(url(nord_convention), {"file": upload})

    assert preview.status_code == 200
    report = preview.context["report"]
    assert (report.totals["new"], report.totals["skip"]) == (2, 0)
    assert [(line, effect) for line, effect, _diff in report.rows] == [(2, "ajout"), (5, "ajout")]
    assert "2 ajout(s), 0 modification(s), 0 ligne(s) inchangée(s)" in preview.content.decode()
    client.post(url(nord_convention), {"token": preview.context["token"]})
    assert ActionSheet.objects.filter(axis__title=axis, title__in=["Première action", "Deuxième action"]).count() == 2


def test_an_error_after_blank_rows_names_the_line_of_the_file(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first().title
    client.force_login(commune_user)
    upload = xlsx_file(["Axe", "Action"], [axis, "Première action"], [None, None], ["Axe inconnu", "Autre"])

    response = client.post(url(nord_convention), {"file": upload})

    assert response.status_code == 422
    assert problems(response) == [
        "Ligne 4, colonne « Axe » : Axe inconnu : « Axe inconnu » (créez-le d'abord dans le plan)."
    ]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        pytest.param(
            ["Accueil de jeunes", "", "Place de la Mairie"],
            "Ligne 2, colonne « Nom » : Ce champ ne peut pas être vide.",
            id="an empty required cell",
        ),
        pytest.param(
            ["Accueil de jeunes", "Espace jeunes", "x" * 301],
            "Ligne 2, colonne « Adresse » : Assurez-vous que cette valeur comporte au plus 300 caractères "
            "(actuellement 301).",
            id="a text too long",
        ),
    ],
)
def test_an_error_names_the_column_as_written_in_the_file(client, its_caf_staff, with_equipments, row, problem):
    client.force_login(its_caf_staff)

    response = client.post(url(with_equipments, "equipements"), {"file": xlsx_file(["Type", "Nom", "Adresse"], row)})

    assert response.status_code == 422
    assert problems(response) == [problem]


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        pytest.param(datetime.date(2025, 9, 1), "01/09/2025", id="a date"),
        pytest.param(datetime.datetime(2025, 9, 1), "01/09/2025", id="a date and time at midnight"),
        pytest.param(datetime.datetime(2025, 9, 1, 14, 30), "01/09/2025 14:30", id="a date and time"),
    ],
)
def test_a_date_cell_of_a_text_column_reads_as_a_french_date(client, commune_user, nord_convention, cell, text):
    axis = nord_convention.axes.order_by("position").first().title
    client.force_login(commune_user)
    upload = xlsx_file(["Axe", "Action", "Échéances de réalisation"], [axis, "Action datée", cell])

    preview_then_apply(client, nord_convention, upload)

    assert ActionSheet.objects.get(title="Action datée").deadlines == text


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([], id="column names only"),
        pytest.param([[None, None], ["", " "]], id="column names and blank rows"),
    ],
)
def test_a_file_without_a_line_to_import_is_refused_without_an_apply_button(
    client, commune_user, nord_convention, rows
):
    client.force_login(commune_user)

    response = client.post(url(nord_convention), {"file": xlsx_file(["Axe", "Action"], *rows)})

    assert response.status_code == 422
    page = response.content.decode()
    assert escape("Le fichier n'a aucune ligne à importer") in page
    assert "Appliquer l'import" not in page and "0 ajout(s)" not in page


def test_column_names_are_matched_whatever_their_spaces_and_case(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first().title
    client.force_login(commune_user)
    content = f" Axe ;action;PUBLIC  CIBLE\n{axis};Action aux colonnes libres;Parents"

    preview_then_apply(client, nord_convention, csv_file(content))

    assert ActionSheet.objects.get(title="Action aux colonnes libres").target_public == "Parents"
