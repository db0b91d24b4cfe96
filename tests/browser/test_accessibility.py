"""The main pages pass axe-core's checks: no serious or critical violation. The Caf agent's pages,
the commune's (plan d'actions, follow-up, tables, imports, bilans) and the Caf administrator's
(signature, verification, export, confirmation, password, équipements, an avenant and its
signatories, the Caf administration)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from conventions.models import Avenant, Convention, ConventionStatus, User
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}
USER = "agent-caf59"
REFERENCE = "nord-armentieres-2023"
# The 2025 national model is the one with the AO table and the projections (has_ao_tables), and an
# équipements annex; Collobrières, one of its signatories, has no délibération attached.
AO_REFERENCE = "national-2025-demo"
ADMIN = "admin-caf83"


def page_urls(convention):
    """Each page by name: the URL of the Nord's demo convention or of its parts."""
    article = next(article for article in convention.articles.order_by("position") if article.editable)
    annex = convention.annexes.get(kind="steering")
    plan_annex = convention.annexes.get(kind="action_plan")
    steering_body = convention.steering_bodies.first()
    return {
        "login": reverse("login"),
        "home": reverse("home"),
        "convention": reverse("convention_edit", args=[convention.pk]),
        "article edit": reverse("article_edit", args=[convention.pk, article.pk]),
        "annex edit": reverse("annex_edit", args=[convention.pk, annex.pk]),
        "annex row edit": reverse("row_edit", args=[convention.pk, "instances", steering_body.pk]),
        "plan annex": reverse("annex_edit", args=[convention.pk, plan_annex.pk]),
        "signatories": reverse("convention_signatories", args=[convention.pk]),
        "information": reverse("convention_info", args=[convention.pk]),
        "history": reverse("convention_history", args=[convention.pk]),
        "new convention": reverse("convention_create"),
    }


def commune_pages(convention, ao_convention):
    """Each page of a commune's chargé(e) de coopération by name: who opens it and its URL. The
    Nord's demo convention for Armentières; the AO tables on the 2025 national model's convention."""
    action = convention.axes.order_by("position").first().actions.order_by("position").first()
    return {
        "plan": ("cc-armentieres", reverse("plan", args=[convention.pk])),
        "fiche action": ("cc-armentieres", reverse("action_edit", args=[convention.pk, action.pk])),
        "new fiche action": ("cc-armentieres", reverse("action_add", args=[convention.pk, action.axis_id])),
        # Sent empty from the fiche action's page: the page again, with the form's errors.
        "follow-up errors": ("cc-armentieres", reverse("action_edit", args=[convention.pk, action.pk])),
        "dashboard": ("cc-armentieres", reverse("dashboard", args=[convention.pk])),
        "import": ("cc-armentieres", reverse("import_file", args=[convention.pk, "fiches-actions"])),
        "report": ("cc-armentieres", reverse("report", args=[convention.pk, "final"])),
        "ao table": ("cc-la-londe-les-maures", reverse("ao_table", args=[ao_convention.pk])),
        "projections": ("cc-la-londe-les-maures", reverse("projections", args=[ao_convention.pk])),
    }


def admin_pages(convention):
    """Each page of the Var's Caf administrator by name, on the 2025 national model's convention."""
    signatory = convention.signatories.get(collectivite__name="Collobrières")
    equipments = convention.annexes.get(kind="equipments")
    staff = User.objects.get(username="agent-caf83")
    return {
        "signature": reverse("convention_sign", args=[convention.pk]),
        "verify": reverse("verify"),
        "signed export": reverse("signed_export"),
        "signatory removal": reverse("signatory_remove", args=[convention.pk, signatory.pk]),
        "password change": reverse("password_change"),
        "equipments": reverse("annex_edit", args=[convention.pk, equipments.pk]),
        "accounts": reverse("administration_accounts"),
        "new account": reverse("administration_account_create"),
        "account": reverse("administration_account_edit", args=[staff.pk]),
        "new password": reverse("administration_account_password", args=[staff.pk]),
        "caf record": reverse("administration_caf"),
        "model options": reverse("administration_options"),
    }


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']} {node['html'][:200]}")
            lines.append(f"        {' '.join(node.get('failureSummary', '').split())}")
    return "\n".join(lines)


def test_the_caf_agents_pages_have_no_serious_or_critical_violation(page, demo_data):
    pages = page_urls(Convention.objects.get(reference=REFERENCE))
    checked = Checked(page)
    checked.visit("login", pages.pop("login"))
    log_in(page, USER)
    page.wait_for_url("/")
    for name, url in pages.items():
        checked.visit(name, url)
    page.goto(pages["article edit"])
    page.get_by_text("Mise en forme et champs automatiques").click()
    checked.check("article edit, its help open", page.url)

    checked.assert_no_blocking_violation()


def test_the_communes_pages_have_no_serious_or_critical_violation(page, demo_data):
    convention = Convention.objects.get(reference=REFERENCE)
    pages = commune_pages(convention, Convention.objects.get(reference=AO_REFERENCE))
    checked = Checked(page)
    for user in dict.fromkeys(user for user, _url in pages.values()):
        page.context.clear_cookies()
        log_in(page, user)
        page.wait_for_url("/")
        for name, (page_user, url) in pages.items():
            if page_user != user:
                continue
            if name == "follow-up errors":  # the fiche action's page, its follow-up form sent empty
                page.goto(url)
                page.get_by_role("button", name="Enregistrer le suivi").click()
                page.wait_for_url("**/suivi/")
                assert page.locator(".invalid-feedback").count(), "the follow-up form shows its errors"
                checked.check(name, page.url)
            else:
                checked.visit(name, url)

    checked.assert_no_blocking_violation()


def test_the_caf_administrators_pages_have_no_serious_or_critical_violation(page, demo_data):
    convention = Convention.objects.get(reference=AO_REFERENCE)
    pages = admin_pages(convention)
    signature = pages.pop("signature")
    checked = Checked(page)
    log_in(page, ADMIN)
    page.wait_for_url("/")
    for name, url in pages.items():
        checked.visit(name, url)
    Convention.objects.filter(pk=convention.pk).update(status=ConventionStatus.VALIDATED)  # then it is signed
    checked.visit("signature", signature)
    Convention.objects.filter(pk=convention.pk).update(status=ConventionStatus.SIGNED)  # then amended
    avenant = Avenant.objects.create_for(Convention.objects.get(pk=convention.pk), None)
    checked.visit("avenant", reverse("avenant_detail", args=[convention.pk, avenant.number]))
    checked.visit("avenant signatories", reverse("avenant_signatories", args=[convention.pk, avenant.number]))

    checked.assert_no_blocking_violation()


class Checked:
    """The pages one browser visits, each checked by axe-core; the test fails once, naming every
    page with a serious or critical violation. Each page must open as itself: a refusal or a
    redirection fails at once, so that no page drops out of the check unseen."""

    def __init__(self, page):
        self.page = page
        self.failures = []

    def visit(self, name, url):
        response = self.page.goto(url)
        assert response.ok and self.page.url.endswith(url), f"{name}: {url} refused or redirected to {self.page.url}"
        self.check(name, url)

    def check(self, name, url):
        violations = Axe().run(self.page).response["violations"]
        blocking = [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]
        if blocking:
            self.failures.append(f"{name} ({url}):\n{describe(blocking)}")

    def assert_no_blocking_violation(self):
        assert not self.failures, "\n\n".join(self.failures)
