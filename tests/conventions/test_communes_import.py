"""Import of communes with the columns of INSEE's geographic code, in the admin."""

import re
from html import unescape

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conventions.models import Collectivite
from conventions.resources import CommuneResource
from tests.conventions.factories import CollectiviteFactory

pytestmark = pytest.mark.django_db

HEADERS = ("COM", "LIBELLE", "PMUN", "EPCI")


@pytest.fixture
def epci():
    return CollectiviteFactory(epci=True, name="Communauté de communes de l'Exemple", siren="200011111")


def import_rows(rows, dry_run=False):
    dataset = tablib.Dataset(*rows, headers=HEADERS)
    return CommuneResource().import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )


def test_a_good_file_creates_and_updates_communes(epci):
    existing = CollectiviteFactory(insee_code="80021", name="Amiens (ancien nom)", population=1)
    result = import_rows([("80021", "Amiens", "133625", ""), ("80001", "Abbeville", "22870", "200011111")])
    assert not result.has_errors() and not result.has_validation_errors()
    existing.refresh_from_db()
    assert (existing.name, existing.population) == ("Amiens", 133625)
    abbeville = Collectivite.objects.get(insee_code="80001")
    assert (abbeville.kind, abbeville.epci) == ("commune", epci)


def test_the_same_file_twice_changes_nothing(epci):
    rows = [("80001", "Abbeville", "22870", "200011111")]
    import_rows(rows)
    result = import_rows(rows)
    assert result.totals["skip"] == 1
    assert Collectivite.objects.filter(insee_code="80001").count() == 1


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (("8001", "Trop court", "100", ""), "code INSEE"),
        (("80002", "Négative", "-5", ""), "négative"),
        (("80003", "Sans EPCI", "100", "999999999"), "EPCI inconnu"),
        (("80004", "Trop peuplée", "99999999999999999999", ""), "Plus d'habitants que la France n'en compte"),
    ],
    ids=["malformed INSEE code", "negative population", "unknown EPCI", "a population beyond any commune's"],
)
def test_a_bad_row_is_reported_with_its_number_and_nothing_is_imported(epci, bad_row, reason):
    before = Collectivite.objects.count()
    result = import_rows([("80001", "Abbeville", "22870", "200011111"), bad_row])
    assert result.has_errors() or result.has_validation_errors()
    reported = [(row.number, str(row.error_dict)) for row in result.invalid_rows] + [
        (number, " ".join(str(error.error) for error in errors)) for number, errors in result.row_errors()
    ]
    assert [number for number, _ in reported] == [2]
    assert reason in reported[0][1]
    assert Collectivite.objects.count() == before
    assert not Collectivite.objects.filter(insee_code="80001").exists()


def test_the_admin_import_refuses_a_file_with_a_bad_row_and_names_it(client, superuser, epci):
    client.force_login(superuser)
    content = "COM,LIBELLE,PMUN,EPCI\n80001,Abbeville,22870,200011111\n8001,Trop court,100,\n"
    upload = tablib.Dataset().load(content, format="csv")
    response = client.post(
        reverse("admin:conventions_collectivite_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("communes.csv", upload.export("csv").encode(), "text/csv"),
        },
    )
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(response.content.decode())))
    assert response.status_code == 200
    assert "Certaines lignes ont échoué à la validation" in page
    assert re.search(r"\b2 1 insee_code Le code INSEE d'une commune compte cinq caractères", page)
    assert not Collectivite.objects.filter(insee_code="80001").exists()
