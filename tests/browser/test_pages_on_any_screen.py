"""What a page does for whoever reads it: an error sent back is where the eyes and the keyboard are,
and a phone shows the whole page without scrolling sideways."""

import pytest
from playwright.sync_api import expect

from conventions.models import Convention
from plans.models import ActionSheet
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
COMMUNE_ACCOUNT = "cc-bormes-les-mimosas"  # a signatory of the national demo


def test_a_follow_up_refused_brings_its_form_into_view_with_the_field_to_correct_focused(page, demo_data):
    convention = Convention.objects.get(reference="national-2025-demo")
    action = ActionSheet.objects.filter(axis__convention=convention).order_by("axis__position", "position").first()
    log_in(page, COMMUNE_ACCOUNT)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/conventions/{convention.pk}/plan/actions/{action.pk}/")

    page.locator("#id_period").fill("2024-02-01")  # not the first day of a quarter
    page.get_by_role("button", name="Enregistrer le suivi").click()

    period = page.locator("#id_period")
    expect(period).to_be_focused()
    expect(period).to_be_in_viewport()
    expect(period).to_have_value("2024-02-01")


@pytest.mark.parametrize("path", ["/", "/conventions/{pk}/", "/conventions/{pk}/autorites-organisatrices/"])
def test_on_a_phone_the_page_is_no_wider_than_the_screen(page, demo_data, path):
    convention = Convention.objects.get(reference="national-2025-demo")
    page.set_viewport_size(PHONE)
    log_in(page, COMMUNE_ACCOUNT)
    page.goto(path.format(pk=convention.pk))

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_in_viewport()


def test_the_ao_table_names_its_fields_in_its_headers_and_still_to_screen_readers(page, demo_data):
    convention = Convention.objects.get(reference="national-2025-demo")
    log_in(page, COMMUNE_ACCOUNT)
    page.goto(f"/conventions/{convention.pk}/autorites-organisatrices/")

    first_label = page.locator("table label.form-label").first
    assert first_label.bounding_box()["width"] <= 1  # not printed again in every row
    expect(page.get_by_role("combobox", name="Collectivité").first).to_be_visible()
    assert page.get_by_role("combobox", name="Exercée par").first.bounding_box()["width"] >= 150
