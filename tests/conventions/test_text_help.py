"""What the text editor tells its user: how to lay a text out, which placeholders exist and what
each prints, and that a heading typed in a text keeps a heading's look."""

from django.urls import reverse

from conventions.rendering.text import render_text
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
