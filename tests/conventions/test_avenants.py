"""Avenants: the only way a signed convention changes."""

import datetime
import hashlib
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from conventions.avenants import (
    change_avenant_status,
    open_change,
    preview_avenant,
    render_avenant,
    sign_avenant,
    validate_avenant,
)
from conventions.lifecycle import change_status
from conventions.models import (
    Avenant,
    AvenantChange,
    AvenantStatus,
    ConventionFrozen,
    ConventionStatus,
    DocumentKind,
    SignedDocument,
)
from conventions.rendering.output import render_convention
from tests.conventions.rendering_helpers import html_text, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db
NEW_SENTENCE = "Le comité de pilotage se réunit deux fois par an à compter de 2025."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def signed(nord_convention, nord_signature):
    return nord_convention, nord_signature


def read(document):
    with document.file.open("rb") as file:
        return file.read()


def amend(convention, user, article):
    avenant = Avenant.objects.create_for(convention, user)
    change = open_change(avenant, article)
    change.new_text = f"{article.text}\n\n{NEW_SENTENCE}"
    change.save()
    return avenant


def validated_avenant(convention, user):
    """An avenant adding NEW_SENTENCE to the convention's first numbered article, validated."""
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, user, article)
    validate_avenant(avenant, user)
    return avenant


def test_avenants_are_numbered_one_after_the_other(signed, caf_admin):
    convention, _document = signed
    assert [Avenant.objects.create_for(convention, caf_admin).number for _ in range(2)] == [1, 2]


def test_an_unsigned_convention_has_no_avenant(nord_convention, caf_admin):
    with pytest.raises(ValidationError):
        Avenant.objects.create_for(nord_convention, caf_admin)


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


def test_once_signed_the_convention_includes_the_avenant_and_its_original_pdf_stays(signed, caf_admin):
    convention, original = signed
    original_bytes = read(original)
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, caf_admin, article)
    validate_avenant(avenant, caf_admin)
    archived = sign_avenant(avenant, datetime.date(2025, 3, 1), caf_admin)

    assert archived.kind == DocumentKind.AVENANT_PDF and archived.avenant == avenant
    assert not any("PROJET" in page for page in pdf_pages(read(archived)))
    article.refresh_from_db()
    assert NEW_SENTENCE in article.text
    assert NEW_SENTENCE in pdf_text(render_convention(convention, use_cache=False).pdf)
    original.refresh_from_db()
    assert read(original) == original_bytes and original.sha256 == hashlib.sha256(original_bytes).hexdigest()
    # and the convention is as frozen as before
    article.text = "Autre"
    with pytest.raises(ConventionFrozen):
        article.save()
    change = avenant.changes.get()
    change.new_text = "Autre"
    with pytest.raises(ConventionFrozen):
        change.save()


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


def test_an_avenant_is_not_signed_before_the_convention_nor_in_the_future(signed, caf_admin):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, caf_admin, article)
    validate_avenant(avenant, caf_admin)

    with pytest.raises(ValidationError) as before_the_convention:
        sign_avenant(avenant, datetime.date(2023, 1, 17), caf_admin)
    with pytest.raises(ValidationError) as in_the_future:
        sign_avenant(avenant, timezone.localdate() + datetime.timedelta(days=1), caf_admin)

    assert before_the_convention.value.messages == [
        "La date de signature du 17/01/2023 précède la signature de la convention (18/01/2023)."
    ]
    assert "est dans le futur" in in_the_future.value.messages[0]
    avenant.refresh_from_db()
    assert avenant.status == ConventionStatus.VALIDATED and not avenant.signature_date


def test_an_avenant_goes_through_validation_before_signature(signed, caf_admin, caf_staff):
    convention, _document = signed
    avenant = Avenant.objects.create_for(convention, caf_staff)
    with pytest.raises(ValidationError):
        validate_avenant(avenant, caf_staff)  # no change yet
    with pytest.raises(ValidationError):
        sign_avenant(avenant, datetime.date(2025, 3, 1), caf_admin)  # not validated


