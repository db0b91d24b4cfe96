"""A draft begun by mistake is deleted by its Caf, after a page that says what goes with it; a
convention read by the collectivités, or signed, stays."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from conventions.lifecycle import change_status
from conventions.models import Convention, ConventionStatus
from tests.pdfs import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def delete_url(convention):
    return reverse("convention_delete", args=[convention.pk])


def test_the_page_asks_first_and_says_what_goes_with_the_draft(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    page = client.get(delete_url(nord_convention)).content.decode()

    assert "Supprimer le brouillon nord-armentieres-2023 ?" in page
    assert "fiche(s) action(s) sont supprimés" in page
    assert Convention.objects.filter(pk=nord_convention.pk).exists()


def test_a_draft_is_deleted_with_its_deliberation_files(
    client, caf_staff, nord_convention, tmp_path, django_capture_on_commit_callbacks
):
    deliberation = nord_convention.deliberations.first()
    deliberation.file.save("deliberation.pdf", ContentFile(pdf_bytes()), save=True)
    stored = tmp_path / deliberation.file.name
    assert stored.exists()
    client.force_login(caf_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(nord_convention), follow=True)

    assert not Convention.objects.filter(pk=nord_convention.pk).exists()
    assert "Le brouillon « nord-armentieres-2023 » a été supprimé." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert not stored.exists()


def test_a_convention_in_concertation_is_not_deleted_and_the_page_says_why(client, caf_staff, nord_convention):
    change_status(nord_convention, ConventionStatus.CONSULTATION, caf_staff)
    client.force_login(caf_staff)

    page = client.get(delete_url(nord_convention)).content.decode()
    response = client.post(delete_url(nord_convention))

    assert "Seul un brouillon se supprime : cette convention est « En concertation ». Revenez d" in page
    assert response.status_code == 409
    assert Convention.objects.filter(pk=nord_convention.pk).exists()


def test_a_signed_convention_is_never_deleted(client, caf_admin, nord_convention, nord_signature):
    client.force_login(caf_admin)

    response = client.post(delete_url(nord_convention))

    assert response.status_code == 403
    assert Convention.objects.filter(pk=nord_convention.pk).exists()


def test_the_summary_offers_the_deletion_of_a_draft_only(client, caf_staff, nord_convention):
    client.force_login(caf_staff)
    summary = reverse("convention_edit", args=[nord_convention.pk])

    draft_page = client.get(summary).content.decode()
    change_status(nord_convention, ConventionStatus.CONSULTATION, caf_staff)
    shared_page = client.get(summary).content.decode()

    assert "Supprimer ce brouillon" in draft_page
    assert "Supprimer ce brouillon" not in shared_page
