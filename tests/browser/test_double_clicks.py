"""A button clicked again while its page loads sends its form once."""

import re
import time

import pytest
from playwright.sync_api import expect

from conventions.models import Convention
from plans import views as plan_views
from plans.models.plan import AxisQuerySet
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERVER_DELAY = 0.5  # seconds: long enough for an impatient second click to land


def slowed(function):
    def slow(*args, **kwargs):
        time.sleep(SERVER_DELAY)
        return function(*args, **kwargs)

    return slow


def click_twice(button):
    """A click, then another while the server still works on the first (from the page itself:
    Playwright would wait for the page the first click asked for)."""
    button.evaluate(f"button => {{ button.click(); setTimeout(() => button.click(), {SERVER_DELAY * 1000 / 3}); }}")


def test_an_axis_added_with_a_second_click_is_added_once(page, demo_data, monkeypatch):
    monkeypatch.setattr(AxisQuerySet, "add_at_the_end", slowed(AxisQuerySet.add_at_the_end))
    convention = Convention.objects.get(reference="nord-armentieres-2023")
    axes_before = convention.axes.count()
    log_in(page, f"agent-caf{convention.caf.code}")
    page.goto(f"/conventions/{convention.pk}/plan/")
    page.get_by_label(re.compile(r"Intitulé de l'axe")).fill("Accompagner les familles vers l'emploi")

    click_twice(page.get_by_role("button", name="Ajouter l'axe"))

    expect(page.get_by_role("heading", name=re.compile("Accompagner les familles vers l'emploi"))).to_be_visible()
    time.sleep(2 * SERVER_DELAY)  # a second request, if one was sent, has ended
    assert convention.axes.count() == axes_before + 1


def test_a_fiche_moved_up_with_a_second_click_moves_one_place(page, demo_data, monkeypatch):
    monkeypatch.setattr(plan_views, "swap_with_neighbour", slowed(plan_views.swap_with_neighbour))
    convention = Convention.objects.get(reference="yvelines-aubergenville-2024")
    axis = next(axis for axis in convention.axes.all() if axis.actions.count() >= 3)
    last = axis.actions.order_by("position").last()
    log_in(page, f"agent-caf{convention.caf.code}")
    page.goto(f"/conventions/{convention.pk}/plan/")

    click_twice(page.get_by_role("button", name=f"Monter {last.title}", exact=True))

    page.wait_for_load_state("networkidle")
    time.sleep(2 * SERVER_DELAY)
    order = list(axis.actions.order_by("position").values_list("pk", flat=True))
    assert order.index(last.pk) == len(order) - 2
