"""What an avenant prints and archives: its PDF listing its changes, its signed copy (PDF/A, sealed by
the Caf, recognised by « Vérifier »), and the consolidated text in force it leaves."""

import datetime
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from conventions.avenants import open_change, preview_avenant, render_avenant, sign_avenant, validate_avenant
from conventions.lifecycle import change_status
from conventions.models import Avenant, ConventionStatus, DocumentKind, SignedDocument
from conventions.rendering.output import render_convention
from tests.conventions.avenant_helpers import NEW_SENTENCE, amend, read
from tests.conventions.rendering_helpers import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def validated_avenant(convention, user):
    """An avenant adding NEW_SENTENCE to the convention's first numbered article, validated."""
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, user, article)
    validate_avenant(avenant, user)
    return avenant


def test_the_avenant_renders_as_an_avenant_listing_its_changes(signed, caf_admin):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, caf_admin, article)
    text = pdf_text(render_avenant(avenant))
    assert "AVENANT N°1" in text
    number = list(convention.articles.filter(numbered=True).order_by("position")).index(article) + 1
    assert f"L'article {number} « {article.title} » est remplacé par les dispositions suivantes" in text
    assert NEW_SENTENCE in text
    assert all("PROJET" in page for page in pdf_pages(render_avenant(avenant)))


def test_the_text_in_force_says_it_is_consolidated_since_its_signatures_keep_their_first_dates(signed, caf_admin):
    convention, _original = signed
    avenant = validated_avenant(convention, caf_admin)
    before_the_avenant = pdf_text(render_convention(convention, use_cache=False).pdf)

    sign_avenant(avenant, datetime.date(2025, 3, 1), caf_admin)

    text = pdf_text(render_convention(convention, use_cache=False).pdf)
    consolidated = "Version consolidée de la convention signée le 18 janvier 2023, intégrant l'avenant n°1"
    assert f"{consolidated} signé le 1er mars 2025." in text
    assert "Signé le 18 janvier 2023" in text  # the signature blocks are the convention's own
    assert "Version consolidée" not in before_the_avenant


def test_a_terminated_convention_amended_by_an_avenant_prints_without_the_draft_mark(signed, caf_admin):
    convention, _original = signed
    avenant = validated_avenant(convention, caf_admin)
    sign_avenant(avenant, datetime.date(2025, 3, 1), caf_admin)
    change_status(convention, ConventionStatus.TERMINATED, caf_admin)

    pages = pdf_pages(render_convention(convention, use_cache=False).pdf)

    assert NEW_SENTENCE in " ".join(pages)
    assert not any("PROJET" in page for page in pages)


def test_the_avenant_authorises_its_representatives_to_sign_the_avenant(signed, caf_admin):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()

    text = pdf_text(render_avenant(amend(convention, caf_admin, article)))

    assert "à signer le présent avenant" in text
    assert "à signer la présente convention" not in text


def test_the_archived_signed_avenant_is_pdf_a_3b_tagged_with_its_title(signed, caf_admin):
    convention, _original = signed
    avenant = validated_avenant(convention, caf_admin)

    archived = PdfReader(BytesIO(read(sign_avenant(avenant, datetime.date(2025, 3, 1), caf_admin))))

    assert (archived.xmp_metadata.pdfaid_part, archived.xmp_metadata.pdfaid_conformance) == ("3", "B")
    assert archived.metadata.title == avenant.title
    assert archived.metadata.author == convention.caf.name
    assert "/StructTreeRoot" in archived.trailer["/Root"]


def test_a_signed_avenant_is_sealed_by_the_caf_and_downloads_sealed(client, signed, caf_admin, settings):
    from conventions.seal import certificate_path, create_development_certificate, seal_status

    convention, _original = signed
    create_development_certificate(convention.caf, certificate_path(convention.caf), settings.SEAL_PASSPHRASE)
    avenant = validated_avenant(convention, caf_admin)

    sign_avenant(avenant, datetime.date(2025, 3, 1), caf_admin)

    sealed = SignedDocument.objects.get(avenant=avenant, kind=DocumentKind.SEALED_AVENANT_PDF)
    assert seal_status(read(sealed), convention.caf)
    assert sealed.nature == "Avenant n°1 signé et scellé par la Caf"
    client.force_login(caf_admin)
    download = client.get(reverse("avenant_pdf", args=[convention.pk, avenant.number]))
    assert b"".join(download.streaming_content) == read(sealed)


def test_without_a_certificate_the_signed_avenant_downloads_as_archived(client, signed, caf_admin):
    convention, _original = signed
    avenant = validated_avenant(convention, caf_admin)
    archived = sign_avenant(avenant, datetime.date(2025, 3, 1), caf_admin)
    client.force_login(caf_admin)

    download = client.get(reverse("avenant_pdf", args=[convention.pk, avenant.number]))

    assert b"".join(download.streaming_content) == read(archived)
    assert not SignedDocument.objects.filter(avenant=avenant, kind=DocumentKind.SEALED_AVENANT_PDF).exists()


def test_a_signed_avenant_is_verified_as_that_avenant_signed_that_day(client, signed, caf_admin, tmp_path):
    convention, _original = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, caf_admin, article)
    validate_avenant(avenant, caf_admin)
    content = read(sign_avenant(avenant, datetime.date(2025, 3, 1), caf_admin))
    client.force_login(caf_admin)

    page = client.post(reverse("verify"), {"file": SimpleUploadedFile("x.pdf", content)}).content.decode()
    path = tmp_path / "avenant.pdf"
    path.write_bytes(content)
    out = StringIO()
    call_command("verify_pdf", str(path), stdout=out)

    sentence = f"l&#x27;avenant n°1, signé le 1er mars 2025, de la convention « {escape(convention.title)} »"
    assert f"Ce PDF est {sentence} (référence <strong>{convention.reference}</strong>)" in page
    assert f"avenant.pdf est l'avenant n°1, signé le 1er mars 2025, de {convention.reference}" in out.getvalue()


def test_an_annex_rewritten_with_its_table_line_prints_no_marker(signed, caf_admin):
    convention, _document = signed
    annex = convention.annexes.order_by("position").first()
    avenant = Avenant.objects.create_for(convention, caf_admin)
    change = open_change(avenant, annex)
    change.new_text = "Les instances.\n\n::: tableau\n\nLe comité se réunit deux fois par an."
    change.save()

    html = preview_avenant(avenant)

    assert ":::" not in html
    assert (
        html.index("Les instances.") < html.index("[Tableau de l'annexe inchangé.]") < html.index("deux fois par an")
    )


def test_an_annex_rewritten_without_its_table_line_says_its_table_follows_unchanged(signed, caf_admin):
    """The text in force prints the table after the text: the signed avenant says the same."""
    convention, _document = signed
    annex = next(annex for annex in convention.annexes.order_by("position") if annex.has_a_table)
    avenant = Avenant.objects.create_for(convention, caf_admin)
    change = open_change(avenant, annex)
    change.new_text = "Les instances se réunissent deux fois par an."
    change.save()

    html = preview_avenant(avenant)

    assert html.index("deux fois par an") < html.index("[Tableau de l'annexe inchangé.]")
