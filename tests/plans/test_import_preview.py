"""An import is previewed, then applied from its preview: by its own session only, once, and only to
the rows the preview was made from."""

import os
import time
from pathlib import Path

import pytest

from conventions.models import Equipment
from plans.models import ActionSheet
from tests.plans.import_helpers import csv_file, fiches_csv, preview_then_apply, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


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
