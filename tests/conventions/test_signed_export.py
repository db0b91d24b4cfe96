"""Bulk export of a Caf's signed conventions as a ZIP with a manifest."""

import csv
import datetime
import hashlib
import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from conventions.avenants import open_change, sign_avenant, validate_avenant
from conventions.lifecycle import change_status, sign
from conventions.models import Avenant, ConventionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sign_demo(convention, admin, when):
    change_status(convention, ConventionStatus.VALIDATED, admin)
    return sign(convention, dict.fromkeys(convention.signatories.all(), when), admin)


@pytest.fixture
def signed_nord(nord_signature):
    return nord_signature


def read_zip(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    manifest = list(csv.reader(io.StringIO(archive.read("manifeste.csv").decode("utf-8-sig")), delimiter=";"))
    return archive, manifest


def test_the_zip_holds_all_and_only_the_cafs_signed_conventions(client, caf_admin, signed_nord, demo, superuser):
    # Another Caf's signed convention must not be in the Nord export.
    sign_demo(demo["var-le-pradet-2022"], superuser, datetime.date(2022, 1, 15))
    client.force_login(caf_admin)
    response = client.get(reverse("signed_export"), {"telecharger": "1"})
    assert int(response["X-Expected-Bytes"]) == signed_nord.file.size  # what the progress bar measures against
    archive, manifest = read_zip(b"".join(response.streaming_content))
    names = [name for name in archive.namelist() if name != "manifeste.csv"]
    assert names == ["nord-armentieres-2023/nord-armentieres-2023-signee.pdf"]
    header, row = manifest
    record = dict(zip(header, row, strict=True))
    assert record["Référence"] == "nord-armentieres-2023"
    assert record["Date de signature"] == "18/01/2023"  # a date a spreadsheet sorts
    assert record["Signataires"].startswith("la Caisse d'allocations familiales du Nord ; la commune d'Armentières")
    archived_on = timezone.localtime(signed_nord.created_at)
    assert archive.getinfo(names[0]).date_time[:3] == (archived_on.year, archived_on.month, archived_on.day)
    assert record["SHA-256"] == signed_nord.sha256 == hashlib.sha256(archive.read(names[0])).hexdigest()


def test_a_signed_avenant_is_listed_with_its_own_number_and_signature_date(
    client, caf_admin, nord_convention, signed_nord
):
    avenant = Avenant.objects.create_for(nord_convention, caf_admin)
    article = nord_convention.articles.filter(editable=True).first()
    change = open_change(avenant, article)
    change.new_text = f"{article.text}\n\nUne phrase de l'avenant."
    change.save()
    validate_avenant(avenant, caf_admin)
    sign_avenant(avenant, datetime.date(2025, 3, 1), caf_admin)
    client.force_login(caf_admin)

    _archive, (header, *rows) = read_zip(
        b"".join(client.get(reverse("signed_export"), {"telecharger": "1"}).streaming_content)
    )

    listed = {
        record["Nature"]: record["Date de signature"]
        for record in (dict(zip(header, row, strict=True)) for row in rows)
    }
    assert listed == {"PDF signé (rendu à la signature)": "18/01/2023", "Avenant n°1 signé": "01/03/2025"}
    assert (
        "Avenant n°1 signé</a>" in client.get(reverse("convention_edit", args=[nord_convention.pk])).content.decode()
    )


def test_the_year_filter_leaves_out_other_years(client, caf_admin, signed_nord):
    client.force_login(caf_admin)

    kept = client.get(reverse("signed_export"), {"telecharger": "1", "annee": "2023"})
    left_out = client.get(reverse("signed_export"), {"telecharger": "1", "annee": "2024"})

    archive, _manifest = read_zip(b"".join(kept.streaming_content))
    assert len(archive.namelist()) == 2  # the Nord's signed PDF and the manifest
    assert left_out["Content-Type"].startswith("text/html")  # no ZIP holding a manifest alone
    assert "Aucune convention signée ne répond à ces critères" in left_out.content.decode()


def test_the_platform_operator_exports_every_cafs_signed_conventions(client, caf_admin, signed_nord, demo, superuser):
    sign_demo(demo["var-le-pradet-2022"], superuser, datetime.date(2022, 1, 15))
    client.force_login(superuser)

    page = client.get(reverse("signed_export")).content.decode()
    response = client.get(reverse("signed_export"), {"telecharger": "1"})

    assert "toutes les Caf" in page
    assert "2 conventions : l'archive ZIP contient leurs PDF signés" in page
    assert response["Content-Disposition"] == 'attachment; filename="conventions-signees-toutes-caf.zip"'
    _archive, manifest = read_zip(b"".join(response.streaming_content))
    assert [row[0] for row in manifest[1:]] == ["nord-armentieres-2023", "var-le-pradet-2022"]


@pytest.mark.parametrize("role", ["caf_staff", "commune_user"])
def test_only_a_caf_administrator_exports(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("signed_export")).status_code == 403


def test_the_command_writes_the_same_zip(tmp_path, signed_nord):
    target = tmp_path / "export.zip"
    out = StringIO()
    call_command("export_signed", "--caf", "59", "-o", str(target), stdout=out)
    archive, manifest = read_zip(target.read_bytes())
    assert len(manifest) == 2 and "1 convention(s)" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("export_signed", "--caf", "999", "-o", str(target), stdout=StringIO())


def test_a_filter_that_finds_nothing_says_so(client, caf_admin, signed_nord):
    client.force_login(caf_admin)

    page = client.get(reverse("signed_export"), {"annee": "2024"}).content.decode()

    assert "Aucune convention signée ne répond à ces critères" in page
    assert "Télécharger le ZIP" not in page


@pytest.mark.parametrize(
    "year",
    [
        pytest.param("20255", id="five digits"),
        pytest.param("²", id="a superscript digit"),
        pytest.param("9" * 5000, id="too many digits to be a number"),
        pytest.param("1999", id="before the first convention"),
    ],
)
def test_an_invalid_year_is_said_on_its_field_and_filters_nothing(client, caf_admin, signed_nord, year):
    client.force_login(caf_admin)

    response = client.get(reverse("signed_export"), {"annee": year})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Année invalide : indiquez une année entre 2000 et 2100." in page
    assert "nord-armentieres-2023" in page


def test_an_invalid_year_downloads_nothing(client, caf_admin, signed_nord):
    client.force_login(caf_admin)

    response = client.get(reverse("signed_export"), {"annee": "20255", "telecharger": "1"})

    assert not response.streaming
    assert "Année invalide" in response.content.decode()


def test_each_archived_document_says_when_and_by_whom(client, caf_admin, signed_nord):
    client.force_login(caf_admin)

    page = client.get(reverse("convention_edit", args=[signed_nord.convention.pk])).content.decode()

    archived_at = timezone.localtime(signed_nord.created_at).strftime("%d/%m/%Y à %H:%M")
    assert f"archivé le {archived_at} par {caf_admin.username}" in page


def test_the_page_speaks_of_one_convention_in_the_singular(client, caf_admin, signed_nord):
    client.force_login(caf_admin)

    page = client.get(reverse("signed_export")).content.decode()

    assert "1 convention : l'archive ZIP contient ses PDF signés" in page
