"""Writing a convention in the browser: creation from a model, articles (with the conflict page),
options, general information, signatories, and the query counts of the busiest pages."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst

from conventions.models import (
    AnnexKind,
    Article,
    ArticleTemplate,
    Caf,
    Convention,
    ConventionStatus,
    ConventionTemplate,
    Role,
    Signatory,
    SignatoryRepresentative,
)
from tests.conventions.factories import CollectiviteFactory, ConventionFactory, UserFactory
from tests.conventions.rendering_helpers import html_text, normalise


@pytest.fixture(autouse=True)
def _pdf_cache_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def national_convention(demo):
    return demo["national-2025-demo"]


@pytest.fixture
def var_caf_staff(db):
    return UserFactory(role=Role.CAF_STAFF, caf=Caf.objects.get(code="83"))


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Creation


@pytest.fixture
def flandre_lys(db):
    """An EPCI of the Nord and two of its communes, none of them signing anything yet."""
    epci = CollectiviteFactory(epci=True, name="Communauté de communes Flandre Lys")
    communes = [
        CollectiviteFactory(name="Sailly-sur-la-Lys", insee_code="62735", epci=epci),
        CollectiviteFactory(name="Estaires", insee_code="59212", epci=epci),
    ]
    return [epci, *communes]


@pytest.fixture
def creation_data(flandre_lys):
    return {
        "template": ConventionTemplate.objects.get(slug="national-2025").pk,
        "reference": "flandre-lys-2025",
        "title": "Convention territoriale globale de Flandre Lys 2025-2028",
        "territory": "le territoire de la Communauté de communes Flandre Lys",
        "start_date": "2025-01-01",
        "end_date": "2028-12-31",
        "signature_place": "Lille",
        "collectivites": [collectivite.pk for collectivite in flandre_lys],
    }


def test_creating_a_convention_redirects_to_its_signatories(client, caf_staff, creation_data):
    client.force_login(caf_staff)

    response = client.post(reverse("convention_create"), creation_data)

    convention = Convention.objects.get(reference="flandre-lys-2025")
    assert response.status_code == 302
    assert response.url == reverse("convention_signatories", args=[convention.pk])
    assert convention.caf == caf_staff.caf
    assert convention.template.slug == "national-2025"
    assert convention.end_date == datetime.date(2028, 12, 31)


def test_the_creation_form_sent_twice_creates_one_convention(client, caf_staff, creation_data):
    client.force_login(caf_staff)
    first = client.post(reverse("convention_create"), creation_data)

    second = client.post(reverse("convention_create"), creation_data, follow=True)

    assert Convention.objects.filter(reference="flandre-lys-2025").count() == 1
    assert second.redirect_chain == [(first.url, 302)]
    assert "déjà prise" not in second.content.decode()


def test_a_reference_taken_by_another_convention_is_still_refused(client, caf_staff, creation_data):
    client.force_login(caf_staff)
    client.post(reverse("convention_create"), creation_data)

    response = client.post(reverse("convention_create"), creation_data | {"title": "Une autre convention"})

    assert "Cette référence est déjà prise" in response.content.decode()


def test_a_created_convention_has_its_own_copy_of_the_model_articles(client, caf_staff, creation_data):
    client.force_login(caf_staff)

    client.post(reverse("convention_create"), creation_data)

    convention = Convention.objects.get(reference="flandre-lys-2025")
    model = ConventionTemplate.objects.get(slug="national-2025")
    copied = list(convention.articles.order_by("position").values_list("key", "title", "text"))
    assert copied == list(model.articles.order_by("position").values_list("key", "title", "text"))
    assert len(copied) > 10
    convention.articles.filter(key="objet").update(text="Changé dans la convention seulement.")
    assert model.articles.get(key="objet").text != "Changé dans la convention seulement."


def test_a_created_convention_is_signed_by_the_caf_with_its_representatives_then_the_collectivites(
    client, caf_staff, creation_data, flandre_lys
):
    client.force_login(caf_staff)

    client.post(reverse("convention_create"), creation_data)

    convention = Convention.objects.get(reference="flandre-lys-2025")
    caf_signatory, *others = convention.signatories.order_by("position")
    assert caf_signatory.caf == caf_staff.caf
    people = ("civility", "first_name", "last_name", "function", "signature_title")
    assert list(caf_signatory.representatives.values_list(*people)) == list(
        caf_staff.caf.representatives.values_list(*people)
    )
    assert caf_signatory.representatives.exists()
    assert {signatory.collectivite for signatory in others} == set(flandre_lys)


def test_a_nord_user_may_choose_the_nord_model_or_the_national_one(client, caf_staff):
    client.force_login(caf_staff)

    response = client.get(reverse("convention_create"))

    offered = {template.slug for template in response.context["form"].fields["template"].queryset}
    assert offered == {"nord", "national-2025"}


def test_a_nord_user_cannot_create_from_the_isere_model(client, caf_staff, creation_data):
    client.force_login(caf_staff)
    creation_data["template"] = ConventionTemplate.objects.get(slug="isere").pk

    response = client.post(reverse("convention_create"), creation_data)

    assert response.status_code == 200
    assert "template" in response.context["form"].errors
    assert not Convention.objects.filter(reference="flandre-lys-2025").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"end_date": "2030-06-30"},
            "end_date",
            "la date de fin doit être au plus tard le 31 décembre 2029.",
            id="an end date beyond the duration rule",
        ),
        pytest.param(
            {"start_date": "2026-06-01", "end_date": "2026-01-01"},
            "end_date",
            "La date de fin doit suivre la date de début.",
            id="a start after the end",
        ),
        pytest.param(
            {"collectivites": []},
            "collectivites",
            "Choisissez au moins une collectivité signataire.",
            id="no collectivité",
        ),
        pytest.param({"title": ""}, "title", "Ce champ est obligatoire.", id="an empty title"),
        pytest.param(
            {"reference": "nord-armentieres-2023"},
            "reference",
            "Cette référence est déjà prise : choisissez-en une autre",
            id="a reference already taken",
        ),
        pytest.param(
            {"reference": "Flandre_Lys"},
            "reference",
            "Référence invalide : lettres minuscules sans accents, chiffres et tirets entre eux",
            id="a reference with capitals and an underscore",
        ),
        pytest.param({"reference": "-"}, "reference", "Référence invalide", id="a reference of a hyphen alone"),
        pytest.param(
            {"reference": "voiron 2026"},
            "reference",
            "Référence invalide : lettres minuscules sans accents, chiffres et tirets entre eux",
            id="a reference with a space, told by the one rule (no underscore offered)",
        ),
        pytest.param(
            {"start_date": "9999-01-01", "end_date": "9999-12-31"},
            "start_date",
            "Année invalide : indiquez une date entre 2000 et 2100.",
            id="a year beyond 2100",
        ),
        pytest.param(
            {"start_date": "0001-01-01", "end_date": "0001-12-31"},
            "start_date",
            "Année invalide : indiquez une date entre 2000 et 2100.",
            id="the year 1",
        ),
        pytest.param(
            {"collectivites": ["abc", "99999999999999999999999"]},
            "collectivites",
            "n’est pas une valeur correcte",
            id="a collectivité that is not one",
        ),
        pytest.param(
            {"collectivites": ["99999999999999999999"]},
            "collectivites",
            "n’est pas une valeur correcte",
            id="a collectivité id beyond any database integer",
        ),
    ],
)
def test_creation_refuses_bad_input_with_a_french_message_and_saves_nothing(
    client, caf_staff, creation_data, changes, field, message
):
    client.force_login(caf_staff)
    conventions, signatories = Convention.objects.count(), Signatory.objects.count()

    response = client.post(reverse("convention_create"), creation_data | changes)

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert not any("_" in error for error in errors)  # no message offers what another refuses
    assert Convention.objects.count() == conventions
    assert Signatory.objects.count() == signatories


@pytest.mark.parametrize(
    "typed",
    [pytest.param("Armentières", id="by name"), pytest.param("59017", id="by INSEE code")],
)
def test_the_collectivite_search_finds_armentieres(client, caf_staff, typed):
    client.force_login(caf_staff)

    response = client.get(reverse("collectivite_search"), {"q": typed})

    assert [collectivite.name for collectivite in response.context["results"]] == ["Armentières"]
    assert "Armentières" in response.content.decode()
    assert "24\u202f882 hab." in response.content.decode()  # digits grouped as French writes them


def test_the_collectivite_search_finds_nothing_for_one_letter(client, caf_staff):
    client.force_login(caf_staff)

    response = client.get(reverse("collectivite_search"), {"q": "A"})

    assert list(response.context["results"]) == []
    assert "Aucune collectivité trouvée" in response.content.decode()


def test_the_collectivite_search_says_when_a_name_finds_nothing(client, caf_staff):
    client.force_login(caf_staff)

    response = client.get(reverse("collectivite_search"), {"q": "Zzyzx"}, headers={"HX-Request": "true"})

    assert "Aucune collectivité trouvée pour « Zzyzx » : vérifiez l'orthographe" in response.content.decode()


# Creation and signatories without JavaScript: the collectivité search is the page's own GET form.


def choose_buttons(html):
    """The pks of the collectivités found that the page offers to choose, with a plain button of
    the page's form "collectivite-choice"."""
    return [
        int(pk)
        for pk in re.findall(
            r'<button type="submit" form="collectivite-choice" name="collectivites" value="(\d+)"', html
        )
    ]


