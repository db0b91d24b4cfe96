"""Editing a convention in the browser, as its users do: with the labels, roles and keys they see."""

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from conventions.demo_accounts import DEMO_PASSWORD
from conventions.models import Convention
from tests.browser.conftest import log_in
from tests.conventions.rendering_helpers import html_text, normalise, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NATIONAL_MODEL = "Modèle national de CTG 2025 (Cnaf)"
EPCI = "Communauté de communes Méditerranée Porte des Maures"
COMMUNE = "La Londe-les-Maures"
SENTENCE = "Le comité de pilotage se réunira aussi à Bormes sous les mimosas en fleurs."
EQUIPMENT = "Crèche des Tamaris en fleurs"
EQUIPMENTS_ANNEX = "Liste des équipements et services soutenus par la collectivité locale compétente"
CAF_PRESIDES = "Le comité de pilotage est présidé par la Caf."
ALTERNATING = "La présidence du comité de pilotage est assurée alternativement"


def label(text):
    """A field's label as crispy-forms writes it: the text, an asterisk when the field is required,
    and the template's blank space around them (a regular expression meets the label unnormalised)."""
    return re.compile(rf"^\s*{re.escape(text)}\*?\s*$")


def fill_representative(party, civility, first_name, last_name, function, signature_title):
    """The blank row of a party's representatives: the first one whose first name is empty."""
    row = party.locator(".row").filter(has=party.page.locator("input[name$='-first_name']:not([value])")).first
    row.get_by_label(label("Civilité")).select_option(civility)
    row.get_by_label(label("Prénom")).fill(first_name)
    row.get_by_label(label("Nom")).fill(last_name)
    row.get_by_label(label("Fonction")).fill(function)
    row.get_by_label(label("Titre du bloc de signature")).fill(signature_title)


def open_summary(page):
    """The convention's page, once loaded with its preview pane: the server renders the preview for a
    few seconds, and the test goes on when it is done."""
    page.get_by_role("link", name="Sommaire").click()
    page.wait_for_url(re.compile(r"/conventions/\d+/$"), wait_until="load")


def test_caf_staff_creates_and_edits_a_convention_on_the_national_model(page, demo_data):
    log_in(page, "agent-caf83")
    expect(page.get_by_role("heading", name="Mes conventions")).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load from the static files"

    # Creation: model, general information, collectivités found with htmx.
    page.get_by_role("link", name="Nouvelle convention").click()
    expect(page.get_by_role("heading", name="Nouvelle convention")).to_be_visible()
    page.get_by_label(label("Modèle")).select_option(label=NATIONAL_MODEL)
    page.get_by_label(label("Référence")).fill("porte-des-maures-2026")
    page.get_by_label(label("Titre")).fill(
        "Convention territoriale globale de Méditerranée Porte des Maures 2026-2030"
    )
    page.get_by_label(label("Territoire")).fill("la communauté de communes Méditerranée Porte des Maures")
    page.get_by_label(label("Date de début")).fill("2026-01-01")
    page.get_by_label(label("Date de fin")).fill("2030-12-31")
    search = page.get_by_role("searchbox", name="Rechercher une commune ou un EPCI")
    search.fill("Porte des Maures")
    page.get_by_role("button", name=f"Ajouter {EPCI}").click()
    expect(page.get_by_role("checkbox", name=f"{EPCI} (EPCI)")).to_be_checked()
    search.fill("Londe")
    page.get_by_role("button", name=f"Ajouter {COMMUNE}").click()
    expect(page.get_by_role("checkbox", name=re.compile(rf"^{COMMUNE} \("))).to_be_checked()
    page.get_by_role("button", name="Créer la convention").click()

    # Signatories: the representative of each collectivité, in its blank row.
    expect(page.get_by_text("Convention créée.")).to_be_visible()
    expect(page.get_by_role("link", name="Signataires", exact=True)).to_have_attribute("aria-current", "page")
    convention = Convention.objects.get(reference="porte-des-maures-2026")
    epci = page.get_by_role("group", name=re.compile(r"Méditerranée Porte des Maures$"))
    fill_representative(epci, "Monsieur", "Alain", "REYNAUD", "son président", "Le Président")
    commune = page.get_by_role("group", name=re.compile(r"La Londe-les-Maures$"))
    fill_representative(commune, "Madame", "Hélène", "ROUSSEL", "son maire", "Le Maire")
    page.get_by_role("button", name="Enregistrer les signataires").click()
    expect(page.get_by_text("Signataires enregistrés.")).to_be_visible()
    assert set(
        convention.signatories.filter(collectivite__isnull=False).values_list("representatives__last_name", flat=True)
    ) == {"REYNAUD", "ROUSSEL"}

    # An article: the live preview shows what is typed, then it is saved.
    open_summary(page)
    page.get_by_role("link", name="Modalités de collaboration").click()
    text = page.get_by_label("Texte de l'article (Markdown)")
    text.click()
    text.press("Control+End")
    text.press_sequentially(f"\n\n{SENTENCE}")
    expect(page.locator("#live-preview")).to_contain_text(SENTENCE)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("« Modalités de collaboration » enregistré.")).to_be_visible()
    expect(page.get_by_label("Texte de l'article (Markdown)")).to_have_value(re.compile(re.escape(SENTENCE)))

    # An option of the model.
    open_summary(page)
    presidency = page.get_by_role("group", name=label("Présidence du comité de pilotage"))
    presidency.get_by_role("radio", name="Présidence par la Caf").check()
    page.get_by_role("button", name="Enregistrer les options").click()
    expect(page.get_by_text("Options enregistrées.")).to_be_visible()
    page.wait_for_load_state("load")
    expect(page.get_by_role("radio", name="Présidence par la Caf")).to_be_checked()

    # An équipement added in place, with htmx: the page is not reloaded.
    page.get_by_role("link", name=EQUIPMENTS_ANNEX, exact=True).click()
    page.evaluate("window.notReloaded = true")
    form = page.locator("form#add-equipements")
    form.get_by_label(label("Type de structure")).select_option(label="Micro-crèche Paje")
    form.get_by_label(label("Nom")).fill(EQUIPMENT)
    form.get_by_role("button", name="Ajouter").click()
    expect(page.locator("#rows-equipements").get_by_role("row").filter(has_text=EQUIPMENT)).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    expect(form.get_by_label(label("Nom"))).to_have_value("")

    # The preview and the PDF hold all three, and only the chosen wording of the option.
    page.goto(f"/conventions/{convention.pk}/apercu/")
    preview = html_text(page.content())
    page.goto(f"/conventions/{convention.pk}/")
    # Pre-rendered after the last save (the tests' task backend runs it at once): ready.
    expect(page.get_by_role("status").filter(has_text="PDF")).to_have_text("PDF à jour")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    download = download_info.value
    assert download.suggested_filename == "porte-des-maures-2026.pdf"
    printed = pdf_text(Path(download.path()).read_bytes())
    for document in (preview, printed):
        assert normalise(SENTENCE) in document
        assert EQUIPMENT in document
        assert CAF_PRESIDES in document
    for document in (preview, printed):
        assert "::: if" not in document, "the option blocks of the article saved in the browser are printed as text"
        assert normalise(ALTERNATING) not in document, "a wording of the option that was not chosen is printed"


