"""What the text editor tells its user: how to lay a text out, which placeholders exist and what
each prints, and that a heading typed in a text keeps a heading's look."""

from html import unescape

from django.urls import reverse

from conventions.models import Annex, Article, Role
from conventions.rendering.text import render_text
from tests.conventions.factories import UserFactory
from tests.conventions.rendering_helpers import html_text


def editable_article_url(convention):
    article = convention.articles.filter(editable=True).order_by("position").first()
    return reverse("article_edit", args=[convention.pk, article.pk])


def test_headings_typed_in_a_text_become_subheadings_under_its_title():
    html = render_text("# Les engagements\n\nTexte.\n\n## Le suivi\n\n#### Détail", {}, {})

    assert "<h3>Les engagements</h3>" in html
    assert "<h3>Le suivi</h3>" in html
    assert "<h4>Détail</h4>" in html


def test_the_editor_lists_each_placeholder_with_what_it_prints_in_this_convention(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    page = html_text(client.get(editable_article_url(nord_convention)).content.decode())

    assert "Mise en forme et champs automatiques" in page
    assert f"{{{{ territoire }}}} {nord_convention.territory}" in page
    assert "{{ date_debut }} 1er janvier 2023" in page
    assert "{{ nombre_pages }} compté à l'impression" in page


def test_an_empty_placeholder_is_listed_as_to_complete(client, caf_staff, nord_convention):
    nord_convention.signature_place = ""
    nord_convention.save()
    client.force_login(caf_staff)

    page = html_text(client.get(editable_article_url(nord_convention)).content.decode())

    assert "{{ lieu_signature }} à compléter" in page


def test_a_commune_reading_an_article_gets_no_editing_help(client, commune_user, nord_convention):
    client.force_login(commune_user)

    page = client.get(editable_article_url(nord_convention)).content.decode()

    assert "Mise en forme et champs automatiques" not in page


def test_the_annex_editor_shows_where_the_table_prints_instead_of_the_table_line(client, demo):
    convention = demo["yvelines-aubergenville-2024"]
    annex = convention.annexes.get(kind="steering")
    client.force_login(UserFactory(role=Role.CAF_STAFF, caf=convention.caf))

    page = client.get(reverse("annex_edit", args=[convention.pk, annex.pk]))
    typed = client.post(
        reverse("section_preview", args=[convention.pk]), {"text": "Avant.\n\n::: tableau\n\nAprès."}
    ).content.decode()

    preview = unescape(page.context["preview_html"])
    assert "Ici s'imprime le tableau de l'annexe." in preview and "::: tableau" not in preview
    assert "::: tableau seul sur sa ligne" in html_text(page.content.decode())
    typed = unescape(typed)
    assert typed.index("Avant.") < typed.index("Ici s'imprime le tableau") < typed.index("Après.")


def test_an_article_editor_does_not_offer_the_table_line(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    page = html_text(client.get(editable_article_url(nord_convention)).content.decode())

    assert "::: tableau" not in page


def opened_version(response):
    return response.context["form"]["opened_version"].value()


def test_the_table_line_in_an_article_is_refused_and_the_article_keeps_its_text(client, caf_staff, nord_convention):
    article = nord_convention.articles.filter(editable=True).order_by("position").first()
    url = reverse("article_edit", args=[nord_convention.pk, article.pk])
    client.force_login(caf_staff)

    response = client.post(
        url, {"text": "Avant.\n\n::: tableau\n\nAprès.", "opened_version": opened_version(client.get(url))}
    )

    assert "ce texte n'a pas de tableau : retirez cette ligne" in html_text(response.content.decode())
    assert Article.objects.get(pk=article.pk).text == article.text


def test_the_table_line_is_taken_in_an_annex_with_a_table(client, demo):
    convention = demo["yvelines-aubergenville-2024"]
    annex = convention.annexes.get(kind="steering")
    url = reverse("annex_edit", args=[convention.pk, annex.pk])
    client.force_login(UserFactory(role=Role.CAF_STAFF, caf=convention.caf))

    client.post(url, {"text": "Avant.\n\n::: tableau\n\nAprès.", "opened_version": opened_version(client.get(url))})

    assert Annex.objects.get(pk=annex.pk).text == "Avant.\n\n::: tableau\n\nAprès."
