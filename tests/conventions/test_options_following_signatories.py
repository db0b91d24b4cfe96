"""The Isère model's « Les champs d'intervention du Département de l'Isère (si signataire) »: the
option that prints it follows the signatories; nobody ticks it against them."""

import pytest
from django.urls import reverse

from conventions.completeness import completeness_report
from conventions.models import CollectiviteKind, Role
from tests.conventions.factories import UserFactory
from tests.conventions.rendering_helpers import html_text

pytestmark = pytest.mark.django_db
DEPARTEMENT_PART = "Les champs d'intervention du Département de l'Isère"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def isere(demo):
    return demo["isere-demo"]


@pytest.fixture
def staff(client, isere):
    client.force_login(UserFactory(role=Role.CAF_STAFF, caf=isere.caf))
    return client


def preview(client, convention):
    return html_text(client.get(reverse("convention_preview", args=[convention.pk])).content.decode())


def without_its_departement(convention):
    departement = convention.signatories.get(collectivite__kind=CollectiviteKind.DEPARTEMENT)
    convention.deliberations.filter(collectivite=departement.collectivite).delete()
    departement.delete()
    return departement.collectivite


def test_the_departement_part_prints_while_the_departement_signs(staff, isere):
    assert DEPARTEMENT_PART in preview(staff, isere)


def test_the_departement_part_goes_with_the_departement_even_if_the_option_was_ticked(staff, isere):
    assert isere.options["departement"] is True  # ticked when the Département signed
    without_its_departement(isere)

    assert DEPARTEMENT_PART not in preview(staff, isere)
    field = staff.get(reverse("convention_edit", args=[isere.pk])).context["options_form"]["departement"]
    assert field.value() is False and field.field.disabled
    assert "Suit les signataires" in field.help_text


def test_a_departement_added_to_the_signatories_brings_its_part(staff, isere):
    departement = without_its_departement(isere)
    isere.options = {**isere.options, "departement": False}
    isere.save()

    isere.add_signatory(collectivite=departement)

    assert DEPARTEMENT_PART in preview(staff, isere)


def test_unticking_the_option_by_hand_changes_nothing(staff, isere):
    response = staff.post(reverse("convention_options", args=[isere.pk]), {"pole_emploi": "on"})

    assert response.status_code == 302
    isere.refresh_from_db()
    assert isere.options_in_force()["departement"] is True
    assert isere.options["pole_emploi"] is True
    assert DEPARTEMENT_PART in preview(staff, isere)


def test_a_missing_point_of_an_annex_names_it_by_its_printed_title(isere):
    annex = next(annex for annex in isere.annexes.order_by("position") if "{{ annee_debut }}" in annex.title)
    annex.text = f"{annex.text.rstrip()}\n\nMoyens mobilisés : XXX\n"
    annex.save()

    messages = [missing.message for missing in completeness_report(isere)]

    assert f"Annexe « {annex.display_title} » : texte à compléter (« XXX », « … ») restant." in messages
    assert str(isere.start_date.year) in annex.display_title
    assert not any("{{" in message for message in messages)