def test_the_avenant_pages(client, caf_admin, signed):
    convention, _document = signed
    client.force_login(caf_admin)
    response = client.post(reverse("avenant_create", args=[convention.pk]))
    assert response.status_code == 302
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    response = client.post(
        reverse("avenant_change_open", args=[convention.pk, 1]), {"section": f"article-{article.pk}"}
    )
    change_url = response.url
    client.post(change_url, {"new_text": NEW_SENTENCE, "opened_version": 1})
    client.post(reverse("avenant_validate", args=[convention.pk, 1]))
    client.post(reverse("avenant_sign", args=[convention.pk, 1]), {"date": "2025-03-01"})
    assert Avenant.objects.get(convention=convention).status == ConventionStatus.SIGNED
    article.refresh_from_db()
    assert article.text == NEW_SENTENCE


def test_the_sections_to_change_are_offered_with_the_numbers_they_print_with(client, caf_admin, signed):
    convention, _document = signed
    Avenant.objects.create_for(convention, caf_admin)
    client.force_login(caf_admin)

    page = html_text(client.get(reverse("avenant_detail", args=[convention.pk, 1])).content.decode())

    first, second = convention.articles.filter(numbered=True).order_by("position")[:2]
    assert f"Article 1 – {first.display_title}" in page and f"Article 2 – {second.display_title}" in page
    assert f"Annexe 1 – {convention.annexes.order_by('position').first().display_title}" in page


