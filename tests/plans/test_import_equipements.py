"""Import of équipements: only into a convention whose model has an équipements annex, each line's
« Type » read as people write it and checked against the types of that annex."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from conventions.models import AnnexKind, Collectivite, Equipment
from tests.plans.import_helpers import csv_file, preview_then_apply, problems, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


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


def test_a_model_without_an_equipments_annex_has_no_equipments_file_to_fill(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    response = client.get(reverse("import_blank_file", args=[nord_convention.pk, "equipements"]))

    assert response.status_code == 404


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


def test_a_collectivite_column_files_each_equipement_under_the_signatory_it_names(
    client, its_caf_staff, with_equipments
):
    """The national model's annexe 2 makes one table per signatory collectivité: the file says
    which, by the name as people write it or by the INSEE code."""
    client.force_login(its_caf_staff)
    upload = csv_file(
        "Type;Nom;Collectivité\nlaep;LAEP du Pin;bormes les mimosas\nmam;MAM des Dauphins;83070\nmam;MAM sans lieu;",
        "e.csv",
    )

    preview_then_apply(client, with_equipments, upload, kind="equipements")

    filed = dict(
        Equipment.objects.filter(
            convention=with_equipments, name__in=["LAEP du Pin", "MAM des Dauphins", "MAM sans lieu"]
        ).values_list("name", "collectivite__name")
    )
    assert filed == {"LAEP du Pin": "Bormes-les-Mimosas", "MAM des Dauphins": "Le Lavandou", "MAM sans lieu": None}


def test_a_collectivite_that_does_not_sign_is_refused_with_those_that_do(client, its_caf_staff, with_equipments):
    client.force_login(its_caf_staff)

    response = client.post(
        url(with_equipments, "equipements"),
        {"file": csv_file("Type;Nom;Collectivité\nlaep;LAEP du Nord;Armentières", "e.csv")},
    )

    assert response.status_code == 422
    assert problems(response) == [
        "Ligne 2, colonne « Collectivité » : « Armentières » ne signe pas cette convention. Écrivez le nom ou le "
        "code INSEE d'une collectivité signataire : « Communauté de communes Méditerranée Porte des Maures », "
        "« La Londe-les-Maures », « Bormes-les-Mimosas », « Le Lavandou » et « Collobrières »."
    ]
    assert not Equipment.objects.filter(name="LAEP du Nord").exists()


def test_an_empty_collectivite_cell_keeps_the_collectivite_the_equipement_has(client, its_caf_staff, with_equipments):
    bormes = with_equipments.collectivites().get(name="Bormes-les-Mimosas")
    Equipment.objects.create(
        convention=with_equipments, structure_type="laep", name="LAEP du Pin", collectivite=bormes
    )
    client.force_login(its_caf_staff)
    upload = csv_file("Type;Nom;Adresse;Collectivité\nlaep;LAEP du Pin;Place du Pin;", "e.csv")

    preview_then_apply(client, with_equipments, upload, kind="equipements")

    equipment = Equipment.objects.get(convention=with_equipments, name="LAEP du Pin")
    assert (equipment.address, equipment.collectivite) == ("Place du Pin", bormes)


def test_the_equipments_import_page_and_blank_file_offer_the_collectivite_column(
    client, its_caf_staff, with_equipments
):
    client.force_login(its_caf_staff)

    page = client.get(url(with_equipments, "equipements")).content.decode()
    blank = client.get(reverse("import_blank_file", args=[with_equipments.pk, "equipements"]))

    assert "La colonne « Collectivité » reprend le nom ou le code INSEE d'une collectivité signataire" in page
    assert "<li>Bormes-les-Mimosas (83019)</li>" in page
    headers = [cell.value for cell in next(openpyxl.load_workbook(io.BytesIO(blank.content)).active.rows)]
    assert "Collectivité" in headers


def test_a_collectivite_is_also_named_by_a_numeric_insee_code_or_its_siren(client, its_caf_staff, with_equipments):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Type", "Nom", "Collectivité"])
    workbook.active.append(["laep", "LAEP du Pin", 83019])  # a number cell, as a spreadsheet keeps a code
    workbook.active.append(["mam", "MAM intercommunale", "248300394"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(its_caf_staff)

    preview_then_apply(client, with_equipments, SimpleUploadedFile("e.xlsx", buffer.getvalue()), kind="equipements")

    filed = dict(
        Equipment.objects.filter(
            convention=with_equipments, name__in=["LAEP du Pin", "MAM intercommunale"]
        ).values_list("name", "collectivite__name")
    )
    assert filed == {
        "LAEP du Pin": "Bormes-les-Mimosas",
        "MAM intercommunale": "Communauté de communes Méditerranée Porte des Maures",
    }


def test_a_name_two_signatories_share_asks_for_the_insee_code(client, its_caf_staff, with_equipments):
    namesake = Collectivite.objects.create(kind="commune", name="Bormes-les-Mimosas", insee_code="99999")
    with_equipments.add_signatory(collectivite=namesake)
    client.force_login(its_caf_staff)

    response = client.post(
        url(with_equipments, "equipements"),
        {"file": csv_file("Type;Nom;Collectivité\nlaep;LAEP du Pin;Bormes-les-Mimosas", "e.csv")},
    )

    assert problems(response) == [
        "Ligne 2, colonne « Collectivité » : plusieurs collectivités signataires s'appellent « Bormes-les-Mimosas » "
        "(codes 83019 et 99999) : écrivez plutôt le code de celle que vous désignez."
    ]
    assert not Equipment.objects.filter(name="LAEP du Pin").exists()
