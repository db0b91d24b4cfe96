"""The server-error page, which tells a lost database connection from a bug."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template.loader import render_to_string

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
