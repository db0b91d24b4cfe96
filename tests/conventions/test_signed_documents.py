"""The signed PDF a signature archives: what it prints, its seal, how « Vérifier » recognises it, who
downloads it, and the external original archived beside it."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from django.utils.html import escape

from conventions.lifecycle import change_status, sign
from conventions.models import Avenant, ConventionStatus, SignedDocument
from tests.conventions.rendering_helpers import pdf_pages, pdf_text
from tests.pdfs import pdf_bytes

pytestmark = pytest.mark.django_db

SCAN = pdf_bytes()  # a scan of the paper original, as far as the application can tell

S = ConventionStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SEAL_CERTIFICATES_DIR = tmp_path / "no-certificates"


def read(document):
    with document.file.open("rb") as file:
        return file.read()


def test_the_signed_pdf_has_no_draft_mark_carries_the_dates_and_its_sha256(signed):
    convention, document = signed
    content = read(document)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert not any("PROJET" in page for page in pdf_pages(content))
    assert "Signé le 18 janvier 2023" in pdf_text(content)
    assert convention.status == S.SIGNED


def test_the_signed_pdf_quotes_the_pages_before_its_annexes_as_the_nord_seed_does(signed):
    """Laid out in one pass (PDF/A-3b): « Cette convention comporte 9 pages paraphées par les
    parties et les 4 annexes énumérées dans le sommaire », its annexes starting on page 10."""
    _convention, document = signed
    pages = pdf_pages(read(document))
    first_annex = next(index for index, page in enumerate(pages) if "ANNEXE 1 –" in page)
    assert f"Cette convention comporte {first_annex} pages paraphées" in pdf_text(read(document))
    assert first_annex == 9


def test_verify_pdf_names_the_convention_of_an_archived_pdf_and_refuses_others(signed, tmp_path):
    convention, document = signed
    good = tmp_path / "bon.pdf"
    good.write_bytes(read(document))
    out = StringIO()
    call_command("verify_pdf", str(good), stdout=out)
    assert convention.reference in out.getvalue() and "18 janvier 2023" in out.getvalue()
    altered = tmp_path / "modifie.pdf"
    altered.write_bytes(good.read_bytes() + b"\n%")
    with pytest.raises(CommandError) as error:
        call_command("verify_pdf", str(altered), stdout=StringIO())
    assert error.value.returncode == 1


def test_the_verification_page(client, caf_staff, other_caf_staff, signed):
    convention, document = signed
    content = read(document)
    client.force_login(caf_staff)
    response = client.post(reverse("verify"), {"file": SimpleUploadedFile("x.pdf", content)})
    page = response.content.decode()
    assert f"Ce PDF est le PDF signé de la convention « {escape(convention.title)} » (référence <strong>" in page
    assert "<li>La commune d&#x27;Armentières : signé le 18 janvier 2023</li>" in page
    client.force_login(other_caf_staff)  # another Caf learns nothing about it
    response = client.post(reverse("verify"), {"file": SimpleUploadedFile("x.pdf", content)})
    assert convention.reference not in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"hello", "Ce fichier n&#x27;est pas un PDF", id="not a PDF"),
        pytest.param(b"%PDF-" + b"0" * (20 * 1024 * 1024), "Le fichier dépasse 20 Mo.", id="over 20 MB"),
    ],
)
def test_the_verification_page_says_why_it_cannot_check_a_file(client, caf_staff, content, message):
    client.force_login(caf_staff)

    page = client.post(reverse("verify"), {"file": SimpleUploadedFile("x.pdf", content)}).content.decode()

    assert message in page
    assert "ne correspond à aucun" not in page


def close_keeping_the_database(response):
    """Close a streamed file response the way the test client does: its closing signals the end of
    a request, which must not close the test's database connection."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_the_signed_pdf_downloads_for_readers_only(client, commune_user, other_commune_user, signed):
    convention, document = signed
    url = reverse("signed_document", args=[convention.pk, document.pk])
    client.force_login(commune_user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    close_keeping_the_database(response)
    client.force_login(other_commune_user)
    assert client.get(url).status_code == 404


def test_a_signed_convention_downloads_as_it_was_archived_byte_for_byte(client, caf_staff, signed):
    convention, document = signed
    client.force_login(caf_staff)
    url = reverse("convention_pdf", args=[convention.pk])

    response = client.get(url)

    content = b"".join(response.streaming_content)
    close_keeping_the_database(response)
    assert hashlib.sha256(content).hexdigest() == document.sha256  # the copy "Vérifier" recognises
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_a_signed_convention_offers_its_signed_pdf_as_its_pdf(client, caf_staff, signed):
    convention, document = signed
    client.force_login(caf_staff)

    page = client.get(reverse("convention_edit", args=[convention.pk])).content.decode()

    pdf_url = reverse("convention_pdf", args=[convention.pk])
    assert f'<a class="nav-link" href="{pdf_url}">Télécharger le PDF signé</a>' in page
    assert '">PDF signé</a>' not in page  # no second link to the same copy


def test_after_a_signed_avenant_the_pdf_is_the_consolidated_text_beside_the_signed_copy(client, caf_staff, signed):
    convention, document = signed
    Avenant.objects.create(convention=convention, number=1, status="signed", signature_date=datetime.date(2024, 3, 1))
    client.force_login(caf_staff)

    page = client.get(reverse("convention_edit", args=[convention.pk])).content.decode()
    response = client.get(reverse("convention_pdf", args=[convention.pk]))

    signed_url = reverse("signed_document", args=[convention.pk, document.pk])
    assert f'<a class="nav-link" href="{signed_url}">PDF signé</a>' in page
    assert "PDF consolidé" in page
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() != document.sha256  # rendered, with the avenant


def test_an_unsigned_convention_offers_no_signed_copy(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    page = client.get(reverse("convention_edit", args=[nord_convention.pk])).content.decode()

    assert '">PDF signé</a>' not in page


def test_the_signed_pdf_is_sealed_with_the_cafs_certificate_and_the_seal_validates(
    settings, tmp_path, nord_convention, caf_admin
):
    from conventions.models import DocumentKind
    from conventions.seal import certificate_path, create_development_certificate, seal_status

    settings.SEAL_CERTIFICATES_DIR = tmp_path / "seal"
    create_development_certificate(
        nord_convention.caf, certificate_path(nord_convention.caf), settings.SEAL_PASSPHRASE
    )
    change_status(nord_convention, S.VALIDATED, caf_admin)
    sign(nord_convention, {s: datetime.date(2023, 1, 18) for s in nord_convention.signatories.all()}, caf_admin)
    sealed = SignedDocument.objects.get(convention=nord_convention, kind=DocumentKind.SEALED_PDF)
    assert nord_convention.signed_copy() == sealed  # what the convention's page offers
    content = read(sealed)
    assert seal_status(content, nord_convention.caf)
    tampered = content.replace(b"Armenti", b"Armentx", 1)
    assert not seal_status(tampered, nord_convention.caf)


def test_a_certificate_that_does_not_open_stops_the_signature_and_leaves_no_file(
    client, settings, tmp_path, nord_convention, caf_admin
):
    from conventions.seal import certificate_path, create_development_certificate

    settings.SEAL_CERTIFICATES_DIR = tmp_path / "seal"
    caf = nord_convention.caf
    create_development_certificate(caf, certificate_path(caf), "not the configured passphrase")
    change_status(nord_convention, S.VALIDATED, caf_admin)
    client.force_login(caf_admin)
    dates = {f"signatory_{signatory.pk}": "2023-02-01" for signatory in nord_convention.signatories.all()}
    signed_on_before = list(nord_convention.signatories.values_list("signed_on", flat=True))

    response = client.post(reverse("convention_sign", args=[nord_convention.pk]), dates)

    assert response.status_code == 200
    assert "La signature n&#x27;est pas enregistrée : le PDF signé n&#x27;a pas pu être scellé" in (
        response.content.decode()
    )
    nord_convention.refresh_from_db()
    assert nord_convention.status == S.VALIDATED
    assert list(nord_convention.signatories.values_list("signed_on", flat=True)) == signed_on_before
    assert not SignedDocument.objects.filter(convention=nord_convention).exists()
    assert [path.name for path in tmp_path.rglob("*.pdf")] == []


def test_without_a_certificate_the_signature_archives_the_unsealed_pdf_only(settings, tmp_path, signed):
    convention, _document = signed
    assert list(convention.signed_documents.values_list("kind", flat=True)) == ["signed_pdf"]


def test_the_external_original_is_archived_beside_the_signed_pdf(client, caf_admin, signed):
    convention, _document = signed
    client.force_login(caf_admin)
    scan = SimpleUploadedFile("scan.pdf", SCAN, content_type="application/pdf")
    client.post(reverse("external_original", args=[convention.pk]), {"file": scan})
    original = convention.signed_documents.get(kind="external_original")
    assert original.sha256 == hashlib.sha256(SCAN).hexdigest()
    not_a_pdf = SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    client.post(reverse("external_original", args=[convention.pk]), {"file": not_a_pdf})
    assert convention.signed_documents.filter(kind="external_original").count() == 1


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        pytest.param(pdf_bytes(password="x"), "chiffré ou protégé par mot de passe", id="encrypted"),
        pytest.param(b"%PDF-1.4 cut short", "illisible ou endommagé", id="unreadable"),
    ],
)
def test_an_original_nobody_could_open_is_not_archived(client, caf_admin, signed, content, refusal):
    convention, _document = signed
    client.force_login(caf_admin)
    scan = SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")

    response = client.post(reverse("external_original", args=[convention.pk]), {"file": scan}, follow=True)

    assert not convention.signed_documents.filter(kind="external_original").exists()
    assert refusal in response.content.decode()


