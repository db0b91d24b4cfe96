"""What a form sent after the session ended is kept, and given back to its page after the login.

The form's fields travel in the new session, with the page the form was on and the address it
was sent to. Once the user has logged in and is back on that page, `GiveBackUnsentForm` hands
them to the page (a JSON script) and app.js puts them back in the form, unsaved: the user checks
them and saves. The form's hidden fields come back too, so a text saved by someone else meanwhile
is still refused as a conflict, never overwritten.
"""

import time

from django.conf import settings

SESSION_KEY = "unsent_form"
KEPT_FOR_SECONDS = 3600
NOT_KEPT = {"csrfmiddlewaretoken"}


def is_kept(name):
    """A password never travels back into a page."""
    return name not in NOT_KEPT and "password" not in name


def keep_unsent_form(request, page):
    """Keep what `request` (a form posted without a session) sent, for `page`, the page it came from."""
    fields = {name: values for name, values in request.POST.lists() if is_kept(name)}
    if fields or request.FILES:
        request.session[SESSION_KEY] = {
            "page": page,
            "action": request.path,
            "fields": fields,
            "files": bool(request.FILES),
            "kept_at": time.time(),
        }


class GiveBackUnsentForm:
    """Back on the page after the login, the page gets the form kept for it (`request.unsent_form`,
    which base.html hands to app.js). It is dropped once a page has shown it, or after an hour."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kept = request.session.get(SESSION_KEY)
        if kept and time.time() - kept["kept_at"] > min(KEPT_FOR_SECONDS, settings.SESSION_COOKIE_AGE):
            del request.session[SESSION_KEY]
            kept = None
        shown_here = (
            kept
            and request.user.is_authenticated
            and request.method == "GET"
            and not request.htmx
            and kept["page"] == request.get_full_path()
        )
        if shown_here:
            request.unsent_form = {key: kept[key] for key in ("action", "fields", "files")}
        response = self.get_response(request)
        if shown_here and response.status_code == 200:
            request.session.pop(SESSION_KEY, None)
        return response
