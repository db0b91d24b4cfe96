"""The annex tables as each reader finds them on the annex's page: the délibérations listed with
French dates, the diagnostic figures as the convention prints them or as the Caf entered them."""

import pytest
from django.urls import reverse

from conventions.models import AnnexKind, Role
from tests.conventions.factories import UserFactory
from tests.conventions.rendering_helpers import html_text, normalise


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_deliberations_annex_shows_its_table(client, caf_staff, nord_convention):
    annex = nord_convention.annexes.get(kind="deliberations")
    client.force_login(caf_staff)

    response = client.get(reverse("annex_edit", args=[nord_convention.pk, annex.pk]))

    assert response.status_code == 200
    assert [row.number for row in response.context["tables"][0]["rows"]] == list(
        nord_convention.deliberations.values_list("number", flat=True)
    )
    page = html_text(response.content.decode())
    assert "Identifiant ACTES" in page and "Fichier PDF" in page  # as the field names write them


def annex_page(client, user, convention, kind):
    annex = convention.annexes.get(kind=kind)
    client.force_login(user)
    return html_text(client.get(reverse("annex_edit", args=[convention.pk, annex.pk])).content.decode())


def test_a_commune_sees_the_diagnostic_figures_as_the_convention_prints_them(client, national_convention):
    secret = national_convention.diagnostic_figures.get(zone="Collobrières", value=3)
    assert secret.is_secret
    collectivite = national_convention.signatories.filter(collectivite__isnull=False).first().collectivite
    commune = UserFactory(role=Role.COMMUNE, collectivite=collectivite)

    page = annex_page(client, commune, national_convention, AnnexKind.DIAGNOSTIC)

    row = page[page.index(normalise(secret.label)) :][:120]
    assert "Collobrières 370 secret statistique" in row


def test_the_caf_sees_the_figures_it_entered_in_french(client, national_convention):
    secret = national_convention.diagnostic_figures.get(zone="Collobrières", value=3)
    staff = UserFactory(role=Role.CAF_STAFF, caf=national_convention.caf)

    page = annex_page(client, staff, national_convention, AnnexKind.DIAGNOSTIC)

    row = page[page.index(normalise(secret.label)) :][:120]
    assert "Collobrières 370 3 " in row


def test_deliberation_dates_read_in_french_in_their_table(client, caf_staff, nord_convention):
    deliberation = nord_convention.deliberations.first()

    page = annex_page(client, caf_staff, nord_convention, AnnexKind.DELIBERATIONS)

    assert f"{deliberation.date:%d/%m/%Y}" in page
    assert deliberation.date.isoformat() not in page
