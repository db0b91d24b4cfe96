"""The tableau de suivi partagé exported as XLSX and CSV."""

import codecs
import csv
import datetime
import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import ActionSheet, FollowUp
from plans.spreadsheets import escape_formula

pytestmark = pytest.mark.django_db

COLUMNS = [
    "Axe",
    "Action",
    "État",
    "Avancement (%)",
    "Indicateurs d'évaluation",
    "Valeur de l'indicateur",
    "Cible",
    "Commentaire",
    "Dernière mise à jour",
    "Signé par",
]


@pytest.mark.parametrize("dangerous", ["=1+1", "+33 6 00", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_a_cell_a_spreadsheet_would_run_is_escaped(dangerous):
    assert escape_formula(dangerous) == "'" + dangerous


def test_plain_text_and_numbers_are_left_alone():
    assert escape_formula("Réunion tenue") == "Réunion tenue"
    assert escape_formula(-5) == -5


@pytest.fixture
def followed(nord_convention, commune_user):
    action = (
        ActionSheet.objects.filter(axis__convention=nord_convention).order_by("axis__position", "position").first()
    )
    FollowUp.objects.create(action=action, period="2025-01-01", status="in_progress", progress=20, author=commune_user)
    FollowUp.objects.create(
        action=action, period="2025-04-01", status="in_progress", progress=55, comment="=HYPERLINK(\"x\")",
        author=commune_user,
    )  # fmt: skip
    return action


def test_the_csv_has_one_row_per_action_with_its_latest_update(client, caf_staff, nord_convention, followed):
    client.force_login(caf_staff)
    response = client.get(reverse("follow_up_export", args=[nord_convention.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="suivi-nord-armentieres-2023.csv"'
    assert response.content.startswith(codecs.BOM_UTF8)  # Excel reads the accents
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(COLUMNS)  # French Excel splits cells on semicolons
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == COLUMNS
    assert len(rows) - 1 == ActionSheet.objects.filter(axis__convention=nord_convention).count()
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert (first["Action"], first["Avancement (%)"], first["État"]) == (followed.title, "55", "En cours")
    assert first["Commentaire"] == '\'=HYPERLINK("x")'
    assert first["Dernière mise à jour"].startswith("T2 2025")


def test_the_last_update_is_dated_as_the_day_it_was_in_france(client, caf_staff, nord_convention, followed):
    """Recorded at 23:30 UTC on 31 March, it was 1 April in Paris."""
    FollowUp.objects.filter(action=followed).update(
        created_at=datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC)
    )
    client.force_login(caf_staff)

    text = client.get(reverse("follow_up_export", args=[nord_convention.pk, "csv"])).content.decode("utf-8-sig")

    first = dict(zip(COLUMNS, list(csv.reader(io.StringIO(text), delimiter=";"))[1], strict=True))
    assert first["Dernière mise à jour"] == "T2 2025 (01/04/2025)"


def test_the_command_writes_an_xlsx_a_spreadsheet_opens(tmp_path, nord_convention, followed):
    target = tmp_path / "suivi.xlsx"
    out = StringIO()
    call_command("export_suivi", nord_convention.reference, "-o", str(target), stdout=out)
    sheet = openpyxl.load_workbook(target).active
    assert sheet.title == "Suivi"
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert sheet.cell(row=2, column=8).value == '\'=HYPERLINK("x")'
    assert str(target) in out.getvalue()


def test_the_command_writes_a_csv_french_excel_opens_in_columns(tmp_path, nord_convention, followed):
    target = tmp_path / "suivi.csv"
    call_command("export_suivi", nord_convention.reference, "-o", str(target), stdout=StringIO())
    content = target.read_bytes()
    assert content.startswith(codecs.BOM_UTF8)
    assert content.decode("utf-8-sig").splitlines()[0] == ";".join(COLUMNS)


def test_another_commune_cannot_export_the_table(client, other_commune_user, nord_convention):
    client.force_login(other_commune_user)
    assert client.get(reverse("follow_up_export", args=[nord_convention.pk, "xlsx"])).status_code == 404


def test_an_unknown_format_is_a_404(client, caf_staff, nord_convention):
    client.force_login(caf_staff)
    assert client.get(reverse("follow_up_export", args=[nord_convention.pk, "ods"])).status_code == 404


def csv_rows(client, convention):
    response = client.get(reverse("follow_up_export", args=[convention.pk, "csv"]))
    return [
        dict(zip(COLUMNS, row, strict=True))
        for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    ][1:]


def test_the_csv_writes_decimals_with_a_comma_for_french_spreadsheets(client, caf_staff, nord_convention, followed):
    FollowUp.objects.filter(action=followed, period="2025-04-01").update(
        indicator_value="12.05", indicator_target="1500.5"
    )
    client.force_login(caf_staff)

    first = csv_rows(client, nord_convention)[0]

    assert (first["Valeur de l'indicateur"], first["Cible"]) == ("12,05", "1500,50")


def test_the_export_numbers_the_axes_as_the_plan_shows_them(client, caf_staff, nord_convention):
    *_, last = nord_convention.axes.order_by("position")
    type(last).objects.filter(pk=last.pk).update(position=40)  # a gap, as a deletion leaves
    client.force_login(caf_staff)

    axes = [row["Axe"] for row in csv_rows(client, nord_convention)]

    assert f"{nord_convention.axes.count()}. {last.title}" in axes
    assert not any(axis.startswith("40.") for axis in axes)
