"""Who moves a convention from one status to another and what validation requires; how a signed
convention reads its status, and how it is terminated."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conventions.lifecycle import available_transitions, change_status, terminate
from conventions.models import Avenant, ConventionFrozen, ConventionStatus, StatusChange, TerminationGround

pytestmark = pytest.mark.django_db

S = ConventionStatus
TERMINATION = {
    "effective_on": "2025-06-30",
    "ground": "consentement_mutuel",
    "details": "Courrier de la commune du 2 janvier 2025.",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SEAL_CERTIFICATES_DIR = tmp_path / "no-certificates"


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

    response = client.post(url, TERMINATION)

    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.status == S.TERMINATED
    assert convention.terminated_on == datetime.date(2025, 6, 30)
    assert convention.termination_ground == TerminationGround.MUTUAL_CONSENT
    summary = client.get(reverse("convention_edit", args=[convention.pk])).content.decode()
    assert "Résiliée à compter du 30/06/2025" in summary
    assert "Motif de la résiliation : par consentement mutuel ou dénonciation" in summary
    assert "Courrier de la commune du 2 janvier 2025." in summary


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"effective_on": "2022-12-31"}, "effective_on", "avant la signature de la convention (18 janvier 2023)"),
        ({"effective_on": "2027-01-01"}, "effective_on", "prend fin d&#x27;elle-même le 31 décembre 2026"),
        ({"ground": "autre", "details": " "}, "details", "Précisez le motif de la résiliation."),
        ({"ground": ""}, "ground", "Ce champ est obligatoire."),
    ],
)
def test_a_termination_needs_a_date_within_the_convention_and_a_ground(
    client, caf_admin, signed, changes, field, error
):
    convention, _document = signed
    client.force_login(caf_admin)

    response = client.post(reverse("convention_terminate", args=[convention.pk]), TERMINATION | changes)

    assert response.status_code == 422
    assert error in response.content.decode()
    convention.refresh_from_db()
    assert convention.status == S.SIGNED and convention.terminated_on is None


def test_the_date_and_ground_of_a_termination_never_change_afterwards(signed, caf_admin):
    convention, _document = signed
    terminate(convention, caf_admin, effective_on=datetime.date(2025, 6, 30), ground=TerminationGround.OTHER)
    convention.terminated_on = datetime.date(2025, 12, 31)

    with pytest.raises(ConventionFrozen):
        convention.save()


def test_a_termination_posted_as_a_status_change_goes_to_its_confirmation_first(client, caf_admin, signed):
    convention, _document = signed
    client.force_login(caf_admin)

    response = client.post(reverse("convention_status", args=[convention.pk]), {"status": S.TERMINATED})

    assert response.url == reverse("convention_terminate", args=[convention.pk])
    convention.refresh_from_db()
    assert convention.status == S.SIGNED


def test_only_a_signed_convention_is_terminated(client, caf_admin, nord_convention):
    client.force_login(caf_admin)

    response = client.post(reverse("convention_terminate", args=[nord_convention.pk]), TERMINATION)

    assert response.status_code == 409
    assert "Seule une convention signée se résilie : celle-ci est « Brouillon »." in response.content.decode()
    nord_convention.refresh_from_db()
    assert nord_convention.status == S.DRAFT


# A signed convention's status only moves on, to its termination: never back to a status where its
# text could change under its archived signed copy.


@pytest.mark.parametrize("status", [S.DRAFT, S.CONSULTATION, S.VALIDATED])
def test_a_signed_convention_never_goes_back_to_an_earlier_status(nord_convention, nord_signature, status):
    nord_convention.status = status

    with pytest.raises(ConventionFrozen, match="ne peut pas revenir"):
        nord_convention.save()

    nord_convention.refresh_from_db()
    assert nord_convention.status == S.SIGNED


def test_a_terminated_convention_stays_terminated(nord_convention, nord_signature, caf_admin):
    change_status(nord_convention, S.TERMINATED, caf_admin)
    nord_convention.status = S.SIGNED

    with pytest.raises(ConventionFrozen):
        nord_convention.save()
