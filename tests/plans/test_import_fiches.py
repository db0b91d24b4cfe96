"""Import of fiches actions: each line names its axis and its fiche, which it adds or updates in place;
an empty cell keeps what was saved."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from plans.models import ActionSheet, Axis
from tests.plans.import_helpers import csv_file, fiches_csv, preview_then_apply, problems, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_importing_the_same_file_again_changes_nothing(client, commune_user, nord_convention):
    client.force_login(commune_user)
    content = fiches_csv(nord_convention, ["AXE", "Créer un LAEP", "Parents", "Fréquentation"])
    preview_then_apply(client, nord_convention, csv_file(content))
    count = ActionSheet.objects.count()
    preview = client.post(url(nord_convention), {"file": csv_file(content)})
    assert preview.context["report"].totals["skip"] == 1
    client.post(url(nord_convention), {"token": preview.context["token"]})
    assert ActionSheet.objects.count() == count


def test_an_updated_fiche_with_an_empty_order_keeps_its_place(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first()
    first, *others = axis.actions.order_by("position")
    assert others  # the first is not the last of its axis
    position = first.position
    client.force_login(commune_user)
    content = f"Axe;Action;Ordre;Public cible\n{axis.title};{first.title};;Familles du quartier"

    preview_then_apply(client, nord_convention, csv_file(content))

    first.refresh_from_db()
    assert (first.target_public, first.position) == ("Familles du quartier", position)


def test_an_empty_cell_leaves_the_saved_text_of_a_fiche_as_it_is(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first()
    fiche = axis.actions.order_by("position").first()
    fiche.target_public = "Familles monoparentales"
    fiche.save()
    client.force_login(commune_user)
    content = f"Axe;Action;Public cible;Indicateurs d'évaluation\n{axis.title};{fiche.title};;Nombre de familles"

    preview = client.post(url(nord_convention), {"file": csv_file(content)})
    report = preview.context["report"]
    [(_line, _effect, diff)] = report.rows
    shown = diff[report.headers.index("Public cible")]
    assert "Familles monoparentales" in shown and "<del" not in shown  # the preview shows it kept
    assert (
        "Une cellule vide laisse le texte enregistré tel qu'il est"
        in client.get(url(nord_convention)).content.decode()
    )
    client.post(url(nord_convention), {"token": preview.context["token"]})

    fiche.refresh_from_db()
    assert (fiche.target_public, fiche.indicators) == ("Familles monoparentales", "Nombre de familles")


def test_a_new_fiche_with_an_empty_order_goes_to_the_end_of_its_axis(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first()
    last = axis.actions.order_by("-position").first().position
    client.force_login(commune_user)
    content = f"Axe;Action;Ordre\n{axis.title};Ouvrir un LAEP;"

    preview_then_apply(client, nord_convention, csv_file(content))

    assert axis.actions.get(title="Ouvrir un LAEP").position == last + 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Axe;Public cible\nX;Y", "colonnes manquantes : Action"),
        ("Axe;Action;Couleur\nX;Y;Z", "colonnes inconnues : Couleur"),
        ("Axe;Action\nAxe qui n'existe pas;Une action", "Axe inconnu"),
        ("Axe;Action;Ordre\nAXE;Une action;deux", "Ordre"),
        ("Axe;Action;Ordre\nAXE;Une action;99999999", "Ligne 2, colonne « Ordre » : 32767 au plus"),
        ("Axe;Action\nAXE;Même action\n\nAXE;Même action", "lignes en double : AXE / Même action (lignes 2 et 4)."),
        ("Axe;Action\nAXE;Une action;de trop", "autant de colonnes"),
        ("Axe;Axe;Action\nAXE;AXE;Une action", "colonnes en double"),
        (
            "Axe;Action;Ordre\nAXE;Une action;nan",
            "Ligne 2, colonne « Ordre » : un nombre entier est attendu, pas « nan ».",
        ),
        (
            "Axe;Action;Ordre\nAXE;Une action;-inf",
            "Ligne 2, colonne « Ordre » : un nombre entier est attendu, pas « -inf ».",
        ),
        ("Axe;Action\n;Une action", "Ligne 2, colonne « Axe » : Indiquez l'axe : l'intitulé exact d'un axe du plan"),
        (
            "Axe;Action;Public cible\nAXE;Une action;Fa\x00milles",
            "colonne « Public cible » : Le caractère nul n’est pas",
        ),
    ],
    ids=[
        "missing column",
        "unknown column",
        "unknown axis",
        "non-numeric order",
        "an order the database cannot hold",
        "duplicate rows named by their lines",
        "a row longer than the header",
        "a column twice",
        "an order that is not a number",
        "an infinite order",
        "an empty axis",
        "a NUL character, which no database text holds",
    ],
)
def test_a_bad_file_gets_a_report_and_nothing_is_applied(client, commune_user, nord_convention, content, message):
    axis = nord_convention.axes.order_by("position").first().title
    client.force_login(commune_user)
    before = ActionSheet.objects.count()
    response = client.post(url(nord_convention), {"file": csv_file(content.replace("AXE", axis))})
    assert response.status_code == 422
    assert message.replace("AXE", axis) in response.content.decode().replace("&#x27;", "'")
    assert "token" not in response.context or not response.context.get("token")
    assert ActionSheet.objects.count() == before


def test_the_import_page_lists_the_columns_and_the_axes_to_write(client, commune_user, nord_convention):
    client.force_login(commune_user)

    page = client.get(url(nord_convention)).content.decode()

    assert "<li>Axe (obligatoire)</li>" in page and "<li>Action (obligatoire)</li>" in page
    assert "<li>Public cible</li>" in page
    for axis in nord_convention.axes.all():
        assert f"<li>{escape(axis.title)}</li>" in page
    assert f'href="{reverse("import_blank_file", args=[nord_convention.pk, "fiches-actions"])}"' in page


def test_the_blank_file_filled_in_imports(client, commune_user, nord_convention):
    client.force_login(commune_user)
    response = client.get(reverse("import_blank_file", args=[nord_convention.pk, "fiches-actions"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:2] == ["Axe", "Action"] and "Public cible" in headers

    row = dict.fromkeys(headers, "")
    row |= {"Axe": nord_convention.axes.order_by("position").first().title, "Action": "Ouvrir une ludothèque"}
    sheet.append([row[header] for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview_then_apply(client, nord_convention, SimpleUploadedFile("fiches.xlsx", buffer.getvalue()))

    assert ActionSheet.objects.filter(axis__convention=nord_convention, title="Ouvrir une ludothèque").exists()


def test_an_axis_title_two_axes_share_is_refused_in_french(client, commune_user, nord_convention):
    first, second = nord_convention.axes.order_by("position")[:2]
    Axis.objects.filter(pk=second.pk).update(title=first.title)
    client.force_login(commune_user)

    response = client.post(url(nord_convention), {"file": csv_file(f"Axe;Action\n{first.title};Nouvelle action")})

    assert response.status_code == 422
    assert problems(response) == [
        f"Ligne 2, colonne « Axe » : plusieurs axes du plan s'intitulent « {first.title} » : "
        "renommez-en un dans le plan."
    ]
    assert not ActionSheet.objects.filter(title="Nouvelle action").exists()


def test_two_fiches_with_one_order_in_an_axis_are_refused_with_what_to_do(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first()
    first = axis.actions.order_by("position").first()
    client.force_login(commune_user)
    content = f"Axe;Action;Ordre\n{axis.title};Nouvelle action;{first.position}"

    response = client.post(url(nord_convention), {"file": csv_file(content)})

    assert response.status_code == 422
    assert problems(response) == [
        f"Ligne 2, colonne « Ordre » : L'ordre {first.position} est déjà celui de la fiche action "
        f"« {first.title} » de l'axe « {axis.title} » : donnez à chaque fiche action d'un axe un ordre différent."
    ]
    assert not ActionSheet.objects.filter(title="Nouvelle action").exists()
