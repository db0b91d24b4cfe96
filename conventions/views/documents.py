from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from django.views.decorators.clickjacking import xframe_options_sameorigin

from conventions.rendering.output import render_convention

from .access import get_convention_for_user


def etag_matches(request, etag):
    """If-None-Match compares weakly (RFC 9110, 13.1.2): W/"x" matches "x"; "*" matches any."""
    header = request.headers.get("If-None-Match", "").strip()
    return header == "*" or etag in {tag.removeprefix("W/") for tag in parse_etags(header)}


@xframe_options_sameorigin  # shown in a pane of the editing page
def preview(request, pk):
    """The convention exactly as its PDF will print, for the browser."""
    convention = get_convention_for_user(request, pk)
    rendered = render_convention(convention)
    return HttpResponse(rendered.html)


def pdf(request, pk):
    convention = get_convention_for_user(request, pk)
    rendered = render_convention(convention, preview=False)
    etag = f'"{rendered.key}"'
    if etag_matches(request, etag):
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{convention.reference}.pdf"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response
