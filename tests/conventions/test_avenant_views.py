"""The avenant's pages: opening an avenant, choosing the sections it changes and writing them, removing
a change, validating and signing; what they offer once the convention is terminated."""

import datetime

import pytest
from django.urls import reverse

from conventions.avenants import preview_avenant, validate_avenant
from conventions.lifecycle import change_status
from conventions.models import Avenant, AvenantChange, ConventionStatus
from tests.conventions.avenant_helpers import NEW_SENTENCE, amend
from tests.conventions.rendering_helpers import html_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


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
