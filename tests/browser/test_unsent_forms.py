"""A text typed while the session ran out is not lost: after the login, it is back in its form."""

import pytest
from playwright.sync_api import expect

from conventions.demo_accounts import DEMO_PASSWORD
from conventions.models import Convention, ConventionStatus
from tests.browser.conftest import end_the_session, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Le comité de pilotage se réunit deux fois par an, à Armentières puis à Lille."
GIVEN_BACK = "Ce que vous aviez saisi avant la fin de votre session a été remis dans ce formulaire."


@pytest.fixture
def article_typed_then_session_ended(page, demo_data):
    """The Nord demo's first editable article, a new text typed in it, then the session ended and
    « Enregistrer » clicked: (the article, the agent's username)."""
    convention = Convention.objects.get(reference="nord-armentieres-2023")
    article = convention.articles.filter(editable=True).order_by("position").first()
    username = f"agent-caf{convention.caf.code}"
    log_in(page, username)
    page.goto(f"/conventions/{convention.pk}/articles/{article.pk}/")
    page.locator("#id_text").fill(TYPED)
    end_the_session(page)
    page.get_by_role("button", name="Enregistrer").click()
    return article, username


def log_in_again(page, username):
    expect(page.get_by_role("status").filter(has_text="Votre session a pris fin")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_the_text_is_back_in_its_form_after_the_login_and_saves(page, article_typed_then_session_ended):
    article, username = article_typed_then_session_ended

    log_in_again(page, username)

    expect(page.get_by_text(GIVEN_BACK)).to_be_visible()
    expect(page.locator("#id_text")).to_have_value(TYPED)
    article.refresh_from_db()
    assert article.text != TYPED
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").filter(has_text="enregistré")).to_be_visible()
    article.refresh_from_db()
    assert article.text == TYPED


def test_a_text_saved_by_someone_else_meanwhile_is_not_overwritten(page, article_typed_then_session_ended):
    article, username = article_typed_then_session_ended
    log_in_again(page, username)
    expect(page.locator("#id_text")).to_have_value(TYPED)

    # Saved from another browser while the session was over.
    article.text = "Le texte d'un collègue."
    article.save_if_unchanged(article.version)
    page.get_by_role("button", name="Enregistrer").click()

    article.refresh_from_db()
    assert article.text == "Le texte d'un collègue."
    expect(page.get_by_text(TYPED).first).to_be_visible()  # shown beside the saved text, not lost


def test_a_text_whose_form_is_gone_meanwhile_is_shown_to_be_copied(page, article_typed_then_session_ended):
    article, username = article_typed_then_session_ended
    # Signed meanwhile, from another browser: the article page no longer has a form.
    Convention.objects.filter(pk=article.convention_id).update(status=ConventionStatus.SIGNED)

    log_in_again(page, username)

    expect(page.get_by_text("le formulaire n'est plus sur cette page. Le voici, pour le copier")).to_be_visible()
    expect(page.locator(".unsent-text").filter(has_text=TYPED)).to_be_visible()