def ticked(html):
    return [int(pk) for pk in re.findall(r'name="collectivites" value="(\d+)" id="collectivite-\d+" checked', html)]


def test_without_javascript_the_creation_page_lists_the_collectivites_found(client, caf_staff, flandre_lys):
    epci, sailly, estaires = flandre_lys
    client.force_login(caf_staff)

    response = client.get(reverse("convention_create"), {"q": "sailly sur la lys"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert '<h1 class="h3 mb-3">Nouvelle convention</h1>' in html
    assert choose_buttons(html) == [sailly.pk]
    # the page comes back at its results, not at its top
    assert (
        '<form id="collectivite-choice" method="get" action="/conventions/nouvelle/#collectivites-signataires"' in html
    )
    assert '<fieldset class="mb-3" id="collectivites-signataires">' in html


def test_without_javascript_a_search_that_finds_nothing_says_so(client, caf_staff):
    client.force_login(caf_staff)

    response = client.get(reverse("convention_create"), {"q": "Zzyzx"})

    assert "Aucune collectivité trouvée pour « Zzyzx » : vérifiez l'orthographe" in response.content.decode()


def test_without_javascript_a_chosen_collectivite_comes_back_ticked_with_what_was_typed(
    client, caf_staff, flandre_lys
):
    epci, sailly, estaires = flandre_lys
    client.force_login(caf_staff)

    response = client.get(
        reverse("convention_create"),
        {"reference": "flandre-lys-2025", "q": "estaires", "collectivites": [epci.pk, estaires.pk]},
    )

    html = response.content.decode()
    assert ticked(html) == [epci.pk, estaires.pk]
    assert response.context["form"]["reference"].value() == "flandre-lys-2025"
    assert '<input type="hidden" name="reference" value="flandre-lys-2025">' in html
    assert f'<input type="hidden" name="collectivites" value="{estaires.pk}">' in html
    assert choose_buttons(html) == [estaires.pk]


def test_without_javascript_a_convention_is_created_with_the_collectivites_found(client, caf_staff, creation_data):
    """Search, choose, search again, choose, then create: GETs of the page and one plain POST."""
    client.force_login(caf_staff)
    url = reverse("convention_create")
    [epci] = choose_buttons(client.get(url, {"q": "flandre lys"}).content.decode())
    chosen = ticked(client.get(url, {"q": "flandre lys", "collectivites": [epci]}).content.decode())
    [estaires] = choose_buttons(client.get(url, {"q": "ESTAIRES", "collectivites": chosen}).content.decode())
    chosen = ticked(client.get(url, {"q": "ESTAIRES", "collectivites": [*chosen, estaires]}).content.decode())

    response = client.post(url, creation_data | {"collectivites": chosen})

    assert response.status_code == 302
    convention = Convention.objects.get(reference="flandre-lys-2025")
    assert [signatory.collectivite_id for signatory in convention.signatories.order_by("position")[1:]] == [
        epci,
        estaires,
    ]


def test_without_javascript_a_collectivite_found_is_added_to_the_signatories(client, caf_staff, nord_convention):
    newcomer = CollectiviteFactory(name="Houplines", insee_code="59316")
    url = reverse("convention_signatories", args=[nord_convention.pk])
    client.force_login(caf_staff)

    page = client.get(url, {"q": "HOUPLINES"}).content.decode()

    assert choose_buttons(page) == [newcomer.pk]
    add_form = re.search(r'<form method="post" action="([^"]+)" class="mt-2" id="collectivite-choice">', page)
    assert add_form[1] == reverse("signatory_add", args=[nord_convention.pk])
    response = client.post(add_form[1], {"collectivites": [newcomer.pk]}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert nord_convention.signatories.order_by("position").last().collectivite == newcomer
    assert "Ajouté(s) aux signataires : Houplines." in response.content.decode()


def test_without_javascript_the_signatories_search_comes_back_at_its_results(client, caf_staff, nord_convention):
    client.force_login(caf_staff)

    page = client.get(reverse("convention_signatories", args=[nord_convention.pk]), {"q": "armentieres"})

    html = page.content.decode()
    search_form = re.search(r'<form method="get" action="([^"]+)" role="search"', html)
    assert search_form[1] == reverse("convention_signatories", args=[nord_convention.pk]) + "#ajout-signataire"
    assert 'id="ajout-signataire"' in html


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


# Signatories


def as_sent(form):
    """What a browser sends back for this form as shown."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data


def signatories_page_data(response):
    data = {}
    for _signatory, form, people in response.context["parties"]:
        data |= as_sent(form) | as_sent(people.management_form)
        for person in people:
            data |= as_sent(person)
    return data


def people_of(response, signatory):
    return next(people for party, _form, people in response.context["parties"] if party == signatory)


def test_removing_the_only_representative_of_the_caf_is_refused(client, caf_staff, nord_convention):
    caf_signatory = nord_convention.signatories.get(caf__isnull=False)
    keep, *others = caf_signatory.representatives.all()
    SignatoryRepresentative.objects.filter(pk__in=[other.pk for other in others]).delete()
    url = reverse("convention_signatories", args=[nord_convention.pk])
    client.force_login(caf_staff)
    page = client.get(url)
    data = signatories_page_data(page)
    data[people_of(page, caf_signatory).forms[0]["DELETE"].html_name] = "on"

    response = client.post(url, data)

    assert response.status_code == 422
    assert list(caf_signatory.representatives.all()) == [keep]
    assert "Chaque signataire a au moins un représentant." in response.content.decode()


def test_a_changed_representative_name_is_saved(client, caf_staff, nord_convention):
    signatory = nord_convention.signatories.get(collectivite__isnull=False)
    person = signatory.representatives.get()
    url = reverse("convention_signatories", args=[nord_convention.pk])
    client.force_login(caf_staff)
    page = client.get(url)
    data = signatories_page_data(page)
    data[people_of(page, signatory).forms[0]["last_name"].html_name] = "NOUVEAU-NOM"

    response = client.post(url, data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "NOUVEAU-NOM"


def test_a_representative_added_is_named_last(client, caf_staff, nord_convention):
    caf_signatory = nord_convention.signatories.get(caf__isnull=False)
    named_before = list(caf_signatory.representatives.values_list("last_name", flat=True))
    url = reverse("convention_signatories", args=[nord_convention.pk])
    client.force_login(caf_staff)
    page = client.get(url)
    data = signatories_page_data(page)
    blank = people_of(page, caf_signatory).forms[-1]
    typed = {
        "civility": "Monsieur",
        "first_name": "Paul",
        "last_name": "LEROY",
        "function": "son directeur adjoint",
        "signature_title": "Le Directeur adjoint",
    }
    data |= {blank[name].html_name: value for name, value in typed.items()}

    response = client.post(url, data)

    assert response.status_code == 302
    assert list(caf_signatory.representatives.values_list("last_name", flat=True)) == [*named_before, "LEROY"]


def test_collectivites_added_together_sign_in_the_order_chosen(client, caf_staff, nord_convention):
    first = CollectiviteFactory(name="Erquinghem-Lys", insee_code="59200")
    second = CollectiviteFactory(name="Nieppe", insee_code="59424")  # chosen first, though after by name and key
    client.force_login(caf_staff)

    client.post(reverse("signatory_add", args=[nord_convention.pk]), {"collectivites": [second.pk, first.pk]})

    *_, before_last, last = nord_convention.signatories.order_by("position")
    assert (before_last.collectivite, last.collectivite) == (second, first)


def test_a_forged_collectivite_value_is_refused_with_a_message(client, caf_staff, nord_convention):
    signatories = nord_convention.signatories.count()
    client.force_login(caf_staff)

    response = client.post(
        reverse("signatory_add", args=[nord_convention.pk]), {"collectivites": ["abc"]}, follow=True
    )

    assert "Cochez une collectivité qui ne signe pas déjà cette convention." in response.content.decode()
    assert nord_convention.signatories.count() == signatories


def test_adding_a_collectivite_makes_it_the_last_signatory(client, caf_staff, nord_convention):
    newcomer = CollectiviteFactory(epci=True, name="Métropole Européenne de Lille")
    client.force_login(caf_staff)

    response = client.post(reverse("signatory_add", args=[nord_convention.pk]), {"collectivites": [newcomer.pk]})

    assert response.status_code == 302
    last = nord_convention.signatories.order_by("position").last()
    assert last.collectivite == newcomer
    assert last.alias == "l'EPCI"


def test_a_collectivite_with_a_deliberation_cannot_be_removed(client, caf_staff, nord_convention):
    signatory = nord_convention.signatories.get(collectivite__name="Armentières")
    assert nord_convention.deliberations.filter(collectivite=signatory.collectivite).exists()
    client.force_login(caf_staff)

    response = client.post(reverse("signatory_remove", args=[nord_convention.pk, signatory.pk]))

    page = response.content.decode()
    assert response.status_code == 409
    assert Signatory.objects.filter(pk=signatory.pk).exists()
    assert "Supprimez d&#x27;abord la délibération" in page
    assert "Retirer définitivement" not in page


def test_the_refusal_to_remove_a_collectivite_names_it_with_french_elision(client, caf_staff, nord_convention):
    signatory = nord_convention.signatories.get(collectivite__name="Armentières")
    client.force_login(caf_staff)

    page = client.get(reverse("signatory_remove", args=[nord_convention.pk, signatory.pk])).content.decode()

    assert "Supprimez d&#x27;abord la délibération d&#x27;Armentières" in page


def test_removing_a_collectivite_asks_first_and_says_its_representatives_go_with_it(
    client, caf_staff, nord_convention
):
    signatory = nord_convention.add_signatory(collectivite=CollectiviteFactory(name="Houplines"))
    signatory.representatives.create(civility="Madame", first_name="Anne", last_name="Dupont", function="maire")
    client.force_login(caf_staff)

    response = client.get(reverse("signatory_remove", args=[nord_convention.pk, signatory.pk]))

    page = response.content.decode()
    assert "Retirer la commune de Houplines des signataires ?" in page
    assert "Ses représentants (1) seront retirés avec elle." in page
    assert Signatory.objects.filter(pk=signatory.pk).exists()


def test_removing_a_departement_is_worded_in_the_masculine(client, caf_staff, nord_convention):
    departement = CollectiviteFactory(name="Nord", kind="departement", insee_code=None, population=None)
    signatory = nord_convention.add_signatory(collectivite=departement)
    signatory.representatives.create(civility="Monsieur", first_name="Jean", last_name="Durand", function="président")
    url = reverse("signatory_remove", args=[nord_convention.pk, signatory.pk])
    client.force_login(caf_staff)

    asked = client.get(url).content.decode()
    removed = client.post(url, follow=True).content.decode()

    assert "Ses représentants (1) seront retirés avec lui." in asked
    assert f"{capfirst(signatory.designation)} ne signe plus la convention." in removed.replace("&#x27;", "'")


def test_a_collectivite_without_deliberation_is_removed_once_confirmed(client, caf_staff, nord_convention):
    signatory = nord_convention.add_signatory(collectivite=CollectiviteFactory())
    client.force_login(caf_staff)

    response = client.post(reverse("signatory_remove", args=[nord_convention.pk, signatory.pk]))

    assert response.status_code == 302
    assert not Signatory.objects.filter(pk=signatory.pk).exists()


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
