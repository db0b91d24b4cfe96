"""The commune and the Caf edit the same fiche action while they negotiate: a save made from a
version someone changed meanwhile is refused, shows both versions and overwrites nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from plans.models import ActionSheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(nord_convention):
    return ActionSheet.objects.filter(axis__convention=nord_convention).order_by("axis__position", "position").first()


@pytest.fixture
def url(nord_convention, action):
    return reverse("action_edit", args=[nord_convention.pk, action.pk])


@pytest.fixture
def commune(commune_user):
    browser = Client()
    browser.force_login(commune_user)
    return browser


@pytest.fixture
def caf(caf_staff):
    browser = Client()
    browser.force_login(caf_staff)
    return browser


def opened_form(browser, url, **changes):
    """What the browser sends back from the form it was given, with `changes` typed in."""
    form = browser.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    return {**data, **changes}


def test_a_save_over_a_version_changed_meanwhile_is_refused_and_shows_both(commune, caf, commune_user, url, action):
    caf_form = opened_form(caf, url, target_public="Familles monoparentales")
    commune.post(url, opened_form(commune, url, target_public="Parents isolés du quartier"))

    response = caf.post(url, caf_form)

    assert response.status_code == 409
    page = response.content.decode()
    assert "modifiée pendant que vous l'éditiez" in page
    assert commune_user.username in page  # who saved meanwhile
    assert "Parents isolés du quartier" in page  # their version, in the table of differences
    assert response.context["form"]["target_public"].value() == "Familles monoparentales"  # mine, kept to send
    action.refresh_from_db()
    assert action.target_public == "Parents isolés du quartier"


def test_the_differences_name_only_the_fields_that_differ(commune, caf, url):
    caf_form = opened_form(caf, url, target_public="Familles monoparentales")
    commune.post(url, opened_form(commune, url, target_public="Parents isolés du quartier"))

    differences = caf.post(url, caf_form).context["differences"]

    assert [label for label, _saved, _typed in differences] == ["Public cible"]


def test_the_form_shown_after_a_refusal_saves_the_users_version(commune, caf, url, action):
    caf_form = opened_form(caf, url, target_public="Familles monoparentales")
    commune.post(url, opened_form(commune, url, target_public="Parents isolés du quartier"))
    page = caf.post(url, caf_form).content.decode()
    carried = re.search(r'name="opened_version" value="(\d+)"', page)[1]

    response = caf.post(url, {**caf_form, "opened_version": carried})

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.target_public == "Familles monoparentales"


def test_sending_the_form_again_keeps_what_the_other_saved_in_the_fields_left_alone(commune, caf, url, action):
    caf_form = opened_form(caf, url, target_public="Familles monoparentales")
    commune.post(url, opened_form(commune, url, partners="CCAS, centre social"))
    conflict = caf.post(url, caf_form)
    carried = re.search(r'name="opened_version" value="(\d+)"', conflict.content.decode())[1]

    assert conflict.context["differences"] == []  # not the same fields: nothing to choose between
    resent = {name: conflict.context["form"][name].value() or "" for name in caf_form} | {"opened_version": carried}
    assert caf.post(url, resent).status_code == 302
    action.refresh_from_db()
    assert (action.target_public, action.partners) == ("Familles monoparentales", "CCAS, centre social")


def test_a_save_from_the_current_version_goes_through(caf, url, action):
    response = caf.post(url, opened_form(caf, url, target_public="Familles monoparentales"))

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.target_public, action.version) == ("Familles monoparentales", 2)


def test_an_import_that_changes_the_fiche_makes_an_open_form_stale(commune, caf, nord_convention, url, action):
    caf_form = opened_form(caf, url, target_public="Familles monoparentales")
    import_url = reverse("import_file", args=[nord_convention.pk, "fiches-actions"])
    content = f"Axe;Action;Public cible\n{action.axis.title};{action.title};Parents isolés du quartier"
    upload = SimpleUploadedFile("fiches.csv", content.encode(), content_type="text/csv")
    token = commune.post(import_url, {"file": upload}).context["token"]
    commune.post(import_url, {"token": token})

    response = caf.post(url, caf_form)

    assert response.status_code == 409
    action.refresh_from_db()
    assert action.target_public == "Parents isolés du quartier"


def test_a_new_fiche_needs_no_version(caf, nord_convention):
    axis = nord_convention.axes.order_by("position").first()

    response = caf.post(reverse("action_add", args=[nord_convention.pk, axis.pk]), {"title": "Ouvrir un LAEP"})

    assert response.status_code == 302
    assert axis.actions.get(title="Ouvrir un LAEP").version == 1


def test_a_signed_fiche_reads_without_its_version(caf, nord_convention, url, action):
    type(nord_convention).objects.filter(pk=nord_convention.pk).update(status="signed")

    page = caf.get(url).content.decode()

    assert escape(action.title) in page
    assert "opened_version" not in page and "Opened version" not in page


def test_a_page_opened_without_a_version_says_to_reload_it(caf, url, action):
    sent = opened_form(caf, url, target_public="Familles monoparentales")
    del sent["opened_version"]  # a page opened before the fiches carried their version

    response = caf.post(url, sent)

    assert "Cette page a été ouverte avant une mise à jour de l&#x27;application" in response.content.decode()
    action.refresh_from_db()
    assert action.target_public != "Familles monoparentales"
