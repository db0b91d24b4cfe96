"""The commune's side and the end of the loop, in the browser."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conventions.models import Convention
from plans.models import FollowUp
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = "Familles monoparentales du quartier du Bizet"


def test_a_commune_fills_a_fiche_and_a_quarterly_update_that_the_caf_sees_on_the_dashboard(page, demo_data):
    convention = Convention.objects.get(reference="nord-armentieres-2023")
    log_in(page, "cc-armentieres")
    page.goto(f"/conventions/{convention.pk}/plan/")
    first_action = page.locator("table").first.get_by_role("link").first
    title = first_action.inner_text()
    first_action.click()
    page.get_by_label(re.compile(r"^\s*Public cible\s*$")).fill(PUBLIC)
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_text("enregistrée")).to_be_visible()

    page.get_by_role("link", name=title).click()
    page.get_by_label(re.compile(r"^\s*Trimestre")).fill("2025-04-01")
    page.get_by_label(re.compile(r"^\s*État")).select_option(label="En cours")
    page.get_by_label(re.compile(r"^\s*Avancement")).fill("60")
    page.get_by_label(re.compile(r"^\s*Commentaire")).fill("Deux permanences ouvertes.")
    page.get_by_role("button", name="Enregistrer le suivi").click()
    expect(page.get_by_text("Suivi trimestriel enregistré.")).to_be_visible()
    author = re.compile(re.escape("Chargé(e) de coopération de la commune d'Armentières"))
    expect(page.get_by_role("cell", name=author)).to_be_visible()
    assert FollowUp.objects.get().author.username == "cc-armentieres"

    page.context.clear_cookies()
    log_in(page, "agent-caf59")
    page.goto(f"/conventions/{convention.pk}/tableau-de-bord/")
    actions_in_axis = convention.axes.order_by("position").first().actions.count()
    expected = round(60 / actions_in_axis)
    expect(page.get_by_role("cell", name=f"{expected} %").first).to_be_visible()
    expect(page.locator("svg[role=img] desc")).to_contain_text(f"Axe 1 : {expected} %")


def test_an_administrator_validates_signs_and_exports_a_demo_convention(page, demo_data):
    convention = Convention.objects.get(reference="nord-armentieres-2023")
    log_in(page, "admin-caf59")
    page.goto(f"/conventions/{convention.pk}/")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Statut : Validée.")).to_be_visible()
    page.get_by_role("link", name="Enregistrer la signature").click()
    for date_field in page.get_by_label(re.compile("Date de signature")).all():
        date_field.fill("2023-01-18")
    page.get_by_role("button", name="Enregistrer la signature").click()
    expect(page.get_by_text(re.compile("Signature enregistrée"))).to_be_visible()
    expect(page.get_by_role("heading", name="Statut : Signée")).to_be_visible()

    page.goto("/")
    page.get_by_role("link", name="Exporter les conventions signées").click()
    page.wait_for_load_state("load")  # the progress script is in place
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le ZIP").click()
    expect(page.locator("#signed-export-status")).to_have_text("Archive prête.")
    assert page.locator("#signed-export-progress").get_attribute("value") == "100"
    archive = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert "nord-armentieres-2023/nord-armentieres-2023-signee.pdf" in archive.namelist()
    assert "nord-armentieres-2023" in archive.read("manifeste.csv").decode("utf-8-sig")
