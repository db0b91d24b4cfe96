from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils.http import parse_etags

from conventions.models import Convention
from conventions.rendering.output import render_convention


def get_convention_for_user(request, pk, *, edit=False):
    """The convention `pk` if the user may read it, else 404 (another Caf's or collectivité's
    convention does not exist for them). With `edit`, a visible convention the user may not change
    (a commune user, or a signed convention) raises PermissionDenied."""
    convention = get_object_or_404(
        Convention.objects.visible_to(request.user).select_related("caf", "template"), pk=pk
    )
    if edit and (convention.is_signed or not (request.user.is_superuser or request.user.is_caf_user)):
        raise PermissionDenied("Vous ne pouvez pas modifier cette convention.")
    return convention


def etag_matches(request, etag):
    """If-None-Match compares weakly (RFC 9110, 13.1.2): W/"x" matches "x"; "*" matches any."""
    header = request.headers.get("If-None-Match", "").strip()
    return header == "*" or etag in {tag.removeprefix("W/") for tag in parse_etags(header)}


def home(request):
    conventions = Convention.objects.visible_to(request.user).select_related("caf", "template").order_by("reference")
    return render(request, "conventions/home.html", {"conventions": conventions})


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
