"""A change made in place (htmx) that the server refuses leaves the page as it was, and says why."""

import pytest
from playwright.sync_api import expect

from conventions.models import Convention, ConventionStatus
from tests.browser.conftest import end_the_session, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EQUIPMENTS_ANNEX = "Liste des équipements et services soutenus par la collectivité locale compétente"


@pytest.fixture
def equipments_page(page, demo_data):
    """The national demo's équipements annex, open as its Caf's agent: (convention, équipement, its row)."""
    convention = Convention.objects.get(reference="national-2025-demo")
    equipment = convention.equipments.order_by("position").first()
    log_in(page, f"agent-caf{convention.caf.code}")
    page.goto(f"/conventions/{convention.pk}/")
    page.get_by_role("link", name=EQUIPMENTS_ANNEX, exact=True).click()
    return convention, equipment, page.locator("#rows-equipements").get_by_role("row").filter(has_text=equipment.name)


def test_a_row_deleted_after_the_convention_was_signed_stays_and_the_page_says_why(page, equipments_page):
    convention, equipment, row = equipments_page
    # Signed meanwhile, from another browser.
    Convention.objects.filter(pk=convention.pk).update(status=ConventionStatus.SIGNED)

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Supprimer").click()

    expect(page.get_by_role("alert")).to_contain_text("Action refusée : la convention a peut-être été signée")
    expect(row).to_be_visible()
    assert convention.equipments.filter(pk=equipment.pk).exists()


def test_an_in_place_change_after_the_session_ended_keeps_the_page_and_says_so(page, equipments_page):
    _convention, _equipment, row = equipments_page
    end_the_session(page)

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Supprimer").click()

    expect(page.get_by_role("alert")).to_contain_text("Votre session a pris fin")
    expect(row).to_be_visible()
    expect(page.locator("#rows-equipements form").first).to_be_visible()
