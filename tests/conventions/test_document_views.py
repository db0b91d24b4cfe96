"""The pages that show a convention: the home list, the HTML preview and the PDF download."""

import re

import pytest
from django.urls import reverse

from conventions.rendering.document import build_document
from conventions.rendering.output import document_html
from tests.conventions.factories import ConventionFactory
from tests.conventions.rendering_helpers import html_text, normalise, pdf_pages, pdf_text

NORD = "nord-armentieres-2023"
DEMO_REFERENCES = {
    "isere-demo",
    "national-2025-demo",
    NORD,
    "var-le-pradet-2022",
    "yvelines-aubergenville-2024",
}


@pytest.fixture(autouse=True)
def _pdf_cache_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def client_as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def edit_article(convention, key, text):
    article = convention.articles.get(key=key)
    article.text = f"{article.text.rstrip()}\n\n{text}\n"
    article.save()


def listed_references(response):
    """The demo references the home page shows in its table."""
    content = response.content.decode()
    return {reference for reference in DEMO_REFERENCES if f">{reference}</a></td>" in content}


@pytest.mark.parametrize("url_name", ["convention_preview", "convention_pdf"], ids=["preview", "pdf"])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        pytest.param(None, 302, id="anonymous is sent to the login page"),
        pytest.param("caf_admin", 200, id="Caf administrator of the Nord reads it"),
        pytest.param("caf_staff", 200, id="Caf staff of the Nord reads it"),
        pytest.param("commune_user", 200, id="the signing commune reads it"),
        pytest.param("other_caf_staff", 404, id="another Caf gets 404"),
        pytest.param("other_commune_user", 404, id="another commune gets 404"),
        pytest.param("superuser", 200, id="superuser reads it"),
    ],
)
def test_who_may_read_the_nord_convention(request, client, nord_convention, url_name, role, status):
    user = request.getfixturevalue(role) if role else None
    url = reverse(url_name, args=[nord_convention.pk])

    response = client_as(client, user).get(url)

    assert response.status_code == status
    if status == 302:
        assert response.url == f"/comptes/login/?next={url}"


