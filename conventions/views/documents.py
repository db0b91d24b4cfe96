from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.http import parse_etags
from django.views.decorators.clickjacking import xframe_options_sameorigin

from conventions.models import PdfRendition
from conventions.rendering.output import current_pdf, preview_html

from .access import get_convention_for_user


def etag_matches(request, etag):
    """If-None-Match compares weakly (RFC 9110, 13.1.2): W/"x" matches "x"; "*" matches any."""
    header = request.headers.get("If-None-Match", "").strip()
    return header == "*" or etag in {tag.removeprefix("W/") for tag in parse_etags(header)}


@xframe_options_sameorigin  # shown in a pane of the editing page
def preview(request, pk):
    """The convention exactly as its PDF will print, for the browser."""
    convention = get_convention_for_user(request, pk)
    return HttpResponse(preview_html(convention))


# Seconds before the "en préparation" page asks again (a render takes a few seconds).
PREPARING_RETRY_SECONDS = 2


def pdf(request, pk):
    """The PDF of the convention as it is now: pre-rendered after the last save when the worker
    has done it, else rendered here. The key is the content's, so ETag / 304 are exact. While the
    worker prepares it, a page says so and asks again by itself: no web worker waits."""
    convention = get_convention_for_user(request, pk)
    signed_copy = convention.signed_copy_in_force()
    if signed_copy is not None:
        return archived_pdf(request, convention, signed_copy)
    stored = current_pdf(convention)
    if stored is None:
        return pdf_preparing(request, convention)
    etag = f'"{stored.key}"'
    if etag_matches(request, etag):
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(stored.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{convention.reference}.pdf"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    # Where the PDF came from (the load test sorts downloads by it): cache, worker or rendered.
    response["Server-Timing"] = f'pdf;desc="{stored.source}"'
    return response


def archived_pdf(request, convention, document):
    """A signed convention is downloaded as it was archived at the signature, byte for byte: the
    copy that "Vérifier un PDF signé" recognises, not a new rendering of the same text."""
    etag = f'"{document.sha256}"'
    if etag_matches(request, etag):
        return HttpResponseNotModified(headers={"ETag": etag})
    response = stored_file(document.file, missing="Le PDF signé archivé est introuvable.")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def pdf_preparing(request, convention):
    response = render(
        request,
        "conventions/pdf_preparing.html",
        {"convention": convention, "retry_seconds": PREPARING_RETRY_SECONDS},
        status=202,
    )
    response["Retry-After"] = str(PREPARING_RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Server-Timing"] = 'pdf;desc="preparing"'
    return response


def pdf_state(request, pk):
    """ "PDF à jour" / "PDF en préparation", polled by the convention page while it prepares."""
    convention = get_convention_for_user(request, pk)
    rendition = PdfRendition.objects.filter(pk=convention.pk).first()
    return render(request, "conventions/includes/pdf_state.html", {"convention": convention, "rendition": rendition})


def stored_file(file, missing="Ce fichier est introuvable."):
    """A stored file (a délibération, a signed PDF) downloaded under its own name; uploads have no
    public URL, so every download goes through a view that checked who asks."""
    try:
        opened = file.open("rb")
    except FileNotFoundError:
        raise Http404(missing) from None
    return FileResponse(opened, as_attachment=True, filename=file.name.rsplit("/", 1)[-1])
