"""An avenant may prolong the convention: its new end date prints in the avenant, and becomes the
convention's once the avenant is signed, within the duration rule (DESIGN §4, "Duration")."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from conventions.avenants import (
    avenant_validation_problems,
    open_change,
    preview_avenant,
    sign_avenant,
    validate_avenant,
)
from conventions.lifecycle import terminate
from conventions.models import Avenant, Convention, TerminationGround
from conventions.rendering.document import build_document
from conventions.rendering.output import render_convention
from tests.conventions.avenant_helpers import read
from tests.conventions.rendering_helpers import html_text, pdf_text

pytestmark = pytest.mark.django_db

# The Nord demo runs from 01/01/2023 to 31/12/2026: the duration rule lets it run until 31/12/2027.
UNTIL = datetime.date(2027, 12, 31)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def prolong(client, convention, number, date):
    return client.post(reverse("avenant_prolongation", args=[convention.pk, number]), {"new_end_date": date})


def test_a_signed_prolongation_gives_the_convention_its_new_end_date(client, caf_admin, signed):
    convention, signed_document = signed
    original = read(signed_document)
    avenant = Avenant.objects.create_for(convention, caf_admin)
    client.force_login(caf_admin)

    prolong(client, convention, 1, "2027-12-31")
    avenant.refresh_from_db()
    validate_avenant(avenant, caf_admin)
    archived = sign_avenant(Avenant.objects.get(pk=avenant.pk), datetime.date(2026, 10, 1), caf_admin)

    convention.refresh_from_db()
    assert convention.end_date == UNTIL
    assert "La convention prend fin le 31 décembre 2027, au lieu du 31 décembre 2026." in pdf_text(read(archived))
    in_force = html_text(render_convention(convention, use_cache=False).html)
    assert "jusqu'au 31 décembre 2027" in in_force
    signed_document.refresh_from_db()
    assert read(signed_document) == original  # the convention as signed stays as it was


@pytest.mark.parametrize(
    ("date", "refusal"),
    [
        pytest.param(
            "2026-06-30",
            "La nouvelle date de fin doit être postérieure à la date de fin actuelle de la convention "
            "(31 décembre 2026).",
            id="before the current end date",
        ),
        pytest.param(
            "2028-12-31",
            "Règle de durée : une convention dure au plus jusqu'au 31 décembre de l'année de début + 4 ; "
            "la date de fin doit être au plus tard le 31 décembre 2027.",
            id="beyond the duration rule",
        ),
    ],
)
def test_a_prolongation_the_rules_refuse_says_why_and_changes_nothing(client, caf_admin, signed, date, refusal):
    convention, _document = signed
    Avenant.objects.create_for(convention, caf_admin)
    client.force_login(caf_admin)

    response = prolong(client, convention, 1, date)

    assert response.status_code == 422
    page = response.content.decode()
    assert escape(refusal) in page and escape("Rien n'a été enregistré") in page
    assert Avenant.objects.get(convention=convention).new_end_date is None


def test_an_avenant_that_only_prolongs_validates_one_that_changes_nothing_does_not(caf_admin, signed):
    convention, _document = signed
    avenant = Avenant.objects.create_for(convention, caf_admin)

    nothing = avenant_validation_problems(avenant)
    avenant.prolong_until(UNTIL)

    assert nothing == [
        "Un avenant se valide avec au moins une modification d'article ou d'annexe, ou une prolongation."
    ]
    assert avenant_validation_problems(avenant) == []


def test_a_prolongation_cleared_prolongs_nothing(client, caf_admin, signed):
    convention, _document = signed
    Avenant.objects.create_for(convention, caf_admin).prolong_until(UNTIL)
    client.force_login(caf_admin)

    prolong(client, convention, 1, "")

    page = html_text(client.get(reverse("avenant_detail", args=[convention.pk, 1])).content.decode())
    assert Avenant.objects.get(convention=convention).new_end_date is None
    assert "La convention prend fin le 31 décembre 2026. Cet avenant ne la prolonge pas." in page


def test_a_prolongation_written_before_another_signed_one_waits_to_be_given_again(client, caf_admin, signed):
    """Avenant n°2 prolonged the convention to 31/12/2027 while n°1, signed first, took it to 30/06/2027:
    signed as it is, n°2 would replace an end date the text in force no longer has."""
    convention, _document = signed
    first = Avenant.objects.create_for(convention, caf_admin)
    first.prolong_until(datetime.date(2027, 6, 30))
    second = Avenant.objects.create_for(convention, caf_admin)
    second.prolong_until(UNTIL)
    validate_avenant(first, caf_admin)
    sign_avenant(Avenant.objects.get(pk=first.pk), datetime.date(2026, 10, 1), caf_admin)
    client.force_login(caf_admin)

    waiting = avenant_validation_problems(Avenant.objects.get(pk=second.pk))
    prolong(client, convention, 2, "2027-12-31")
    given_again = Avenant.objects.get(pk=second.pk)

    assert waiting == [
        "L'avenant n°1, signé depuis, a porté la fin de la convention au 30 juin 2027 : indiquez à nouveau la "
        "nouvelle date de fin."
    ]
    assert avenant_validation_problems(given_again) == []
    assert given_again.replaced_end_date == datetime.date(2027, 6, 30)


def test_opening_an_avenant_after_one_that_only_prolongs_opens_the_next(client, caf_admin, signed):
    convention, _document = signed
    Avenant.objects.create_for(convention, caf_admin).prolong_until(UNTIL)
    client.force_login(caf_admin)

    client.post(reverse("avenant_create", args=[convention.pk]))

    assert list(convention.avenants.values_list("number", flat=True)) == [1, 2]


def test_a_signed_avenant_says_what_it_prolonged_and_takes_no_new_date(client, caf_admin, signed):
    convention, _document = signed
    avenant = Avenant.objects.create_for(convention, caf_admin)
    avenant.prolong_until(UNTIL)
    validate_avenant(avenant, caf_admin)
    sign_avenant(Avenant.objects.get(pk=avenant.pk), datetime.date(2026, 10, 1), caf_admin)
    client.force_login(caf_admin)

    page = html_text(client.get(reverse("avenant_detail", args=[convention.pk, 1])).content.decode())
    refused = prolong(client, convention, 1, "2027-06-30")

    assert "Cet avenant l'a prolongée jusqu'au 31 décembre 2027, au lieu du 31 décembre 2026." in page
    assert "Enregistrer la durée" not in page
    assert refused.status_code == 409
    assert escape("L'avenant est « Signé » : sa durée ne change plus, rien n'a été enregistré.") in (
        refused.content.decode()
    )
    assert Avenant.objects.get(pk=avenant.pk).new_end_date == UNTIL


def test_the_summary_lists_what_each_avenant_prolongs(client, caf_admin, signed):
    convention, _document = signed
    Avenant.objects.create_for(convention, caf_admin).prolong_until(UNTIL)
    Avenant.objects.create_for(convention, caf_admin)
    client.force_login(caf_admin)

    page = html_text(client.get(reverse("convention_edit", args=[convention.pk])).content.decode())

    assert "Avenant n°1 — Brouillon · prolongation jusqu'au 31/12/2027" in page
    assert "Avenant n°2 — Brouillon" in page and "Avenant n°2 — Brouillon · prolongation" not in page


def test_a_text_the_avenant_rewrites_prints_the_end_date_it_gives(caf_admin, signed):
    """The Nord's article « Durée » reads « conclue à compter du {{ date_debut }} jusqu'au {{ date_fin }} »:
    rewritten by an avenant that prolongs, it prints the new date, not the one it replaces."""
    convention, _document = signed
    avenant = Avenant.objects.create_for(convention, caf_admin)
    change = open_change(avenant, convention.articles.get(key="duree"))
    change.new_text = f"{change.old_text}\n\nLes parties se réunissent chaque année."
    change.save()
    avenant.prolong_until(UNTIL)

    text = html_text(preview_avenant(avenant))
    problems = avenant_validation_problems(avenant)
    validate_avenant(avenant, caf_admin)
    archived = pdf_text(read(sign_avenant(Avenant.objects.get(pk=avenant.pk), datetime.date(2026, 10, 1), caf_admin)))

    assert "jusqu'au 31 décembre 2027" in text and "jusqu'au 31 décembre 2026" not in text
    assert problems == []
    assert "jusqu'au 31 décembre 2027" in archived and "jusqu'au 31 décembre 2026" not in archived


def test_an_acte_d_engagement_is_prolonged_within_its_year_only(demo):
    """The Var's acte d'engagement runs from 01/01/2022 to 31/12/2022: a year is all it lasts."""
    avenant = Avenant(convention=demo["var-le-pradet-2022"])

    assert avenant.prolongation_errors(datetime.date(2023, 6, 30)) == [
        "Règle de durée : un acte d'engagement dure un an au plus ; la date de fin doit être au plus tard le "
        "31 décembre 2022."
    ]


def test_an_avenant_of_a_terminated_convention_is_no_longer_prolonged(client, caf_admin, signed):
    convention, _document = signed
    Avenant.objects.create_for(convention, caf_admin)
    terminate(convention, caf_admin, effective_on=datetime.date(2025, 6, 30), ground=TerminationGround.MUTUAL_CONSENT)
    client.force_login(caf_admin)

    response = prolong(client, convention, 1, "2027-12-31")

    assert response.status_code == 409
    assert escape("La convention est résiliée, l'avenant s'arrête où il en est : sa durée ne change plus") in (
        response.content.decode()
    )
    assert Avenant.objects.get(convention=convention).new_end_date is None


def test_a_signed_prolongation_adds_bilan_years_not_projection_columns(caf_admin, signed):
    """The projection tables keep the years signed: an avenant changes no table, so a column for the
    added year would stay empty for good."""
    convention, _document = signed
    avenant = Avenant.objects.create_for(convention, caf_admin)
    avenant.prolong_until(UNTIL)
    validate_avenant(avenant, caf_admin)
    sign_avenant(Avenant.objects.get(pk=avenant.pk), datetime.date(2026, 10, 1), caf_admin)

    prolonged = Convention.objects.get(pk=convention.pk)

    assert prolonged.years == [2023, 2024, 2025, 2026, 2027]  # a bilan annuel for 2027
    assert prolonged.projection_years == [2023, 2024, 2025, 2026]
    assert build_document(prolonged).data["years"] == [2023, 2024, 2025, 2026]
