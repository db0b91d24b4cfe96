"""A row added or deleted in place (htmx), used from the keyboard: the focus never falls back to the
top of the page, and what was done is announced in the page's status region."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conventions.models import Convention
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "() => document.activeElement.id || document.activeElement.tagName"


@pytest.fixture
def steering_page(page, demo_data):
    """The Nord demo's steering annex, open as its Caf's agent: its instances table and add form."""
    convention = Convention.objects.get(reference="nord-armentieres-2023")
    annex = convention.annexes.get(kind="steering")
    log_in(page, "agent-caf59")
    page.wait_for_url("/")
    page.goto(reverse("annex_edit", args=[convention.pk, annex.pk]))
    return page


def send_from_the_keyboard(page, button):
    button.focus()
    page.keyboard.press("Enter")


def test_the_add_form_sent_back_with_errors_puts_the_focus_on_the_first_field_to_correct(steering_page):
    page = steering_page
    form = page.locator("#add-instances")

    send_from_the_keyboard(page, form.get_by_role("button", name="Ajouter"))

    field = page.locator("#id_instances-dispositif")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(field).to_have_accessible_description("Ce champ est obligatoire.")


def test_a_row_added_then_deleted_is_announced_and_the_focus_stays_in_its_table(steering_page):
    page = steering_page
    form = page.locator("#add-instances")
    form.get_by_label("Dispositif").fill("Comité technique")
    form.get_by_label("Nom").fill("Comité des financeurs")

    send_from_the_keyboard(page, form.get_by_role("button", name="Ajouter"))

    row = page.locator("#rows-instances").get_by_role("row").filter(has_text="Comité des financeurs")
    expect(row).to_be_visible()
    expect(page.locator("#request-status")).to_have_text(
        "Nouvelle ligne enregistrée dans le tableau « Instances de pilotage »."
    )
    expect(form.get_by_role("button", name="Ajouter")).to_be_focused()

    page.once("dialog", lambda dialog: dialog.accept())
    send_from_the_keyboard(page, row.get_by_role("button", name="Supprimer"))

    expect(row).to_have_count(0)
    expect(page.locator("#request-status")).to_contain_text("Ligne supprimée")
    expect(page.get_by_role("heading", name="Instances de pilotage")).to_be_focused()
    assert page.evaluate(FOCUSED) == "table-instances"
