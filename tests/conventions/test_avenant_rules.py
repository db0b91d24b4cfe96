"""What an avenant goes through: opened on a signed convention only, numbered, validated with changes
that say something new, signed within the convention's dates, stopped by a termination; once signed,
the convention takes its changes and stays frozen."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conventions.avenants import change_avenant_status, open_change, sign_avenant, validate_avenant
from conventions.lifecycle import change_status
from conventions.models import Avenant, AvenantStatus, ConventionFrozen, ConventionStatus, DocumentKind
from conventions.rendering.output import render_convention
from tests.conventions.avenant_helpers import NEW_SENTENCE, amend, read
from tests.conventions.rendering_helpers import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_avenants_are_numbered_one_after_the_other(signed, caf_admin):
    convention, _document = signed
    assert [Avenant.objects.create_for(convention, caf_admin).number for _ in range(2)] == [1, 2]


def test_an_unsigned_convention_has_no_avenant(nord_convention, caf_admin):
    with pytest.raises(ValidationError):
        Avenant.objects.create_for(nord_convention, caf_admin)


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


def test_a_change_of_a_signed_avenant_refuses_to_be_deleted_whoever_asks(signed, caf_admin):
    convention, _document = signed
    article = convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    avenant = amend(convention, caf_admin, article)
    Avenant.objects.filter(pk=avenant.pk).update(status=ConventionStatus.SIGNED)

    with pytest.raises(ConventionFrozen):
        avenant.changes.get().delete()


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
