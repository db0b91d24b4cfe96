"""PDF without waiting (issue 10): each save pre-renders the PDF in the background, a download of
unchanged content is served from the content-keyed cache, and nothing is lost without a worker."""

import datetime
import logging
from io import BytesIO

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from conventions.lifecycle import change_status, sign
from conventions.models import ConventionStatus, DocumentKind, PdfRendition, SignedDocument, WorkerHeartbeat
from conventions.models.rendition import WORKER_ALIVE_WITHIN, WORKER_DELAY_ALLOWED
from conventions.rendering import output
from tests.conventions.rendering_helpers import pdf_text

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _pdf_cache_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SEAL_CERTIFICATES_DIR = tmp_path / "seal"


@pytest.fixture
def renders(monkeypatch):
    """The HTML of each PDF laid out and written, in order."""
    rendered = []
    real_produce_pdf = output.produce_pdf

    def counting(html, *args, **kwargs):
        rendered.append(html)
        return real_produce_pdf(html, *args, **kwargs)

    monkeypatch.setattr(output, "produce_pdf", counting)
    return rendered


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Saves inside `with committed():` are committed at the end of the block: the pre-render
    they enqueue then runs (immediate backend in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def add_sentence(convention, sentence):
    article = convention.articles.filter(editable=True).order_by("position").first()
    article.text = f"{article.text.rstrip()}\n\n{sentence}\n"
    article.save()


def download(client, convention, **headers):
    return client.get(reverse("convention_pdf", args=[convention.pk]), headers=headers)


def rendition(convention):
    return PdfRendition.objects.get(pk=convention.pk)


def pdf_state(client, convention):
    return client.get(reverse("convention_pdf_state", args=[convention.pk])).content.decode()


def test_a_save_prerenders_the_pdf_and_the_download_serves_it_without_rendering(
    client, caf_staff, nord_convention, renders, committed, monkeypatch
):
    with committed():
        add_sentence(nord_convention, "Le comité se réunit chaque trimestre.")
    assert len(renders) == 1
    assert rendition(nord_convention).is_current

    def no_rendering(*args, **kwargs):
        raise AssertionError("the renderer was called for an unchanged convention")

    monkeypatch.setattr(output, "layout", no_rendering)
    client.force_login(caf_staff)
    first, second = download(client, nord_convention), download(client, nord_convention)

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert "Le comité se réunit chaque trimestre." in pdf_text(first.content)
    assert len(renders) == 1


def test_an_edit_changes_the_next_download(client, caf_staff, nord_convention, renders):
    client.force_login(caf_staff)
    before = download(client, nord_convention)

    add_sentence(nord_convention, "Une ludothèque itinérante est créée en 2024.")
    after = download(client, nord_convention)

    assert "Une ludothèque itinérante" not in pdf_text(before.content)
    assert "Une ludothèque itinérante est créée en 2024." in pdf_text(after.content)
    assert after["ETag"] != before["ETag"]
    assert len(renders) == 2


def test_two_rapid_saves_give_one_render_of_the_latest_content(nord_convention, renders, committed):
    with committed():
        add_sentence(nord_convention, "Premier ajout.")
        add_sentence(nord_convention, "Second ajout.")

    assert len(renders) == 1
    assert "Premier ajout." in renders[0] and "Second ajout." in renders[0]
    assert rendition(nord_convention).is_current


def test_a_save_that_changes_nothing_in_the_document_renders_nothing(nord_convention, renders, committed):
    with committed():
        add_sentence(nord_convention, "Un ajout.")
    with committed():
        nord_convention.articles.filter(editable=True).order_by("position").first().save()

    assert len(renders) == 1
    assert rendition(nord_convention).is_current


def test_etag_and_304(client, caf_staff, nord_convention, renders):
    client.force_login(caf_staff)
    first = download(client, nord_convention)
    etag = first["ETag"]

    unchanged = download(client, nord_convention, if_none_match=etag)
    weak = download(client, nord_convention, if_none_match=f"W/{etag}")
    add_sentence(nord_convention, "Une phrase de plus.")
    changed = download(client, nord_convention, if_none_match=etag)

    assert unchanged.status_code == weak.status_code == 304
    assert unchanged["ETag"] == etag
    assert unchanged.content == b""
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Une phrase de plus." in pdf_text(changed.content)
    assert len(renders) == 2


def test_a_failing_prerender_is_logged_and_the_download_still_gives_the_current_pdf(
    client, caf_staff, nord_convention, committed, monkeypatch, caplog
):
    real_produce_pdf = output.produce_pdf

    def failing(*args, **kwargs):
        raise RuntimeError("police introuvable")

    monkeypatch.setattr(output, "produce_pdf", failing)
    with caplog.at_level(logging.ERROR), committed():
        add_sentence(nord_convention, "Une phrase écrite avant la panne.")
    assert not rendition(nord_convention).is_current
    assert rendition(nord_convention).failed_at is not None
    assert any("Pre-rendering the PDF" in record.getMessage() for record in caplog.records)

    monkeypatch.setattr(output, "produce_pdf", real_produce_pdf)
    client.force_login(caf_staff)
    assert "PDF produit au téléchargement" in pdf_state(client, nord_convention)
    response = download(client, nord_convention)

    assert response.status_code == 200
    assert "Une phrase écrite avant la panne." in pdf_text(response.content)
    assert "PDF à jour" in pdf_state(client, nord_convention)


@override_settings(TASKS=DATABASE_TASKS)
def test_without_a_worker_saves_queue_one_task_and_the_download_renders_at_once(
    client, caf_staff, nord_convention, committed
):
    with committed():
        add_sentence(nord_convention, "Phrase un.")
    with committed():
        add_sentence(nord_convention, "Phrase deux.")
    client.force_login(caf_staff)

    assert DBTaskResult.objects.count() == 1
    assert "PDF en préparation" in pdf_state(client, nord_convention)
    response = download(client, nord_convention)

    assert "Phrase un. Phrase deux." in pdf_text(response.content)
    assert "PDF à jour" in pdf_state(client, nord_convention)


def test_a_fiche_action_is_part_of_the_document(client, caf_staff, nord_convention):
    from plans.models import ActionSheet

    client.force_login(caf_staff)
    download(client, nord_convention)
    action = ActionSheet.objects.filter(axis__convention=nord_convention).first()
    action.title = "Ouvrir une maison des familles"
    action.save()

    assert not rendition(nord_convention).is_current
    assert "Ouvrir une maison des familles" in pdf_text(download(client, nord_convention).content)


def test_a_change_to_the_caf_leaves_no_stored_pdf_current(client, caf_staff, nord_convention, committed):
    with committed():
        add_sentence(nord_convention, "Un ajout.")
    caf = nord_convention.caf
    caf.legal_name = "Caisse d'allocations familiales de Lille"
    caf.save()
    client.force_login(caf_staff)

    assert not rendition(nord_convention).is_current
    assert "Caisse d'allocations familiales de Lille" in pdf_text(download(client, nord_convention).content)


def test_the_page_shows_whether_the_pdf_is_ready(client, caf_staff, nord_convention, committed):
    client.force_login(caf_staff)
    page = client.get(reverse("convention_edit", args=[nord_convention.pk])).content.decode()
    assert reverse("convention_pdf_state", args=[nord_convention.pk]) in page

    with override_settings(TASKS=DATABASE_TASKS), committed():
        add_sentence(nord_convention, "Un ajout.")
    preparing = pdf_state(client, nord_convention)
    assert "PDF en préparation" in preparing
    assert 'hx-trigger="every 2s"' in preparing

    download(client, nord_convention)
    ready = pdf_state(client, nord_convention)
    assert "PDF à jour" in ready
    assert "hx-trigger" not in ready


def test_the_preview_does_not_wait_for_a_pdf_in_preparation(client, caf_staff, nord_convention, renders):
    client.force_login(caf_staff)
    preview_url = reverse("convention_preview", args=[nord_convention.pk])
    client.get(preview_url)  # renders the PDF if no page count is known yet
    rendered_before = len(renders)
    with override_settings(TASKS=DATABASE_TASKS):
        add_sentence(nord_convention, "Une phrase pour l'aperçu.")

    response = client.get(preview_url)

    assert "Une phrase pour l'aperçu." in response.content.decode()
    assert len(renders) == rendered_before


def read(document):
    with document.file.open("rb") as file:
        return file.read()


def test_the_archived_signed_pdf_is_pdf_a_3b_and_still_verifies_after_sealing(nord_convention, caf_admin, settings):
    from conventions.seal import certificate_path, create_development_certificate, seal_status

    create_development_certificate(
        nord_convention.caf, certificate_path(nord_convention.caf), settings.SEAL_PASSPHRASE
    )
    change_status(nord_convention, ConventionStatus.VALIDATED, caf_admin)
    sign(nord_convention, {s: datetime.date(2023, 1, 18) for s in nord_convention.signatories.all()}, caf_admin)

    archived = read(SignedDocument.objects.get(convention=nord_convention, kind=DocumentKind.SIGNED_PDF))
    sealed = read(SignedDocument.objects.get(convention=nord_convention, kind=DocumentKind.SEALED_PDF))
    for content in (archived, sealed):
        reader = PdfReader(BytesIO(content))
        xmp = reader.xmp_metadata
        assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("3", "B")
        assert reader.metadata.title == nord_convention.title
        assert reader.metadata.author == nord_convention.caf.name
        assert reader.metadata.creation_date is not None
        assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert seal_status(sealed, nord_convention.caf)


def test_a_draft_pdf_is_tagged_with_bookmarks_for_screen_readers(client, caf_staff, nord_convention):
    client.force_login(caf_staff)
    reader = PdfReader(BytesIO(download(client, nord_convention).content))
    catalog = reader.trailer["/Root"]

    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "fr"
    titles = [item.title for item in flattened(reader.outline)]
    assert titles[:2] == ["SOMMAIRE", "CONVENTION TERRITORIALE GLOBALE"]
    assert any(title.upper().startswith("ARTICLE 1 ") for title in titles), titles


def flattened(outline):
    """The bookmarks in order, those nested under a heading included."""
    for item in outline:
        yield from flattened(item) if isinstance(item, list) else [item]


def test_while_the_running_worker_prepares_the_pdf_the_download_says_so_then_gives_it(
    client, caf_staff, nord_convention, renders
):
    from conventions.tasks import prerender_pdf

    with override_settings(TASKS=DATABASE_TASKS):
        add_sentence(nord_convention, "Rendu par le worker.")
    PdfRendition.objects.filter(pk=nord_convention.pk).update(render_started_at=timezone.now())  # the worker took it
    client.force_login(caf_staff)

    preparing = download(client, nord_convention)
    prerender_pdf.call(nord_convention.pk)
    ready = download(client, nord_convention)

    assert preparing.status_code == 202
    assert preparing["Retry-After"] == "2"
    assert "est en préparation" in preparing.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in preparing.content.decode()
    assert ready["Server-Timing"] == 'pdf;desc="cache"'
    assert "Rendu par le worker." in pdf_text(ready.content)
    assert len(renders) == 1  # by the worker only


def test_an_idle_worker_that_beats_still_prepares_the_pdf_and_the_download_waits_for_it(
    client, caf_staff, nord_convention, renders
):
    WorkerHeartbeat.objects.beat("idle-worker")  # polling its queue, no render for a long while
    with override_settings(TASKS=DATABASE_TASKS):
        add_sentence(nord_convention, "Préparé par un worker resté inactif.")
    client.force_login(caf_staff)

    preparing = download(client, nord_convention)

    assert preparing.status_code == 202
    assert renders == []  # the download left it to the worker


def test_a_worker_whose_heartbeat_stopped_a_minute_ago_counts_as_stopped(client, caf_staff, nord_convention):
    WorkerHeartbeat.objects.create(worker="killed-worker", beat_at=timezone.now() - WORKER_ALIVE_WITHIN)
    with override_settings(TASKS=DATABASE_TASKS):
        add_sentence(nord_convention, "Personne ne prépare ce PDF.")
    client.force_login(caf_staff)

    response = download(client, nord_convention)

    assert response.status_code == 200
    assert response["Server-Timing"] == 'pdf;desc="rendered"'


def test_a_pdf_left_too_long_to_the_worker_is_rendered_by_the_download_and_shown_so(
    client, caf_staff, nord_convention
):
    with override_settings(TASKS=DATABASE_TASKS):
        add_sentence(nord_convention, "Le worker est en retard.")
    asked_long_ago = timezone.now() - WORKER_DELAY_ALLOWED - datetime.timedelta(seconds=1)
    PdfRendition.objects.filter(pk=nord_convention.pk).update(
        queued_at=asked_long_ago, render_started_at=timezone.now()
    )
    client.force_login(caf_staff)

    state = pdf_state(client, nord_convention)
    response = download(client, nord_convention)

    assert "PDF produit au téléchargement" in state
    assert response["Server-Timing"] == 'pdf;desc="rendered"'
    assert "Le worker est en retard." in pdf_text(response.content)


def test_without_a_running_worker_the_download_renders_at_once(client, caf_staff, nord_convention):
    with override_settings(TASKS=DATABASE_TASKS):
        add_sentence(nord_convention, "Personne ne rend ce PDF.")
    client.force_login(caf_staff)

    first, second = download(client, nord_convention), download(client, nord_convention)

    assert first["Server-Timing"] == 'pdf;desc="rendered"'
    assert second["Server-Timing"] == 'pdf;desc="cache"'
    assert "Personne ne rend ce PDF." in pdf_text(first.content)