def test_a_double_click_on_open_an_avenant_opens_one_avenant(client, caf_admin, signed):
    convention, _document = signed
    client.force_login(caf_admin)
    url = reverse("avenant_create", args=[convention.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert list(convention.avenants.values_list("number", flat=True)) == [1]
    assert response.redirect_chain[-1][0] == reverse("avenant_detail", args=[convention.pk, 1])
    assert "L'avenant n°1 est ouvert et ne modifie encore rien" in response.content.decode().replace("&#x27;", "'")


def test_opening_an_avenant_on_a_terminated_convention_says_it_is_terminated(client, caf_admin, signed):
    convention, _document = signed
    Avenant.objects.create_for(convention, caf_admin)
    change_status(convention, ConventionStatus.TERMINATED, caf_admin)
    client.force_login(caf_admin)

    response = client.post(reverse("avenant_create", args=[convention.pk]), follow=True)

    assert "Seule une convention signée (et non résiliée) se modifie par avenant." in response.content.decode()


def test_a_new_avenant_opens_once_the_open_one_changes_something(client, caf_admin, signed):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    amend(convention, caf_admin, article)
    client.force_login(caf_admin)
    client.post(reverse("avenant_create", args=[convention.pk]))
    assert list(convention.avenants.values_list("number", flat=True)) == [1, 2]


@pytest.mark.parametrize("section", ["annexe-²", "article-١٢", "article-", "chapitre-1"])
def test_a_forged_section_to_change_asks_to_choose_one(client, caf_admin, signed, section):
    convention, _document = signed
    avenant = Avenant.objects.create_for(convention, caf_admin)
    client.force_login(caf_admin)
    response = client.post(reverse("avenant_change_open", args=[convention.pk, avenant.number]), {"section": section})
    assert response.status_code == 302
    assert not avenant.changes.exists()


def test_another_caf_gets_404_on_an_avenant(client, other_caf_staff, signed, caf_admin):
    convention, _document = signed
    Avenant.objects.create_for(convention, caf_admin)
    client.force_login(other_caf_staff)
    assert client.get(reverse("avenant_detail", args=[convention.pk, 1])).status_code == 404


def test_an_avenant_goes_through_consultation_like_a_convention(signed, caf_staff, commune_user):
    from conventions.avenants import change_avenant_status

    convention, _document = signed
    avenant = amend(convention, caf_staff, convention.articles.filter(editable=True).first())
    change_avenant_status(avenant, ConventionStatus.CONSULTATION, caf_staff)
    with pytest.raises(Exception):  # noqa: B017 - a commune user moves nothing
        change_avenant_status(avenant, ConventionStatus.VALIDATED, commune_user)
    change_avenant_status(avenant, ConventionStatus.VALIDATED, caf_staff)
    assert avenant.status == ConventionStatus.VALIDATED
    with pytest.raises(ValidationError):
        open_change(avenant, convention.annexes.first())  # validated: no more changes


def test_an_avenant_left_open_stops_when_the_convention_is_terminated(signed, caf_admin):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    validated = amend(convention, caf_admin, article)
    validate_avenant(validated, caf_admin)
    draft = amend(convention, caf_admin, convention.articles.filter(editable=True).order_by("-position").first())
    change_status(convention, ConventionStatus.TERMINATED, caf_admin)
    validated.refresh_from_db()
    draft.refresh_from_db()

    with pytest.raises(ValidationError, match="résiliée"):
        sign_avenant(validated, datetime.date(2024, 3, 1), caf_admin)
    with pytest.raises(ValidationError, match="résiliée"):
        validate_avenant(draft, caf_admin)
    with pytest.raises(ValidationError, match="résiliée"):
        open_change(draft, article)
    article.refresh_from_db()
    assert NEW_SENTENCE not in article.text
    validated.refresh_from_db()
    assert validated.status == ConventionStatus.VALIDATED


def test_a_change_saved_after_the_validation_is_refused_with_the_typed_text_kept(client, signed, caf_admin):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, caf_admin, article)
    change = avenant.changes.get()
    validate_avenant(avenant, caf_admin)
    client.force_login(caf_admin)

    response = client.post(
        reverse("avenant_change", args=[convention.pk, avenant.number, change.pk]),
        {"new_text": "Un texte tapé avant la validation."},
    )

    page = response.content.decode()
    assert "il ne se modifie plus, votre texte n&#x27;a pas été enregistré" in page
    assert "Un texte tapé avant la validation." in page
    change.refresh_from_db()
    assert "Un texte tapé avant la validation." not in change.new_text


@pytest.mark.parametrize(
    ("new_text", "problem"),
    [
        pytest.param(None, "le nouveau texte est celui de la convention, rien ne change", id="unchanged"),
        pytest.param("Le comité se réunit XXX fois par an.", "texte à compléter", id="a gap left"),
        pytest.param(
            "Contact : {{ referent_caf }}.",
            "« {{ referent_caf }} » ne se remplit pas, remplacez-le par votre texte",
            id="a placeholder the convention does not fill",
        ),
    ],
)
def test_an_avenant_is_validated_only_with_changes_that_say_something_new(signed, caf_admin, new_text, problem):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = Avenant.objects.create_for(convention, caf_admin)
    change = open_change(avenant, article)
    change.new_text = new_text or article.text
    change.save()

    with pytest.raises(ValidationError) as refused:
        validate_avenant(avenant, caf_admin)

    [message] = refused.value.messages
    assert message.startswith(f"« {change.section} » : {problem}")
    avenant.refresh_from_db()
    assert avenant.status != ConventionStatus.VALIDATED


def test_a_change_opened_by_mistake_is_removed_after_confirming_and_the_article_keeps_its_text(
    client, signed, caf_admin
):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, caf_admin, article)
    change = avenant.changes.get()
    client.force_login(caf_admin)
    url = reverse("avenant_change_remove", args=[convention.pk, avenant.number, change.pk])
    assert (
        f'href="{url}"' in client.get(reverse("avenant_detail", args=[convention.pk, avenant.number])).content.decode()
    )

    assert NEW_SENTENCE in preview_avenant(avenant)

    page = client.get(url).content.decode()
    response = client.post(url, follow=True)

    assert "garde son texte actuel" in page
    assert not avenant.changes.exists()
    assert "est retirée de l&#x27;avenant" in response.content.decode()
    assert NEW_SENTENCE not in preview_avenant(avenant)


def test_a_change_of_a_validated_avenant_is_not_removed(client, signed, caf_admin):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, caf_admin, article)
    validate_avenant(avenant, caf_admin)
    client.force_login(caf_admin)

    response = client.post(
        reverse("avenant_change_remove", args=[convention.pk, avenant.number, avenant.changes.get().pk])
    )

    assert response.status_code == 409
    assert "ses modifications ne se retirent plus" in response.content.decode()
    assert avenant.changes.exists()


def test_a_change_of_a_signed_avenant_refuses_to_be_deleted_whoever_asks(signed, caf_admin):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, caf_admin, article)
    Avenant.objects.filter(pk=avenant.pk).update(status=ConventionStatus.SIGNED)

    with pytest.raises(ConventionFrozen):
        avenant.changes.get().delete()


@pytest.fixture
def stopped(signed, caf_admin):
    """An avenant with one change, left open when its convention was terminated: (avenant, change)."""
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, caf_admin, article)
    change_status(convention, ConventionStatus.TERMINATED, caf_admin)
    return avenant, avenant.changes.get()


