"""The main pages pass axe-core's checks: no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from conventions.models import Convention
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}
USER = "agent-caf59"
REFERENCE = "nord-armentieres-2023"


def page_urls(convention):
    """Each page by name: the URL of the Nord's demo convention or of its parts."""
    article = next(article for article in convention.articles.order_by("position") if article.editable)
    annex = convention.annexes.get(kind="steering")
    return {
        "login": reverse("login"),
        "home": reverse("home"),
        "convention": reverse("convention_edit", args=[convention.pk]),
        "article edit": reverse("article_edit", args=[convention.pk, article.pk]),
        "annex edit": reverse("annex_edit", args=[convention.pk, annex.pk]),
        "signatories": reverse("convention_signatories", args=[convention.pk]),
        "information": reverse("convention_info", args=[convention.pk]),
        "history": reverse("convention_history", args=[convention.pk]),
        "new convention": reverse("convention_create"),
    }


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']} {node['html'][:200]}")
            lines.append(f"        {' '.join(node.get('failureSummary', '').split())}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    "name",
    [
        "login",
        "home",
        "convention",
        "article edit",
        "annex edit",
        "signatories",
        "information",
        "history",
        "new convention",
    ],
)
def test_page_has_no_serious_or_critical_violation(page, demo_data, name):
    url = page_urls(Convention.objects.get(reference=REFERENCE))[name]
    if name != "login":
        log_in(page, USER)
        page.wait_for_url("/")
    page.goto(url)

    violations = Axe().run(page).response["violations"]

    blocking = [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{name} ({url}):\n{describe(blocking)}"
