"""What the pages' HTML gives assistive technologies, checked on the server's answer: tables named,
headings in order, titles that tell pages apart and say when a form came back with errors, an
error tied to its field, no live region that rereads a whole text. The browser side (focus and
announcements after an in-page change) is in tests/browser/test_focus_after_in_page_changes.py."""

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

HTMX = {"HX-Request": "true"}


def parsed(response):
    return lxml.html.fromstring(response.content.decode())


def title(response):
    return parsed(response).findtext(".//title").strip()


def heading_levels(page):
    return [int(heading.tag[1]) for heading in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def skipped_levels(levels):
    """Each heading that goes down more than one level from the one before it."""
    return [(before, after) for before, after in zip(levels, levels[1:], strict=False) if after > before + 1]


# Tables


@pytest.mark.parametrize("kind", ["steering", "diagnostic", "deliberations"])
def test_each_table_of_an_annex_is_named_by_a_caption_or_its_heading(client, caf_staff, nord_convention, kind):
    annex = nord_convention.annexes.get(kind=kind)
    client.force_login(caf_staff)

    page = parsed(client.get(reverse("annex_edit", args=[nord_convention.pk, annex.pk])))

    tables = page.findall(".//main//table")
    assert tables
    for table in tables:
        labelled_by = table.get("aria-labelledby")
        names = [table.findtext("caption")] + (
            [page.get_element_by_id(labelled_by).text_content()] if labelled_by else []
        )
        assert any(name and name.strip() for name in names), lxml.html.tostring(table)[:200]


# Headings


def test_the_history_of_a_convention_goes_down_its_headings_one_level_at_a_time(client, caf_staff, nord_convention):
    article = nord_convention.articles.filter(editable=True).order_by("position").first()
    url = reverse("article_edit", args=[nord_convention.pk, article.pk])
    client.force_login(caf_staff)
    version = client.get(url).context["form"]["opened_version"].value()
    client.post(url, {"text": "La commune et la Caf coopèrent.", "opened_version": version})

    page = parsed(client.get(reverse("convention_history", args=[nord_convention.pk])))

    assert page.xpath("//details//figcaption[normalize-space()='Avant']"), "a change shows its text before"
    levels = heading_levels(page)
    assert levels[0] == 1
    assert not skipped_levels(levels), levels


# Titles


def test_two_fiches_actions_have_titles_of_their_own(client, commune_user, nord_convention):
    first, second = nord_convention.axes.order_by("position").first().actions.order_by("position")[:2]
    client.force_login(commune_user)

    titles = [
        title(client.get(reverse("action_edit", args=[nord_convention.pk, action.pk]))) for action in (first, second)
    ]

    assert titles[0] != titles[1]
    assert first.title in titles[0]


def test_an_axis_page_is_titled_with_the_axis_even_after_a_refused_rename(client, commune_user, nord_convention):
    axis = nord_convention.axes.order_by("position").first()
    client.force_login(commune_user)
    url = reverse("axis_edit", args=[nord_convention.pk, axis.pk])

    assert axis.title in title(client.get(url))
    refused = client.post(url, {"title": ""})

    assert title(refused).startswith("Erreur de saisie — ")
    assert axis.title in title(refused)
    assert parsed(refused).xpath(f"//h2[normalize-space()='Axe : {axis.title}']")


def test_the_convention_summary_is_titled_apart_from_its_other_pages(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    assert title(client.get(reverse("convention_edit", args=[nord_convention.pk]))).startswith("Sommaire — ")


def test_a_page_shown_for_the_first_time_does_not_announce_an_error(client, commune_user, nord_convention):
    action = nord_convention.axes.order_by("position").first().actions.order_by("position").first()
    client.force_login(commune_user)

    for url in (
        reverse("action_edit", args=[nord_convention.pk, action.pk]),
        reverse("plan", args=[nord_convention.pk]),
        reverse("convention_signatories", args=[nord_convention.pk]),
        reverse("import_file", args=[nord_convention.pk, "fiches-actions"]),
    ):
        assert "Erreur" not in title(client.get(url)), url


def test_a_follow_up_sent_back_with_errors_says_so_in_the_pages_title(client, commune_user, nord_convention):
    action = nord_convention.axes.order_by("position").first().actions.order_by("position").first()
    client.force_login(commune_user)

    response = client.post(reverse("follow_up_add", args=[nord_convention.pk, action.pk]), {})

    assert title(response).startswith("Erreur de saisie — Fiche action « ")


def test_signatories_sent_back_with_errors_say_so_in_the_pages_title(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    response = client.post(reverse("convention_signatories", args=[nord_convention.pk]), {})

    assert response.status_code == 422
    assert title(response).startswith("Erreur de saisie — Signataires — ")


def test_a_row_refused_without_javascript_says_so_in_the_pages_title(client, var_caf_staff, national_convention):
    client.force_login(var_caf_staff)

    response = client.post(reverse("row_add", args=[national_convention.pk, "equipements"]), {})

    assert response.status_code == 422
    assert title(response).startswith("Erreur de saisie — ")


# Errors tied to their field


def test_a_refused_import_file_is_tied_to_its_error_and_help(client, commune_user, nord_convention):
    client.force_login(commune_user)
    url = reverse("import_file", args=[nord_convention.pk, "fiches-actions"])
    upload = SimpleUploadedFile("fiches.txt", b"not a spreadsheet", content_type="text/plain")

    response = client.post(url, {"file": upload})

    assert response.status_code == 422
    page = parsed(response)
    assert title(response).startswith("Erreur — ")
    field = page.get_element_by_id("import-file")
    assert field.get("aria-invalid") == "true"
    described = [page.get_element_by_id(id_).text_content() for id_ in field.get("aria-describedby").split()]
    assert page.xpath("//*[@role='alert'][not(@hidden)]")[0].text_content() in described
    assert any("aperçu" in text for text in described)


def test_an_import_file_not_yet_sent_is_tied_to_its_help_only(client, commune_user, nord_convention):
    client.force_login(commune_user)

    page = parsed(client.get(reverse("import_file", args=[nord_convention.pk, "fiches-actions"])))

    field = page.get_element_by_id("import-file")
    assert field.get("aria-invalid") is None
    assert field.get("aria-describedby") == "import-help"


# Live regions and announcements


def test_the_text_preview_is_not_a_live_region(client, caf_staff, nord_convention):
    article = nord_convention.articles.filter(editable=True).order_by("position").first()
    client.force_login(caf_staff)

    page = parsed(client.get(reverse("article_edit", args=[nord_convention.pk, article.pk])))

    preview = page.get_element_by_id("live-preview")
    assert preview.get("aria-live") in (None, "off")
    assert preview.get("role") not in ("status", "log", "alert")


def test_a_row_added_or_deleted_in_place_has_a_message_and_a_status_region_to_be_announced_in(
    client, caf_staff, nord_convention
):
    annex = nord_convention.annexes.get(kind="steering")
    client.force_login(caf_staff)

    page = parsed(client.get(reverse("annex_edit", args=[nord_convention.pk, annex.pk])))

    status = page.get_element_by_id("request-status")
    assert status.get("role") == "status"
    assert not status.text_content().strip()
    assert page.get_element_by_id("add-instances").get("data-done-message").startswith("Nouvelle ligne enregistrée")
    deletions = page.xpath("//tbody[@id='rows-instances']//form[@hx-post]")
    assert deletions
    assert all(form.get("data-done-message").startswith("Ligne supprimée") for form in deletions)
