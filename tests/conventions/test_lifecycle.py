"""From draft to signed: who moves a convention, what each step requires, and what signing freezes."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from conventions.lifecycle import available_transitions, change_status, sign
from conventions.models import Avenant, Convention, ConventionFrozen, ConventionStatus, SignedDocument, StatusChange
from plans.models import ActionSheet, FollowUp
from tests.conventions.rendering_helpers import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db
S = ConventionStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SEAL_CERTIFICATES_DIR = tmp_path / "no-certificates"


@pytest.fixture
def signed(nord_convention, nord_signature):
    return nord_convention, nord_signature


def test_staff_moves_a_draft_to_consultation_and_it_is_recorded(nord_convention, caf_staff):
    assert (S.CONSULTATION, "Mettre en concertation", "") in available_transitions(nord_convention, caf_staff)
    change_status(nord_convention, S.CONSULTATION, caf_staff)
    change = StatusChange.objects.get(convention=nord_convention)
    assert (change.from_status, change.to_status, change.by) == (S.DRAFT, S.CONSULTATION, caf_staff)


def test_a_commune_user_cannot_move_a_convention(nord_convention, commune_user):
    assert available_transitions(nord_convention, commune_user) == []
    with pytest.raises(PermissionDenied):
        change_status(nord_convention, S.CONSULTATION, commune_user)


def test_validation_requires_an_empty_completeness_report(nord_convention, caf_staff):
    article = nord_convention.articles.filter(editable=True).first()
    article.text += "\n\n{{ historique_partenariat }}"
    article.save()
    with pytest.raises(ValidationError) as error:
        change_status(nord_convention, S.VALIDATED, caf_staff)
    assert "historique_partenariat" in " ".join(error.value.messages)
    nord_convention.refresh_from_db()
    assert nord_convention.status == S.DRAFT


def test_signature_requires_a_deliberation_for_every_collectivite(nord_convention, caf_admin):
    change_status(nord_convention, S.VALIDATED, caf_admin)
    nord_convention.deliberations.all().delete()
    with pytest.raises(ValidationError) as error:
        sign(nord_convention, {s: datetime.date(2023, 1, 18) for s in nord_convention.signatories.all()}, caf_admin)
    assert "délibération" in " ".join(error.value.messages)


def test_staff_cannot_sign(nord_convention, caf_staff):
    change_status(nord_convention, S.VALIDATED, caf_staff)
    with pytest.raises(PermissionDenied):
        sign(nord_convention, {s: datetime.date(2023, 1, 18) for s in nord_convention.signatories.all()}, caf_staff)


def test_a_second_signature_from_a_page_opened_before_the_first_records_nothing(nord_convention, caf_admin):
    change_status(nord_convention, S.VALIDATED, caf_admin)
    second_tab = Convention.objects.get(pk=nord_convention.pk)  # still « Validée » in its page
    dates = {signatory: datetime.date(2023, 1, 18) for signatory in nord_convention.signatories.all()}
    sign(nord_convention, dates, caf_admin)

    with pytest.raises(ValidationError) as error:
        sign(second_tab, dates, caf_admin)

    assert "La convention doit d'abord être validée." in error.value.messages
    assert SignedDocument.objects.filter(convention=nord_convention).count() == 1
    assert StatusChange.objects.filter(convention=nord_convention, to_status=S.SIGNED).count() == 1


def test_a_signature_sent_twice_says_the_convention_is_signed_already(client, nord_convention, caf_admin):
    change_status(nord_convention, S.VALIDATED, caf_admin)
    client.force_login(caf_admin)
    url = reverse("convention_sign", args=[nord_convention.pk])
    form = client.get(url).context["form"]
    data = dict.fromkeys(form.fields, "2023-01-18")
    assert client.post(url, data).status_code == 302

    again = client.post(url, data, follow=True)

    assert "La convention est déjà signée : sa signature est enregistrée." in again.content.decode()
    assert SignedDocument.objects.filter(convention=nord_convention).count() == 1


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


def test_a_signed_convention_refuses_changes_in_the_model_layer(signed):
    convention, _document = signed
    article = convention.articles.first()
    article.text = "Réécrit après signature"
    with pytest.raises(ConventionFrozen):
        article.save()
    with pytest.raises(ConventionFrozen):
        convention.signatories.first().delete()
    action = ActionSheet.objects.filter(axis__convention=convention).first()
    action.title = "Autre"
    with pytest.raises(ConventionFrozen):
        action.save()
    convention.refresh_from_db()
    convention.end_date = datetime.date(2027, 12, 31)
    with pytest.raises(ConventionFrozen):
        convention.save()


def test_the_follow_up_goes_on_after_signature(signed, commune_user):
    convention, _document = signed
    action = ActionSheet.objects.filter(axis__convention=convention).first()
    FollowUp.objects.create(action=action, period="2023-04-01", status="in_progress", progress=10, author=commune_user)


def test_the_admin_cannot_change_a_signed_article_either(client, superuser, signed):
    convention, _document = signed
    article = convention.articles.filter(editable=True).first()
    client.force_login(superuser)
    url = reverse("admin:conventions_article_change", args=[article.pk])
    data = {
        "convention": convention.pk,
        "key": article.key,
        "position": article.position,
        "title": article.title,
        "text": "Réécrit dans l'admin",
        "numbered": "on" if article.numbered else "",
        "editable": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.text != "Réécrit dans l'admin"


def test_the_sign_command_validates_signs_and_archives(caf_admin, superuser, demo):
    out = StringIO()
    call_command("sign", "var-le-pradet-2022", "--date", "2022-01-15", stdout=out)
    convention = demo["var-le-pradet-2022"]
    convention.refresh_from_db()
    assert convention.status == S.SIGNED
    assert convention.signature_date == datetime.date(2022, 1, 15)
    document = SignedDocument.objects.get(convention=convention)
    assert document.sha256 in out.getvalue()


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


def test_a_gap_written_after_the_validation_stops_the_signature(client, nord_convention, caf_admin):
    change_status(nord_convention, S.VALIDATED, caf_admin)
    article = nord_convention.articles.filter(editable=True).order_by("position").first()
    article.text += "\n\nUne phrase ajoutée après la validation : XXX."
    article.save()
    dates = dict.fromkeys(nord_convention.signatories.all(), datetime.date(2023, 1, 18))

    with pytest.raises(ValidationError) as refused:
        sign(nord_convention, dates, caf_admin)

    assert refused.value.messages[0] == "Signature impossible : 1 point(s) à compléter depuis la validation."
    nord_convention.refresh_from_db()
    assert nord_convention.status == S.VALIDATED
    client.force_login(caf_admin)
    page = client.get(reverse("convention_sign", args=[nord_convention.pk])).content.decode()
    assert "Signature impossible : 1 point(s) à compléter depuis la validation." in page


@pytest.mark.parametrize(
    ("date", "message"),
    [
        pytest.param(
            datetime.date(2026, 1, 5),
            "La date de signature du 05/01/2026 suit la fin de la convention (31/12/2025).",
            id="after the end of the convention",
        ),
        pytest.param(None, "est dans le futur", id="in the future"),
        pytest.param(
            datetime.date(1900, 1, 1),
            "La date de signature du 01/01/1900 est trop ancienne : la convention commence le 01/01/2023, "
            "elle se signe au plus tôt le 01/01/2022.",
            id="a typing slip long before the start",
        ),
    ],
)
def test_a_signature_is_dated_within_what_a_ctg_allows(nord_convention, caf_admin, date, message):
    date = date or timezone.localdate() + datetime.timedelta(days=1)
    Convention.objects.filter(pk=nord_convention.pk).update(end_date=datetime.date(2025, 12, 31))
    nord_convention.refresh_from_db()
    change_status(nord_convention, S.VALIDATED, caf_admin)

    with pytest.raises(ValidationError) as refused:
        sign(nord_convention, dict.fromkeys(nord_convention.signatories.all(), date), caf_admin)

    assert message in " ".join(refused.value.messages)
    nord_convention.refresh_from_db()
    assert nord_convention.status == S.VALIDATED


def test_the_signature_page_refuses_a_missing_date(client, caf_admin, nord_convention):
    change_status(nord_convention, S.VALIDATED, caf_admin)
    client.force_login(caf_admin)
    response = client.post(reverse("convention_sign", args=[nord_convention.pk]), {})
    assert response.status_code == 200
    nord_convention.refresh_from_db()
    assert nord_convention.status == S.VALIDATED


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
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    client.post(reverse("external_original", args=[convention.pk]), {"file": scan})
    original = convention.signed_documents.get(kind="external_original")
    assert original.sha256 == hashlib.sha256(b"%PDF-1.4 scan").hexdigest()
    not_a_pdf = SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    client.post(reverse("external_original", args=[convention.pk]), {"file": not_a_pdf})
    assert convention.signed_documents.filter(kind="external_original").count() == 1


def test_the_same_original_sent_twice_is_archived_once(client, caf_admin, signed):
    convention, _document = signed
    client.force_login(caf_admin)
    url = reverse("external_original", args=[convention.pk])
    client.post(url, {"file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf")})

    again = client.post(
        url, {"file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf")}, follow=True
    )

    assert convention.signed_documents.filter(kind="external_original").count() == 1
    assert "Ce PDF est déjà archivé pour cette convention" in again.content.decode()


def test_only_an_administrator_attaches_the_original(client, caf_staff, signed):
    convention, _document = signed
    client.force_login(caf_staff)
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    assert client.post(reverse("external_original", args=[convention.pk]), {"file": scan}).status_code == 403


TRANSITION_TABLE = [
    # (from, to, role, allowed)
    (S.DRAFT, S.CONSULTATION, "caf_staff", True),
    (S.DRAFT, S.CONSULTATION, "caf_admin", True),
    (S.DRAFT, S.CONSULTATION, "commune_user", False),
    (S.CONSULTATION, S.DRAFT, "caf_staff", True),
    (S.CONSULTATION, S.DRAFT, "commune_user", False),
    (S.DRAFT, S.VALIDATED, "caf_staff", True),
    (S.CONSULTATION, S.VALIDATED, "caf_admin", True),
    (S.CONSULTATION, S.VALIDATED, "commune_user", False),
    (S.VALIDATED, S.CONSULTATION, "caf_staff", True),
    (S.VALIDATED, S.CONSULTATION, "commune_user", False),
    (S.SIGNED, S.TERMINATED, "caf_admin", True),
    (S.SIGNED, S.TERMINATED, "caf_staff", False),
    (S.SIGNED, S.TERMINATED, "commune_user", False),
    (S.DRAFT, S.SIGNED, "caf_admin", False),  # a signature is recorded, not chosen as a status
    (S.TERMINATED, S.DRAFT, "caf_admin", False),
]


@pytest.mark.parametrize(
    ("source", "target", "role", "allowed"),
    TRANSITION_TABLE,
    ids=[f"{role} {'may' if ok else 'may not'} move {a} to {b}" for a, b, role, ok in TRANSITION_TABLE],
)
def test_every_transition_by_every_role(request, nord_convention, source, target, role, allowed):
    from conventions.models import Convention

    Convention.objects.filter(pk=nord_convention.pk).update(status=source)
    nord_convention.refresh_from_db()
    user = request.getfixturevalue(role)
    if allowed:
        change_status(nord_convention, target, user)
        nord_convention.refresh_from_db()
        assert nord_convention.status == target
        assert StatusChange.objects.filter(convention=nord_convention, to_status=target, by=user).exists()
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            change_status(nord_convention, target, user)
        nord_convention.refresh_from_db()
        assert nord_convention.status == source


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (datetime.date(2022, 12, 31), "Signée"),
        (datetime.date(2023, 1, 1), "En vigueur"),
        (datetime.date(2026, 12, 31), "En vigueur"),
        (datetime.date(2027, 1, 1), "Expirée"),
    ],
)
def test_a_signed_convention_reads_in_force_between_its_dates_and_expired_after(signed, today, label):
    convention, _document = signed
    assert convention.status_label(today) == label


def test_the_status_of_a_signed_convention_says_signed_and_in_force_as_its_header_does(client, caf_staff, signed):
    convention, _document = signed
    client.force_login(caf_staff)

    page = client.get(reverse("convention_edit", args=[convention.pk])).content.decode()

    assert f"Statut : Signée — {convention.status_label().lower()}" in page


def test_a_text_posted_to_a_signed_convention_gets_the_refusal_page(client, caf_staff, signed):
    convention, _document = signed
    article = convention.articles.filter(editable=True).first()
    client.force_login(caf_staff)

    response = client.post(
        reverse("article_edit", args=[convention.pk, article.pk]), {"text": "Autre", "opened_version": article.version}
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "Action non autorisée" in page and "La convention est signée : elle ne change plus que par avenant." in page
    assert f'href="{reverse("convention_edit", args=[convention.pk])}">Retour à la convention' in page
    assert "Retour à mes conventions" in page


def test_a_termination_is_asked_for_on_a_page_that_says_what_it_ends(client, caf_admin, signed):
    convention, _document = signed
    Avenant.objects.create_for(convention, caf_admin)
    client.force_login(caf_admin)
    url = reverse("convention_terminate", args=[convention.pk])

    summary = client.get(reverse("convention_edit", args=[convention.pk])).content.decode()
    page = client.get(url).content.decode()

    assert f'href="{url}"' in summary and 'value="terminated"' not in summary
    assert f"Résilier la convention {convention.reference} ?" in page
    assert "La résiliation est définitive : elle ne s&#x27;annule pas." in page
    assert "L&#x27;avenant n°1 en cours s&#x27;arrête où il en est : il ne pourra être ni validé ni signé." in page
    convention.refresh_from_db()
    assert convention.status == S.SIGNED

    response = client.post(url)

    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.status == S.TERMINATED


def test_a_termination_posted_as_a_status_change_goes_to_its_confirmation_first(client, caf_admin, signed):
    convention, _document = signed
    client.force_login(caf_admin)

    response = client.post(reverse("convention_status", args=[convention.pk]), {"status": S.TERMINATED})

    assert response.url == reverse("convention_terminate", args=[convention.pk])
    convention.refresh_from_db()
    assert convention.status == S.SIGNED


def test_only_a_signed_convention_is_terminated(client, caf_admin, nord_convention):
    client.force_login(caf_admin)

    response = client.post(reverse("convention_terminate", args=[nord_convention.pk]))

    assert response.status_code == 409
    assert "Seule une convention signée se résilie : celle-ci est « Brouillon »." in response.content.decode()
    nord_convention.refresh_from_db()
    assert nord_convention.status == S.DRAFT


def test_signing_again_says_the_convention_is_signed_already_as_an_error(client, caf_admin, signed):
    convention, _document = signed
    client.force_login(caf_admin)

    response = client.get(reverse("convention_sign", args=[convention.pk]), follow=True)

    expected = "La convention est déjà signée : sa signature est enregistrée."
    assert f'<div class="alert alert-danger" role="alert">{escape(expected)}</div>' in response.content.decode()