def test_an_avenant_left_open_on_a_terminated_convention_offers_nothing_to_do(client, stopped, caf_admin):
    avenant, change = stopped
    convention = avenant.convention
    client.force_login(caf_admin)

    page = client.get(reverse("avenant_detail", args=[convention.pk, avenant.number])).content.decode()

    assert "La convention est résiliée : cet avenant s'arrête où il en est" in page
    assert reverse("avenant_change_open", args=[convention.pk, avenant.number]) not in page
    assert reverse("avenant_validate", args=[convention.pk, avenant.number]) not in page
    assert reverse("avenant_change_remove", args=[convention.pk, avenant.number, change.pk]) not in page


def test_a_change_of_an_avenant_is_not_saved_once_the_convention_is_terminated(client, stopped, caf_admin):
    avenant, change = stopped
    convention = avenant.convention
    client.force_login(caf_admin)

    page = client.post(
        reverse("avenant_change", args=[convention.pk, avenant.number, change.pk]), {"new_text": "Un texte tardif."}
    ).content.decode()
    removal = client.post(reverse("avenant_change_remove", args=[convention.pk, avenant.number, change.pk]))

    assert "La convention est résiliée, l&#x27;avenant s&#x27;arrête où il en est" in page
    change.refresh_from_db()
    assert change.new_text != "Un texte tardif."
    assert removal.status_code == 409 and avenant.changes.exists()


def test_the_signature_date_field_holds_today_as_a_date_input_reads_it(client, signed, caf_admin):
    convention, _document = signed
    avenant = amend(convention, caf_admin, convention.articles.filter(editable=True).first())
    validate_avenant(avenant, caf_admin)
    client.force_login(caf_admin)

    page = client.get(reverse("avenant_detail", args=[convention.pk, avenant.number])).content.decode()

    assert f'type="date" name="date" value="{datetime.date.today():%Y-%m-%d}"' in page


def test_an_avenant_status_is_worded_for_an_avenant(client, signed, caf_admin):
    convention, _document = signed
    avenant = amend(convention, caf_admin, convention.articles.filter(editable=True).first())
    client.force_login(caf_admin)

    response = client.post(reverse("avenant_validate", args=[convention.pk, avenant.number]), follow=True)
    summary = client.get(reverse("convention_edit", args=[convention.pk])).content.decode()

    page = response.content.decode()
    assert "Avenant : Validé." in page and 'text-bg-secondary">Validé</span>' in page
    assert "Avenant n°1</a> — Validé<" in summary


def test_a_page_opened_before_the_signature_cannot_move_a_signed_avenant_back(signed, caf_admin):
    convention, _original = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, caf_admin, article)
    validate_avenant(avenant, caf_admin)
    seen_before = Avenant.objects.get(pk=avenant.pk)  # a colleague's page, still "validé"
    signing_twice = Avenant.objects.get(pk=avenant.pk)  # a second click on "Signer"
    sign_avenant(avenant, datetime.date(2025, 3, 1), caf_admin)

    with pytest.raises(ValidationError) as reopened:
        change_avenant_status(seen_before, AvenantStatus.CONSULTATION, caf_admin)
    with pytest.raises(ValidationError) as signed_again:
        sign_avenant(signing_twice, datetime.date(2025, 3, 1), caf_admin)

    assert reopened.value.messages == ["L'avenant est signé : il ne change plus de statut."]
    assert signed_again.value.messages == ["L'avenant est déjà signé."]
    assert Avenant.objects.get(pk=avenant.pk).status == AvenantStatus.SIGNED


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


def test_an_article_rewritten_with_the_table_line_is_refused_and_the_change_keeps_its_text(client, signed, caf_admin):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    change = amend(convention, caf_admin, article).changes.get()
    url = reverse("avenant_change", args=[convention.pk, change.avenant.number, change.pk])
    client.force_login(caf_admin)
    opened_version = client.get(url).context["form"]["opened_version"].value()

    response = client.post(url, {"new_text": "Avant.\n\n::: tableau\n\nAprès.", "opened_version": opened_version})

    assert "ce texte n&#x27;a pas de tableau" in response.content.decode()
    assert NEW_SENTENCE in AvenantChange.objects.get(pk=change.pk).new_text