def test_the_pdf_downloads_as_a_file_named_for_the_reference(client, caf_staff, nord_convention):
    response = client_as(client, caf_staff).get(reverse("convention_pdf", args=[nord_convention.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{NORD}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_pdf_is_not_sent_again_when_the_browser_has_the_same_version(client, caf_staff, nord_convention):
    url = reverse("convention_pdf", args=[nord_convention.pk])
    first = client_as(client, caf_staff).get(url)

    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_a_changed_article_gives_a_new_pdf_with_the_new_text(client, caf_staff, nord_convention):
    url = reverse("convention_pdf", args=[nord_convention.pk])
    sentence = "La commune organise une fête des familles chaque printemps."
    first = client_as(client, caf_staff).get(url)
    assert sentence not in pdf_text(first.content)

    edit_article(nord_convention, "objet", sentence)
    second = client.get(url, headers={"if-none-match": first["ETag"]})

    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert sentence in pdf_text(second.content)


def test_the_preview_shows_the_article_titles(client, caf_staff, nord_convention):
    response = client_as(client, caf_staff).get(reverse("convention_preview", args=[nord_convention.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    text = html_text(response.content.decode())
    titles = [article.title for article in nord_convention.articles.all() if article.numbered]
    assert len(titles) == 15
    assert [title for title in titles if normalise(title) not in text] == []


@pytest.mark.parametrize("page", ["convention_edit", "home"])
def test_the_preview_opens_in_a_new_tab_and_says_so_so_the_user_keeps_the_application(
    client, caf_staff, nord_convention, page
):
    args = [nord_convention.pk] if page == "convention_edit" else []
    content = client_as(client, caf_staff).get(reverse(page, args=args)).content.decode()

    preview_url = reverse("convention_preview", args=[nord_convention.pk])
    link = re.search(rf'<a [^>]*href="{preview_url}"[^>]*>.*?</a>', content).group(0)
    assert 'target="_blank"' in link
    assert 'rel="noopener"' in link
    assert "(nouvel onglet)" in link


def test_the_preview_adds_the_screen_styles_the_pdf_does_not_read(client, caf_staff, nord_convention):
    response = client_as(client, caf_staff).get(reverse("convention_preview", args=[nord_convention.pk]))

    content = response.content.decode()
    assert 'href="/static/css/print.css"' in content
    assert 'href="/static/css/preview.css"' in content
    assert "preview.css" not in document_html(build_document(nord_convention), for_pdf=True)


def test_the_preview_quotes_the_page_count_of_the_pdf(client, caf_staff, nord_convention):
    client_as(client, caf_staff)
    preview = client.get(reverse("convention_preview", args=[nord_convention.pk]))
    pdf = client.get(reverse("convention_pdf", args=[nord_convention.pk]))

    pages = pdf_pages(pdf.content)
    before_the_annexes = next(index for index, page in enumerate(pages) if "ANNEXE 1 –" in page)
    assert 1 < before_the_annexes < len(pages)
    assert f"Cette convention comporte {before_the_annexes} pages" in html_text(preview.content.decode())


@pytest.mark.parametrize(
    ("typed", "escaped", "tag"),
    [
        pytest.param(
            '<script>alert("x")</script>', '&lt;script&gt;alert("x")&lt;/script&gt;', "<script>alert", id="a script"
        ),
        pytest.param(
            "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;", "<img src=x", id="an image onerror"
        ),
    ],
)
def test_html_typed_in_an_article_shows_as_text_in_the_preview(
    client, caf_staff, nord_convention, typed, escaped, tag
):
    edit_article(nord_convention, "objet", f"Avant {typed} après.")

    response = client_as(client, caf_staff).get(reverse("convention_preview", args=[nord_convention.pk]))

    html = response.content.decode()
    assert escaped in html
    assert tag not in html
    assert f"Avant {typed} après." in html_text(html)


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        pytest.param("caf_staff", {NORD}, id="Nord Caf staff sees the Nord convention only"),
        pytest.param(
            "var_caf_staff", {"national-2025-demo", "var-le-pradet-2022"}, id="Var Caf staff sees the Var two"
        ),
        pytest.param("commune_user", {NORD}, id="a commune sees the conventions it signs"),
        pytest.param("other_caf_staff", set(), id="a Caf without conventions sees none"),
        pytest.param("other_commune_user", set(), id="a commune signing nothing sees none"),
        pytest.param("superuser", DEMO_REFERENCES, id="superuser sees them all"),
    ],
)
def test_the_home_page_lists_only_the_conventions_the_user_may_read(request, client, demo, role, visible):
    response = client_as(client, request.getfixturevalue(role)).get(reverse("home"))

    assert response.status_code == 200
    assert listed_references(response) == visible


def test_the_home_page_without_conventions_says_so(client, other_caf_staff):
    response = client_as(client, other_caf_staff).get(reverse("home"))

    assert "Aucune convention ne vous est accessible pour le moment." in response.content.decode()


def test_the_home_page_queries_do_not_grow_with_the_number_of_conventions(
    client, caf_staff, nord_convention, django_assert_max_num_queries
):
    extra = ConventionFactory.create_batch(10, caf=nord_convention.caf, template=nord_convention.template)
    client_as(client, caf_staff)

    with django_assert_max_num_queries(3):
        response = client.get(reverse("home"))

    content = response.content.decode()
    assert all(f">{convention.reference}</a></td>" in content for convention in [nord_convention, *extra])


def test_a_pdf_left_half_written_in_the_cache_is_never_served(client, caf_staff, nord_convention):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from conventions.rendering.output import CACHE_FOLDER, render_convention

    key = render_convention(nord_convention, use_cache=False, preview=False).key
    # A render killed while writing: part of the PDF, and no entry naming it.
    default_storage.save(f"{CACHE_FOLDER}/{key}-cut.pdf", ContentFile(b"%PDF-1.7 cut short"))
    client_as(client, caf_staff)
    response = client.get(reverse("convention_pdf", args=[nord_convention.pk]))
    assert response.content.rstrip().endswith(b"%%EOF")
    assert len(response.content) > 10_000


def test_a_render_killed_while_writing_leaves_nothing_taken_for_a_pdf(monkeypatch, nord_convention):
    from conventions.rendering import files, output

    real_write = files.write

    def killed_while_writing_the_pdf(path, content):
        if path.endswith(".pdf"):
            real_write(path, content[: len(content) // 2])
            raise SystemExit("killed")
        return real_write(path, content)

    monkeypatch.setattr(files, "write", killed_while_writing_the_pdf)
    with pytest.raises(SystemExit):
        output.render_convention(nord_convention, preview=False)
    monkeypatch.setattr(files, "write", real_write)
    key = output.render_convention(nord_convention, use_cache=False, preview=False).key
    assert output.cached(key) is None

    rendered = output.render_convention(nord_convention, preview=False)
    assert rendered.pdf.rstrip().endswith(b"%%EOF")
    assert output.cached(key).read() == rendered.pdf


def test_two_processes_storing_the_same_pdf_keep_a_readable_one(nord_convention):
    """The download and the worker may render the same content at once: neither deletes the
    other's file, and the cache entry names a complete PDF."""
    from conventions.rendering import output

    first = output.render_convention(nord_convention, use_cache=False, preview=False)
    output.store(first.key, first.pdf, first.page_count, first.quoted_pages)
    output.store(first.key, first.pdf, first.page_count, first.quoted_pages)

    assert output.cached(first.key).read() == first.pdf