def test_the_same_original_sent_twice_is_archived_once(client, caf_admin, signed):
    convention, _document = signed
    client.force_login(caf_admin)
    url = reverse("external_original", args=[convention.pk])
    client.post(url, {"file": SimpleUploadedFile("scan.pdf", SCAN, content_type="application/pdf")})

    again = client.post(
        url, {"file": SimpleUploadedFile("scan.pdf", SCAN, content_type="application/pdf")}, follow=True
    )

    assert convention.signed_documents.filter(kind="external_original").count() == 1
    assert "Ce PDF est déjà archivé pour cette convention" in again.content.decode()


def test_only_an_administrator_attaches_the_original(client, caf_staff, signed):
    convention, _document = signed
    client.force_login(caf_staff)
    scan = SimpleUploadedFile("scan.pdf", SCAN, content_type="application/pdf")
    assert client.post(reverse("external_original", args=[convention.pk]), {"file": scan}).status_code == 403


def test_the_page_of_a_signed_convention_announces_no_pdf_to_prepare(client, caf_staff, signed):
    convention, _document = signed
    client.force_login(caf_staff)
    state_url = reverse("convention_pdf_state", args=[convention.pk])

    page = client.get(reverse("convention_edit", args=[convention.pk])).content.decode()

    assert "Télécharger le PDF signé" in page
    assert state_url not in page


def test_the_page_of_a_draft_says_whether_its_pdf_is_ready(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    page = client.get(reverse("convention_edit", args=[nord_convention.pk])).content.decode()

    assert reverse("convention_pdf_state", args=[nord_convention.pk]) in page


def test_the_archive_trail_keeps_the_name_the_archivist_had_then(client, caf_admin, signed):
    convention, document = signed
    name_then = caf_admin.get_full_name() or caf_admin.username
    caf_admin.first_name, caf_admin.last_name = "Nouveau", "Nom"
    caf_admin.save()
    client.force_login(caf_admin)

    page = client.get(reverse("convention_edit", args=[convention.pk])).content.decode()

    assert document.created_by == caf_admin
    assert f"par {name_then}" in page
    assert "par Nouveau Nom" not in page
