"""Writing a convention in the browser: articles (with the conflict page), options, general
information, and the query counts of the busiest pages. Creation and signatories have their own
files (test_creation_views.py, test_signatory_views.py)."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions.models import (
    AnnexKind,
    Article,
    ArticleTemplate,
    Convention,
    ConventionStatus,
    Role,
    SignatoryRepresentative,
)
from tests.conventions.factories import CollectiviteFactory, ConventionFactory, UserFactory
from tests.conventions.rendering_helpers import html_text, normalise


@pytest.fixture(autouse=True)
def _pdf_cache_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# Articles


def editable_article(convention):
    return convention.articles.filter(editable=True).order_by("position").first()


def opened_version(response):
    return response.context["form"]["opened_version"].value()


def test_saving_an_article_keeps_the_text_and_increments_its_version(client, caf_staff, nord_convention):
    article = editable_article(nord_convention)
    url = reverse("article_edit", args=[nord_convention.pk, article.pk])
    client.force_login(caf_staff)
    version = opened_version(client.get(url))

    response = client.post(url, {"text": "La commune et la Caf coopèrent.", "opened_version": version})

    assert response.status_code == 302
    assert response.url == url
    article.refresh_from_db()
    assert article.text == "La commune et la Caf coopèrent."
    assert article.version == version + 1


def test_a_saved_article_shows_in_its_page_preview_and_in_the_convention_preview(client, caf_staff, nord_convention):
    article = editable_article(nord_convention)
    url = reverse("article_edit", args=[nord_convention.pk, article.pk])
    sentence = "La commune organise une fête des familles chaque printemps."
    client.force_login(caf_staff)
    client.post(url, {"text": f"{article.text}\n\n{sentence}\n", "opened_version": article.version})

    page = client.get(url)
    preview = client.get(reverse("convention_preview", args=[nord_convention.pk]))

    assert sentence in page.context["preview_html"]
    assert sentence in html_text(preview.content.decode())


def test_the_live_preview_renders_markdown_and_escapes_typed_html(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    response = client.post(
        reverse("section_preview", args=[nord_convention.pk]),
        {"text": 'Un **mot** puis <script>alert("x")</script>'},
    )

    html = response.content.decode()
    assert "<strong>mot</strong>" in html
    assert "&lt;script&gt;" in html
    assert "<script" not in html


def test_an_article_of_the_model_cannot_be_changed(client, caf_staff, nord_convention):
    article = nord_convention.articles.filter(editable=False).first()
    client.force_login(caf_staff)

    response = client.post(
        reverse("article_edit", args=[nord_convention.pk, article.pk]),
        {"text": "Réécrit.", "opened_version": article.version},
    )

    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).text == article.text


@pytest.fixture
def colleague(nord_convention):
    """Another Nord Caf user, in their own browser."""
    browser = Client()
    browser.force_login(UserFactory(role=Role.CAF_STAFF, caf=nord_convention.caf, username="colleague"))
    return browser


def test_a_save_from_a_stale_version_shows_both_versions_and_overwrites_nothing(
    client, caf_staff, colleague, nord_convention
):
    article = editable_article(nord_convention)
    url = reverse("article_edit", args=[nord_convention.pk, article.pk])
    client.force_login(caf_staff)
    mine = opened_version(client.get(url))
    theirs = opened_version(colleague.get(url))
    colleague.post(url, {"text": "Texte du collègue.", "opened_version": theirs})

    response = client.post(url, {"text": "Mon texte.", "opened_version": mine})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Texte du collègue." in page
    assert "Mon texte." in page
    assert "colleague" in page
    assert Article.objects.get(pk=article.pk).text == "Texte du collègue."


def test_the_conflict_page_saves_the_version_it_carries(client, caf_staff, colleague, nord_convention):
    article = editable_article(nord_convention)
    url = reverse("article_edit", args=[nord_convention.pk, article.pk])
    client.force_login(caf_staff)
    mine = opened_version(client.get(url))
    colleague.post(url, {"text": "Texte du collègue.", "opened_version": opened_version(colleague.get(url))})
    conflict = client.post(url, {"text": "Mon texte.", "opened_version": mine})
    carried = re.search(r'name="opened_version" value="(\d+)"', conflict.content.decode())[1]

    response = client.post(url, {"text": "Mon texte, repris.", "opened_version": carried})

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).text == "Mon texte, repris."


def test_the_models_guidance_reads_as_paragraphs_not_as_its_wrapped_lines(client, var_caf_staff, national_convention):
    annex = national_convention.annexes.get(template__key="plan_actions")
    client.force_login(var_caf_staff)

    page = client.get(reverse("annex_edit", args=[national_convention.pk, annex.pk])).content.decode()

    assert "chaque signataire dans le cadre des objectifs partagés" in page
    assert "dans le cadre<br>" not in page


def test_a_commune_reading_an_annex_without_text_sees_no_empty_boxes(client, demo):
    convention = demo["yvelines-aubergenville-2024"]
    annex = convention.annexes.get(text="", template__key="equipements")
    commune = convention.signatories.filter(collectivite__isnull=False).first().collectivite
    client.force_login(UserFactory(role=Role.COMMUNE, collectivite=commune))

    page = client.get(reverse("annex_edit", args=[convention.pk, annex.pk])).content.decode()

    assert "Aucun texte : son contenu est le tableau ci-dessous." in page
    assert "Aperçu du texte" not in page
    assert '<pre class="border rounded p-2 bg-light" style="white-space: pre-wrap"></pre>' not in page


# Options


def copil_presidency_wordings():
    """{value: wording} from the blocks `::: if copil_presidency=<value>` of the national model."""
    article = ArticleTemplate.objects.get(template__slug="national-2025", text__contains="copil_presidency=")
    blocks = re.findall(r"^::: if copil_presidency=(\w+)\n(.*?)\n:::", article.text, re.MULTILINE | re.DOTALL)
    # A wording stops at its first placeholder: what follows is filled in by the convention.
    return {value: normalise(text.split("{{")[0]) for value, text in blocks}


def test_a_chosen_option_is_saved_and_prints_its_wording_only(client, var_caf_staff, national_convention):
    wordings = copil_presidency_wordings()
    assert set(wordings) == {"alternating", "copiloted", "caf"}
    client.force_login(var_caf_staff)
    choice = {"copil_presidency": "caf", "copil_secretariat": "caf", "ctg_dans_ma_poche": "on"}

    response = client.post(reverse("convention_options", args=[national_convention.pk]), choice)

    assert response.status_code == 302
    national_convention.refresh_from_db()
    assert national_convention.options == {
        "copil_presidency": "caf",
        "copil_secretariat": "caf",
        "ctg_dans_ma_poche": True,
    }
    text = html_text(client.get(reverse("convention_preview", args=[national_convention.pk])).content.decode())
    assert wordings["caf"] in text
    assert wordings["alternating"] not in text
    assert wordings["copiloted"] not in text


# General information


def test_the_information_form_refuses_an_end_date_beyond_the_duration_rule(client, caf_staff, nord_convention):
    client.force_login(caf_staff)
    data = {
        "title": nord_convention.title,
        "territory": nord_convention.territory,
        "start_date": "2023-01-01",
        "end_date": "2028-06-30",
        "signature_place": nord_convention.signature_place,
    }

    response = client.post(reverse("convention_info", args=[nord_convention.pk]), data)

    assert response.status_code == 200
    assert "la date de fin doit être au plus tard le 31 décembre 2027." in response.content.decode()
    assert "Rien n&#x27;a été enregistré : corrigez les erreurs signalées ci-dessous." in response.content.decode()
    assert Convention.objects.get(pk=nord_convention.pk).end_date == datetime.date(2026, 12, 31)


def shortened_to_2027(convention, **confirmation):
    return {
        "title": convention.title,
        "territory": convention.territory,
        "start_date": "2025-01-01",
        "end_date": "2027-12-31",
        "signature_place": convention.signature_place,
        **confirmation,
    }


def projected_years(convention):
    return {year for by_year in convention.places_projections.values_list("by_year", flat=True) for year in by_year}


def test_dates_that_leave_out_projected_years_ask_before_dropping_them(client, demo):
    convention = demo["national-2025-demo"]
    client.force_login(UserFactory(role=Role.CAF_STAFF, caf=convention.caf))

    response = client.post(reverse("convention_info", args=[convention.pk]), shortened_to_2027(convention))

    page = response.content.decode()
    assert response.status_code == 200
    assert "années déjà remplies dans les projections de places (annexe du plan d&#x27;actions) : 2028, 2029" in page
    assert 'type="checkbox" name="drop_projected_years"' in page
    assert Convention.objects.get(pk=convention.pk).end_date == datetime.date(2029, 12, 31)
    assert projected_years(convention) == {"2025", "2026", "2027", "2028", "2029"}


def test_dates_confirmed_drop_the_projected_years_they_leave_out(client, demo):
    convention = demo["national-2025-demo"]
    client.force_login(UserFactory(role=Role.CAF_STAFF, caf=convention.caf))

    response = client.post(
        reverse("convention_info", args=[convention.pk]), shortened_to_2027(convention, drop_projected_years="on")
    )

    assert response.status_code == 302
    assert Convention.objects.get(pk=convention.pk).end_date == datetime.date(2027, 12, 31)
    assert projected_years(convention) == {"2025", "2026", "2027"}


# Query counts


def test_the_home_page_queries_do_not_grow_with_ten_more_conventions(
    client, caf_staff, nord_convention, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(caf_staff)
    client.get(reverse("home"))
    with django_assert_max_num_queries(5) as before:
        client.get(reverse("home"))

    ConventionFactory.create_batch(10, caf=nord_convention.caf, template=nord_convention.template)

    with django_assert_num_queries(len(before)):
        response = client.get(reverse("home"))
    assert len(response.context["conventions"]) == 11


def add_articles(convention, count, text):
    start = convention.articles.order_by("-position").first().position + 1
    Article.objects.bulk_create(
        Article(convention=convention, key=f"ajout-{i}", position=start + i, title=f"Ajout {i}", text=text.format(i=i))
        for i in range(count)
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Un texte complet.", id="complete articles"),
        pytest.param("Un texte avec un champ à compléter : {{{{ champ_{i} }}}}.", id="articles with a gap each"),
    ],
)
def test_the_edit_page_queries_do_not_grow_with_twenty_more_articles(
    client, caf_staff, nord_convention, django_assert_max_num_queries, django_assert_num_queries, text
):
    url = reverse("convention_edit", args=[nord_convention.pk])
    client.force_login(caf_staff)
    client.get(url)
    with django_assert_max_num_queries(60) as before:
        client.get(url)

    add_articles(nord_convention, 20, text)

    with django_assert_num_queries(len(before)):
        response = client.get(url)
    assert len(response.context["articles"]) == Article.objects.filter(convention=nord_convention).count()


def test_the_edit_page_reads_the_articles_and_the_annexes_once(client, caf_staff, nord_convention):
    client.force_login(caf_staff)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("convention_edit", args=[nord_convention.pk]))

    reads = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    assert sum('FROM "conventions_article"' in sql for sql in reads) == 1
    assert sum('FROM "conventions_annex"' in sql for sql in reads) == 1


def test_a_commune_sees_the_model_options_without_being_able_to_tick_them(client, national_convention):
    collectivite = national_convention.signatories.filter(collectivite__isnull=False).first().collectivite
    client.force_login(UserFactory(role=Role.COMMUNE, collectivite=collectivite))

    response = client.get(reverse("convention_edit", args=[national_convention.pk]))

    options = response.context["options_form"]
    assert options.fields and all(field.disabled for field in options.fields.values())
    assert "Enregistrer les options" not in response.content.decode()


def test_a_signed_convention_no_longer_lists_what_to_complete_before_the_signature(client, caf_staff, nord_convention):
    Convention.objects.filter(pk=nord_convention.pk).update(status=ConventionStatus.SIGNED)
    client.force_login(caf_staff)

    page = client.get(reverse("convention_edit", args=[nord_convention.pk])).content.decode()

    assert "Avant la signature" not in page


def test_each_collectivite_signatory_has_a_button_to_remove_it(client, caf_staff, nord_convention):
    added = nord_convention.add_signatory(collectivite=CollectiviteFactory())
    client.force_login(caf_staff)

    page = client.get(reverse("convention_signatories", args=[nord_convention.pk])).content.decode()

    collectivites = nord_convention.signatories.filter(collectivite__isnull=False)
    for signatory in collectivites:
        assert f'href="{reverse("signatory_remove", args=[nord_convention.pk, signatory.pk])}"' in page
    caf_signatory = nord_convention.signatories.get(caf__isnull=False)
    assert reverse("signatory_remove", args=[nord_convention.pk, caf_signatory.pk]) not in page
    assert added in collectivites


def test_a_commune_reads_the_signatories_without_fields_to_type_in(client, commune_user, nord_convention):
    client.force_login(commune_user)

    page = client.get(reverse("convention_signatories", args=[nord_convention.pk])).content.decode()

    representatives = SignatoryRepresentative.objects.filter(signatory__convention=nord_convention)
    # each party's fieldset is disabled, and with it the rows of its representatives
    parties = page.count('<fieldset class="border rounded')
    assert parties == page.count(" disabled>") == nord_convention.signatories.count()
    # One row per representative: no blank row to add one, nor its hint.
    assert len(re.findall(r'name="people-\d+-\d+-first_name"', page)) == representatives.count()
    assert "permet d&#x27;ajouter un représentant" not in page


def test_the_action_plan_annex_leads_to_the_plan_where_its_fiches_are_filled(client, caf_staff, nord_convention):
    annex = nord_convention.annexes.get(kind=AnnexKind.ACTION_PLAN)
    client.force_login(caf_staff)

    page = client.get(reverse("annex_edit", args=[nord_convention.pk, annex.pk])).content.decode()

    plan = reverse("plan", args=[nord_convention.pk])
    assert f'<a href="{plan}" class="alert-link">ouvrir le plan d\'actions</a>' in page
