"""The error pages: the server-error page, which tells a lost database connection from a bug, and
the refusal page, which leads back to the convention refused."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseForbidden, HttpResponseServerError
from django.template.loader import render_to_string

from conventions.models import Convention, ConventionFrozen

RETRY_AFTER_SECONDS = 5


def server_error(request):
    """A request that lost its database (a restart, a failover) gets 503 "réessayez dans quelques
    secondes" with Retry-After: its transaction was rolled back, nothing is half-saved, and the
    next request opens a new connection (CONN_HEALTH_CHECKS). Anything else is a 500."""
    exception = sys.exc_info()[1]
    if isinstance(exception, (OperationalError, InterfaceError)):
        response = HttpResponseServerError(render_to_string("503.html"))
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(render_to_string("500.html"))


def permission_denied(request, exception):
    """403 "Action non autorisée", with its reason and, when the refused page belongs to a
    convention the user reads, a link back to that convention."""
    context = {
        "exception": str(exception),
        "convention": refused_convention(request),
        "unsaved_texts": unsaved_texts(request, exception),
    }
    return HttpResponseForbidden(render_to_string("403.html", context, request=request))


def unsaved_texts(request, exception):
    """The texts a form carried when it was refused because its convention was signed (or
    terminated) since the page was opened, a tab left open: none of it was saved, so it is shown
    back to be copied into an avenant. Typed prose only (it holds a space): not the form's codes."""
    if request.method != "POST" or not isinstance(exception, ConventionFrozen):
        return []
    return [value for key, value in request.POST.items() if key != "csrfmiddlewaretoken" and " " in value.strip()]


def refused_convention(request):
    """The convention of the refused URL (conventions/<pk>/…), if the user may read it; else None."""
    match = request.resolver_match
    if match is None or "pk" not in match.kwargs or not match.route.lstrip("^").startswith("conventions/"):
        return None
    return Convention.objects.visible_to(request.user).filter(pk=match.kwargs["pk"]).first()
