"""Import of fiches actions and équipements from CSV or XLSX, previewed before it is applied."""

import datetime
import io
import os
import time
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from conventions.models import AnnexKind, Equipment, Role
from plans.models import ActionSheet, Axis
from tests.conventions.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def csv_file(text, name="fiches.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def fiches_csv(nord_convention, *rows):
    axis = nord_convention.axes.order_by("position").first().title
    lines = ["Axe;Action;Public cible;Indicateurs d'évaluation"]
    lines += [";".join([axis if cell == "AXE" else cell for cell in row]) for row in rows]
    return "\n".join(lines)


def url(convention, kind="fiches-actions"):
    return reverse("import_file", args=[convention.pk, kind])


def preview_then_apply(client, convention, upload, kind="fiches-actions"):
    preview = client.post(url(convention, kind), {"file": upload})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    return client.post(url(convention, kind), {"token": preview.context["token"]})


def test_a_good_file_is_previewed_then_applied(client, commune_user, nord_convention):
    client.force_login(commune_user)
    content = fiches_csv(
        nord_convention,
        ["AXE", "Créer un lieu d'accueil parents-enfants", "Parents de jeunes enfants", "Fréquentation"],
    )
    preview = client.post(url(nord_convention), {"file": csv_file(content)})
    assert preview.status_code == 200
    assert "1 ajout(s)" in preview.content.decode()
    assert not ActionSheet.objects.filter(title="Créer un lieu d'accueil parents-enfants").exists()  # nothing yet
    applied = client.post(url(nord_convention), {"token": preview.context["token"]})
    assert applied.status_code == 302
    action = ActionSheet.objects.get(title="Créer un lieu d'accueil parents-enfants")
    assert (action.target_public, action.axis.convention) == ("Parents de jeunes enfants", nord_convention)


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


@pytest.fixture
def with_equipments(demo):
    """A convention whose model has an équipements annex (the Nord model has none)."""
    return demo["national-2025-demo"]


@pytest.fixture
def its_caf_staff(with_equipments):
    return UserFactory(role=Role.CAF_STAFF, caf=with_equipments.caf)


def test_a_model_without_an_equipments_annex_takes_no_equipments_import(client, caf_staff, nord_convention):
    assert not nord_convention.annexes.filter(kind="equipments").exists()
    client.force_login(caf_staff)

    opened = client.get(url(nord_convention, "equipements"))
    sent = client.post(
        url(nord_convention, "equipements"), {"file": csv_file("Type,Nom\nmam,Les Petits Loups", "e.csv")}
    )

    assert (opened.status_code, sent.status_code) == (404, 404)
    assert not Equipment.objects.filter(convention=nord_convention).exists()


def test_the_plan_links_the_imports_its_annexes_show(
    client, caf_staff, its_caf_staff, nord_convention, with_equipments
):
    client.force_login(caf_staff)
    nord_plan = client.get(reverse("plan", args=[nord_convention.pk])).content.decode()
    client.force_login(its_caf_staff)
    national_plan = client.get(reverse("plan", args=[with_equipments.pk])).content.decode()

    assert url(nord_convention) in nord_plan
    assert url(nord_convention, "equipements") not in nord_plan
    assert url(with_equipments) in national_plan and url(with_equipments, "equipements") in national_plan


def test_equipments_import_from_xlsx(client, with_equipments, its_caf_staff):
    convention = with_equipments
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Type", "Nom", "Adresse", "Gestionnaire", "Capacité"])
    sheet.append(["Accueil de jeunes", "Espace jeunes des Maures", "Place de la Mairie", "Commune", ""])
    sheet.append(["laep", "LAEP itinérant", "", "CC", "2 demi-journées"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(its_caf_staff)
    upload = SimpleUploadedFile("equipements.xlsx", buffer.getvalue())
    response = preview_then_apply(client, convention, upload, kind="equipements")
    assert response.status_code == 302
    assert set(
        Equipment.objects.filter(
            convention=convention, name__in=["Espace jeunes des Maures", "LAEP itinérant"]
        ).values_list("structure_type", flat=True)
    ) == {"accueil_jeunes", "laep"}


def test_an_equipments_import_applied_leads_to_the_equipments_annex(client, with_equipments, its_caf_staff):
    annex = with_equipments.annexes.get(kind=AnnexKind.EQUIPMENTS)
    client.force_login(its_caf_staff)
    upload = csv_file("Type;Nom\nLAEP;LAEP des Maures", name="equipements.csv")

    response = preview_then_apply(client, with_equipments, upload, kind="equipements")

    assert response.url == reverse("annex_edit", args=[with_equipments.pk, annex.pk])
    assert "LAEP des Maures" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("written", "code"),
    [
        pytest.param("LAEP", "laep", id="the abbreviation of the label, in capitals"),
        # The 2025 model lists "EAJE PSU": an EAJE is read as its EAJE.
        pytest.param("EAJE", "eaje_psu", id="a type the model lists under another name"),
        pytest.param("mam", "mam", id="the abbreviation in lower case"),
        pytest.param("Micro-crèche  PAJE", "micro_creche_paje", id="the label, spaced and cased otherwise"),
        pytest.param("eaje_psu", "eaje_psu", id="the code"),
    ],
)
def test_a_structure_type_is_read_as_people_write_it(client, its_caf_staff, with_equipments, written, code):
    client.force_login(its_caf_staff)
    upload = csv_file(f"Type,Nom\n{written},Les Petits Loups", "e.csv")

    preview_then_apply(client, with_equipments, upload, kind="equipements")

    assert Equipment.objects.get(convention=with_equipments, name="Les Petits Loups").structure_type == code


def test_an_unknown_structure_type_is_refused(client, its_caf_staff, with_equipments):
    client.force_login(its_caf_staff)
    response = client.post(
        url(with_equipments, "equipements"), {"file": csv_file("Type,Nom\nPiscine,Grand bain", "e.csv")}
    )
    assert response.status_code == 422
    assert escape("Type de structure inconnu : « Piscine ». Écrivez un type de l'annexe équipements") in (
        response.content.decode()
    )


def test_an_empty_type_asks_for_one_and_nothing_else(client, its_caf_staff, with_equipments):
    client.force_login(its_caf_staff)

    response = client.post(url(with_equipments, "equipements"), {"file": csv_file("Type,Nom\n,Sans type", "e.csv")})

    assert response.context["report"].problems == ["Ligne 2, colonne « Type » : Indiquez le type de la structure."]


def test_an_unknown_type_is_answered_with_examples_the_model_takes(client, its_caf_staff, with_equipments):
    client.force_login(its_caf_staff)

    response = client.post(url(with_equipments, "equipements"), {"file": csv_file("Type,Nom\nPiscine,Bain", "e.csv")})

    [problem] = response.context["report"].problems
    labels = dict(with_equipments.template.structure_type_choices).values()
    named = problem.split("tel qu'il y figure (« ")[1].split(" »")[0]
    assert named in labels and "Ludothèque" not in problem  # the 2025 model has no ludothèque


def test_the_equipments_page_lists_the_types_of_the_model(client, its_caf_staff, with_equipments):
    client.force_login(its_caf_staff)

    page = client.get(url(with_equipments, "equipements")).content.decode()

    assert "La colonne « Type » reprend un type de l'annexe équipements de ce modèle" in page
    for _code, label in with_equipments.template.structure_type_choices:
        assert f"<li>{escape(label)}</li>" in page


def test_a_type_the_model_does_not_list_is_refused_with_the_models_types(client, its_caf_staff, with_equipments):
    client.force_login(its_caf_staff)

    response = client.post(
        url(with_equipments, "equipements"), {"file": csv_file("Type,Nom\nLudothèque,Ludo des Maures", "e.csv")}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert escape("« Ludothèque » n'est pas un type de l'annexe équipements de ce modèle.") in page
    assert escape("Types possibles : Établissement d'accueil du jeune enfant (PSU), Micro-crèche Paje") in page
    assert not Equipment.objects.filter(name="Ludo des Maures").exists()


@pytest.mark.parametrize("role", ["other_commune_user", "other_caf_staff"])
def test_import_requires_access_to_the_convention(client, request, nord_convention, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(nord_convention)).status_code == 404


def test_a_stale_token_applies_nothing(client, commune_user, nord_convention):
    client.force_login(commune_user)
    response = client.post(url(nord_convention), {"token": "0" * 32})
    assert response.status_code == 302
    assert response.url == url(nord_convention)


def test_a_preview_left_unapplied_is_deleted_once_its_session_has_ended(
    client, commune_user, nord_convention, settings
):
    client.force_login(commune_user)
    content = fiches_csv(
        nord_convention, ["AXE", "Créer un lieu d'accueil parents-enfants", "Parents", "Fréquentation"]
    )
    forgotten = client.post(url(nord_convention), {"file": csv_file(content)}).context["token"]
    previews = Path(settings.MEDIA_ROOT) / "imports"
    (forgotten_file,) = previews.iterdir()
    a_session_ago = time.time() - settings.SESSION_COOKIE_AGE - 60
    os.utime(forgotten_file, (a_session_ago, a_session_ago))

    recent = client.post(url(nord_convention), {"file": csv_file(content)}).context["token"]

    assert [path.name.split("-")[0] for path in previews.iterdir()] == [recent]
    too_late = client.post(url(nord_convention), {"token": forgotten}, follow=True)
    assert "Cet aperçu a expiré : déposez le fichier à nouveau." in too_late.content.decode().replace("&#x27;", "'")
    assert not ActionSheet.objects.filter(title="Créer un lieu d'accueil parents-enfants").exists()


def test_an_import_applied_twice_says_it_is_applied_and_adds_nothing_more(client, commune_user, nord_convention):
    client.force_login(commune_user)
    content = fiches_csv(
        nord_convention, ["AXE", "Créer un lieu d'accueil parents-enfants", "Parents", "Fréquentation"]
    )
    preview = client.post(url(nord_convention), {"file": csv_file(content)})
    client.post(url(nord_convention), {"token": preview.context["token"]})

    again = client.post(url(nord_convention), {"token": preview.context["token"]}, follow=True)

    page = again.content.decode().replace("&#x27;", "'")
    assert "Cet import est déjà appliqué" in page and "expiré" not in page
    assert ActionSheet.objects.filter(title="Créer un lieu d'accueil parents-enfants").count() == 1


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


def test_a_model_without_an_equipments_annex_has_no_equipments_file_to_fill(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    response = client.get(reverse("import_blank_file", args=[nord_convention.pk, "equipements"]))

    assert response.status_code == 404


def xlsx_file(*rows, name="fichier.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def problems(response):
    return response.context["report"].problems


def test_a_line_naming_two_records_at_once_is_refused_in_french(client, its_caf_staff, with_equipments):
    """Two équipements of one type with one name (nothing forbids it): a line with that type and name
    cannot say which it changes."""
    for address in ("Rue A", "Rue B"):
        Equipment.objects.create(convention=with_equipments, structure_type="laep", name="LAEP", address=address)
    client.force_login(its_caf_staff)

    response = client.post(
        url(with_equipments, "equipements"), {"file": csv_file("Type;Nom;Adresse\nlaep;LAEP;Rue C", "e.csv")}
    )

    assert response.status_code == 422
    assert problems(response) == [
        "Ligne 2 : plusieurs équipements de la convention ont les mêmes « Type » et « Nom » (laep / LAEP), "
        "impossible de savoir quel élément modifier. Rendez-les distincts dans la convention, puis déposez le "
        "fichier à nouveau."
    ]
    assert "get() returned more than one" not in response.content.decode()
    assert set(Equipment.objects.filter(name="LAEP").values_list("address", flat=True)) == {"Rue A", "Rue B"}


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


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def test_a_fiche_saved_between_the_preview_and_the_apply_is_not_overwritten(client, commune_user, nord_convention):
    action = nord_convention.axes.order_by("position").first().actions.order_by("position").first()
    client.force_login(commune_user)
    content = fiches_csv(nord_convention, ["AXE", action.title, "Public du fichier", "Indicateur du fichier"])
    preview = client.post(url(nord_convention), {"file": csv_file(content)})
    action.target_public = "Public saisi par un collègue pendant l'aperçu"
    action.version += 1
    action.save()

    applied = client.post(url(nord_convention), {"token": preview.context["token"]}, follow=True)

    action.refresh_from_db()
    assert action.target_public == "Public saisi par un collègue pendant l'aperçu"
    assert any("rien n'a été importé" in message for message in messages_of(applied))
    assert applied.redirect_chain[-1][0] == url(nord_convention)


def test_an_equipment_added_between_the_preview_and_the_apply_makes_the_preview_stale(
    client, with_equipments, its_caf_staff
):
    client.force_login(its_caf_staff)
    upload = csv_file("Type;Nom\nlaep;LAEP itinérant", name="equipements.csv")
    preview = client.post(url(with_equipments, "equipements"), {"file": upload})
    Equipment.objects.create(convention=with_equipments, structure_type="laep", name="LAEP des Maures", position=99)

    client.post(url(with_equipments, "equipements"), {"token": preview.context["token"]})

    assert not Equipment.objects.filter(convention=with_equipments, name="LAEP itinérant").exists()


def test_a_preview_of_an_unchanged_plan_still_applies(client, commune_user, nord_convention):
    action = nord_convention.axes.order_by("position").first().actions.order_by("position").first()
    client.force_login(commune_user)
    content = fiches_csv(nord_convention, ["AXE", action.title, "Public du fichier", "Indicateur du fichier"])

    preview_then_apply(client, nord_convention, csv_file(content))

    action.refresh_from_db()
    assert action.target_public == "Public du fichier"