def test_commune_that_does_not_sign_gets_404_and_does_not_see_the_convention(page, demo_data):
    convention = Convention.objects.get(reference="national-2025-demo")
    log_in(page, "cc-armentieres")
    expect(page.get_by_role("heading", name="Mes conventions")).to_be_visible()
    expect(page.get_by_role("link", name="nord-armentieres-2023", exact=True).first).to_be_visible()
    expect(page.get_by_text("national-2025-demo")).to_have_count(0)
    expect(page.get_by_text("Porte des Maures")).to_have_count(0)

    response = page.goto(f"/conventions/{convention.pk}/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    expect(page.get_by_text("Porte des Maures")).to_have_count(0)


def test_login_with_the_keyboard_only(page, demo_data):
    page.goto("/comptes/login/")
    # Django's login form puts the focus in the username field; without it, Tab reaches the field.
    focused = "document.activeElement && document.activeElement.id"
    for _ in range(5):
        if page.evaluate(focused) == "id_username":
            break
        page.keyboard.press("Tab")
    assert page.evaluate(focused) == "id_username"
    page.keyboard.type("agent-caf59")
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "id_password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Mes conventions")).to_be_visible()
    assert urlparse(page.url).path == "/"


@pytest.fixture
def page_without_javascript(_requests_finished, browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_without_javascript_caf_staff_creates_a_convention_and_adds_a_signatory(page_without_javascript, demo_data):
    page = page_without_javascript
    log_in(page, "agent-caf83")
    page.goto("/conventions/nouvelle/")
    assert page.evaluate("typeof window.htmx") == "undefined"

    # The search reloads the page (a <noscript> note says to choose the collectivités first: Playwright
    # only stops scripts, the page is still parsed as with them); "Ajouter" brings it back ticked.
    search = page.get_by_role("searchbox", name="Rechercher une commune ou un EPCI")
    search.fill("porte des maures")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name=f"Ajouter {EPCI}").click()
    expect(page.get_by_role("checkbox", name=f"{EPCI} (EPCI)")).to_be_checked()
    page.get_by_role("searchbox", name="Rechercher une commune ou un EPCI").fill("introuvable")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Aucune collectivité trouvée pour « introuvable »")).to_be_visible()
    page.get_by_label(label("Référence")).fill("porte-des-maures-sans-js")
    page.get_by_label(label("Modèle")).select_option(label=NATIONAL_MODEL)
    page.get_by_label(label("Titre")).fill("Convention territoriale globale sans JavaScript")
    page.get_by_label(label("Territoire")).fill("la communauté de communes Méditerranée Porte des Maures")
    page.get_by_label(label("Date de début")).fill("2026-01-01")
    page.get_by_label(label("Date de fin")).fill("2030-12-31")
    page.get_by_role("button", name="Créer la convention").click()
    expect(page.get_by_text("Convention créée.")).to_be_visible()

    # On the signatories page, "Ajouter" adds the collectivité found at once.
    page.get_by_role("searchbox", name="Rechercher une commune ou un EPCI").fill("londe les maures")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name=f"Ajouter {COMMUNE}").click()
    expect(page.get_by_text(f"Ajouté(s) aux signataires : {COMMUNE}.")).to_be_visible()
    convention = Convention.objects.get(reference="porte-des-maures-sans-js")
    assert [str(signatory) for signatory in convention.signatories.order_by("position")][1:] == [EPCI, COMMUNE]
