"""Login required on every page, without losing the user on the way back."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

from ctg.unsent_forms import keep_unsent_form

SESSION_ENDED_IN_PLACE = (
    "Votre session a pris fin : ce que vous venez d'envoyer n'a pas été enregistré. Gardez ce que vous "
    "avez saisi sur cette page (copiez-le), puis rechargez-la pour vous reconnecter."
)
SESSION_ENDED = (
    "Votre session a pris fin : reconnectez-vous. Ce que vous veniez d'envoyer n'est pas encore "
    "enregistré : une fois reconnecté, vous le retrouverez dans la page où vous étiez, à vérifier puis enregistrer."
)


class LoginRequiredReturningToThePage(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except for what a page sends by itself once the session
    has ended (a form posted, an htmx request): returning there after the login would show a bare
    405 (POST-only views) or put the login page inside a table. The user goes back to the page
    they were on, where what they sent is given back to them, unsaved (unsent_forms.py). An htmx
    request leaves the page as it is, with what the user typed in it: app.js shows the plain-text
    answer."""

    def handle_no_permission(self, request, view_func):
        if request.htmx:
            return HttpResponse(SESSION_ENDED_IN_PLACE, status=401, content_type="text/plain; charset=utf-8")
        if request.method in ("GET", "HEAD"):
            return super().handle_no_permission(request, view_func)
        page = path_on_this_site(request, request.headers.get("referer"))
        keep_unsent_form(request, page)
        messages.warning(request, SESSION_ENDED)
        return redirect_to_login(page, self.get_login_url(view_func), self.get_redirect_field_name(view_func))


def path_on_this_site(request, url):
    """The path (and query) of `url` if it is a page of this site, else the home page."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    # "//elsewhere/…" (or "/\\elsewhere", as browsers read it) is a path here but another site's address.
    return path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else "/"


class FormAddressOpenedPage:
    """An address that only takes a form (POST) opened as a page: a reload after a form came back
    with errors, a bookmark, the address bar. Django answers an empty 405, a blank page; this one
    says what happened and leads back to the convention. Still a 405, with its Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or request.method != "GET" or request.htmx:
            return response
        from ctg.views import refused_convention  # the views import the models, not yet ready here

        allowed = [method.strip() for method in response.get("Allow", "POST").split(",")]
        context = {"convention": refused_convention(request)}
        return HttpResponseNotAllowed(allowed, render_to_string("405.html", context, request=request))
