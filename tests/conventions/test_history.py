"""Who changed what, when: the history page of a convention."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conventions.rendering_helpers import html_text, normalise


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def history_of(client, convention):
    return client.get(reverse("convention_history", args=[convention.pk]))


def test_an_article_edit_is_listed_with_its_author_and_both_texts(client, caf_staff, nord_convention):
    article = nord_convention.articles.filter(editable=True).order_by("position").first()
    before = article.text
    after = f"{before.rstrip()}\n\nLa commune organise une fête des familles chaque printemps.\n"
    client.force_login(caf_staff)
    client.post(
        reverse("article_edit", args=[nord_convention.pk, article.pk]),
        {"text": after, "opened_version": article.version},
    )

    response = history_of(client, nord_convention)

    assert response.status_code == 200
    change = next(change for change in response.context["changes"] if change.what.startswith("Article"))
    assert (change.user, change.action) == (caf_staff, "modification")
    assert (change.before, change.after) == (before, after.strip())  # a form strips the trailing newline
    page = html_text(response.content.decode())
    assert f"{caf_staff} — modification — Article « {article}" in page
    assert normalise(before) in page
    assert normalise(after) in page


def test_a_change_names_what_changed_without_a_timestamp(client, caf_staff, nord_convention):
    article = nord_convention.articles.filter(editable=True).order_by("position").first()
    client.force_login(caf_staff)
    client.post(
        reverse("article_edit", args=[nord_convention.pk, article.pk]),
        {"text": "Nouveau texte.", "opened_version": article.version},
    )

    response = history_of(client, nord_convention)

    change = next(change for change in response.context["changes"] if change.what.startswith("Article"))
    assert change.what == f"Article « {article} »"


def test_an_article_edit_does_not_list_the_convention_information_as_changed(client, caf_staff, nord_convention):
    article = nord_convention.articles.filter(editable=True).order_by("position").first()
    client.force_login(caf_staff)
    client.post(
        reverse("article_edit", args=[nord_convention.pk, article.pk]),
        {"text": "Nouveau texte.", "opened_version": article.version},
    )

    response = history_of(client, nord_convention)

    listed = [(change.action, change.what) for change in response.context["changes"]]
    assert ("modification", "Informations de la convention") not in listed


def test_a_row_addition_is_listed_as_a_creation(client, caf_staff, nord_convention):
    client.force_login(caf_staff)
    client.post(
        reverse("row_add", args=[nord_convention.pk, "instances"]),
        {"instances-dispositif": "CTG", "instances-name": "Comité de pilotage élargi"},
    )

    response = history_of(client, nord_convention)

    change = next(change for change in response.context["changes"] if "Comité de pilotage élargi" in change.what)
    assert (change.user, change.action) == (caf_staff, "création")
    assert f"{caf_staff} — création — Instance de pilotage « Comité de pilotage élargi" in html_text(
        response.content.decode()
    )


def test_another_caf_gets_404_on_the_history(client, other_caf_staff, nord_convention):
    client.force_login(other_caf_staff)

    assert history_of(client, nord_convention).status_code == 404


def test_the_history_page_reads_the_same_number_of_rows_however_many_edits(client, caf_staff, nord_convention):
    article = nord_convention.articles.filter(editable=True).order_by("position").first()
    client.force_login(caf_staff)

    def edit(times):
        for number in range(times):
            article.refresh_from_db()
            client.post(
                reverse("article_edit", args=[nord_convention.pk, article.pk]),
                {"text": f"{article.text.rstrip()}\n\nAjout n° {number}.", "opened_version": article.version},
            )

    def history_page():
        with CaptureQueriesContext(connection) as queries:
            response = history_of(client, nord_convention)
        edits = [change for change in response.context["changes"] if change.what == f"Article « {article} »"]
        return len(queries), len(edits)

    edit(2)
    queries_after_two_edits, listed_after_two_edits = history_page()
    edit(5)
    queries_after_seven_edits, listed_after_seven_edits = history_page()

    assert listed_after_seven_edits == listed_after_two_edits + 5
    assert queries_after_seven_edits == queries_after_two_edits


def test_a_representative_renamed_on_the_signatories_page_is_the_only_change_listed(
    client, caf_staff, nord_convention
):
    from tests.forms import people_of, signatories_page_data

    signatory = nord_convention.signatories.get(collectivite__isnull=False)
    url = reverse("convention_signatories", args=[nord_convention.pk])
    client.force_login(caf_staff)
    page = client.get(url)
    data = signatories_page_data(page)
    data[people_of(page, signatory).forms[0]["last_name"].html_name] = "NOUVEAU-NOM"
    client.post(url, data)

    changes = history_of(client, nord_convention).context["changes"]

    saved = [change for change in changes if change.user == caf_staff]
    assert [(change.action, change.what, change.fields) for change in saved] == [
        ("modification", f"Représentant du signataire « {signatory.representatives.get()} »", ["nom"])
    ]


def test_a_status_change_says_from_which_status_to_which(client, caf_staff, nord_convention):
    client.force_login(caf_staff)
    client.post(reverse("convention_status", args=[nord_convention.pk]), {"status": "consultation"})

    page = html_text(history_of(client, nord_convention).content.decode())

    assert "Statut : « Brouillon » → « En concertation »" in page


def test_a_date_change_reads_in_french(client, caf_staff, nord_convention):
    client.force_login(caf_staff)
    data = {
        "title": nord_convention.title,
        "territory": nord_convention.territory,
        "start_date": nord_convention.start_date.isoformat(),
        "end_date": nord_convention.end_date.replace(month=6, day=30).isoformat(),
        "signature_place": nord_convention.signature_place,
    }
    client.post(reverse("convention_info", args=[nord_convention.pk]), data)

    page = html_text(history_of(client, nord_convention).content.decode())

    assert f"Date de fin : « {nord_convention.end_date:%d/%m/%Y} » → « 30/06/{nord_convention.end_date.year} »" in page


def test_an_avenant_is_listed_from_its_opening_to_its_signature_with_who_did_each_step(
    client, caf_admin, nord_convention, nord_signature
):
    from conventions.avenants import open_change
    from conventions.models import Avenant

    client.force_login(caf_admin)
    client.post(reverse("avenant_create", args=[nord_convention.pk]))
    avenant = Avenant.objects.get(convention=nord_convention)
    article = nord_convention.articles.filter(editable=True).order_by("position").first()
    change = open_change(avenant, article)
    change.new_text = f"{article.text}\n\nLe comité se réunit deux fois par an."
    change.save()
    steps = reverse("avenant_validate", args=[nord_convention.pk, avenant.number])
    client.post(steps, {"status": "consultation"})
    client.post(steps, {"status": "validated"})
    client.post(reverse("avenant_sign", args=[nord_convention.pk, avenant.number]), {"date": "2025-03-01"})

    response = history_of(client, nord_convention)

    avenant_steps = [change for change in response.context["changes"] if change.what == "Avenant n°1"]
    assert [change.action for change in avenant_steps] == ["modification"] * 3 + ["création"]
    assert {change.user for change in avenant_steps} == {caf_admin}
    page = html_text(response.content.decode())
    assert "Statut : « Brouillon » → « En concertation »" in page
    assert "Statut : « En concertation » → « Validé »" in page
    assert "Date de signature : « (vide) » → « 01/03/2025 »" in page


def test_each_text_saved_for_an_avenant_stays_readable_in_the_history(
    client, caf_admin, nord_convention, nord_signature
):
    from conventions.models import Avenant

    client.force_login(caf_admin)
    client.post(reverse("avenant_create", args=[nord_convention.pk]))
    avenant = Avenant.objects.get(convention=nord_convention)
    article = nord_convention.articles.filter(numbered=True, editable=True).order_by("position").first()
    opened = client.post(
        reverse("avenant_change_open", args=[nord_convention.pk, avenant.number]), {"section": f"article-{article.pk}"}
    )
    change = avenant.changes.get()
    for text in ("Première rédaction de l'avenant.", "Seconde rédaction de l'avenant."):
        change.refresh_from_db()
        client.post(opened.url, {"new_text": text, "opened_version": change.version})

    response = history_of(client, nord_convention)

    written = [change for change in response.context["changes"] if change.what.startswith("Avenant n°1 — ")]
    assert written[0].what == f"Avenant n°1 — Article « {article} »"
    assert (written[0].user, written[0].before, written[0].after) == (
        caf_admin,
        "Première rédaction de l'avenant.",
        "Seconde rédaction de l'avenant.",
    )
    assert "Première rédaction de l&#x27;avenant." in response.content.decode()
