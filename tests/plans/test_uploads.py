"""An uploaded CSV is read in the encodings French spreadsheets save it in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.models import ActionSheet
from tests.plans.import_helpers import preview_then_apply, url

pytestmark = pytest.mark.django_db

TITLE = "Créer un lieu d'accueil à Armentières"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    "encoding",
    [
        pytest.param("utf-8", id="UTF-8"),
        pytest.param("utf-8-sig", id="UTF-8 with a BOM (« CSV UTF-8 » of Excel)"),
        pytest.param("cp1252", id="Windows-1252 (« CSV (séparateur : point-virgule) » of a French Excel)"),
    ],
)
def test_a_csv_of_a_french_spreadsheet_imports_with_its_accents(client, commune_user, nord_convention, encoding):
    axis = nord_convention.axes.order_by("position").first().title
    content = f"Axe;Action;Public cible\n{axis};{TITLE};Familles éloignées\n".encode(encoding)
    client.force_login(commune_user)

    response = preview_then_apply(client, nord_convention, SimpleUploadedFile("fiches.csv", content))

    assert response.status_code == 302
    assert ActionSheet.objects.get(title=TITLE).target_public == "Familles éloignées"


def test_a_csv_neither_utf8_nor_windows_1252_is_refused_in_french(client, commune_user, nord_convention):
    client.force_login(commune_user)
    before = ActionSheet.objects.count()
    content = b"Axe;Action\nAxe;Action\x81\x8d"

    response = client.post(url(nord_convention), {"file": SimpleUploadedFile("fiches.csv", content)})

    assert response.status_code == 422
    assert "Fichier CSV illisible : enregistrez-le en « CSV UTF-8 »" in response.content.decode()
    assert ActionSheet.objects.count() == before
