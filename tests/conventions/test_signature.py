"""Signing a convention: who signs, what the signature requires (délibérations, nothing left to
complete, dates a CTG allows), signing only once, and what the signature freezes."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from conventions.lifecycle import change_status, sign
from conventions.models import Convention, ConventionFrozen, ConventionStatus, SignedDocument, StatusChange
from plans.models import ActionSheet, FollowUp

pytestmark = pytest.mark.django_db

S = ConventionStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SEAL_CERTIFICATES_DIR = tmp_path / "no-certificates"


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


def test_signing_again_says_the_convention_is_signed_already_as_an_error(client, caf_admin, signed):
    convention, _document = signed
    client.force_login(caf_admin)

    response = client.get(reverse("convention_sign", args=[convention.pk]), follow=True)

    expected = "La convention est déjà signée : sa signature est enregistrée."
    assert f'<div class="alert alert-danger" role="alert">{escape(expected)}</div>' in response.content.decode()
