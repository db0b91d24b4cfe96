"""WeasyPrint, sandboxed and kept warm: one font configuration and one parsed print stylesheet
for the life of the process, a URL fetcher that serves only the project's static files."""

import contextlib
import functools
import gc
import hashlib
import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint import __version__ as weasyprint_version
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# A host that can never resolve (RFC 2606): relative URLs in the document resolve against it, and
# the fetcher maps it to static files without any network access.
BASE_URL = "https://static.ctg.invalid/"
PRINT_STYLESHEET = "css/print.css"
RENDERER_VERSION = "3"
WARM_UP_TEXT = "Convention territoriale globale"


class StaticFilesOnlyFetcher(URLFetcher):
    """Serve only files found by Django's staticfiles finders under STATIC_URL on BASE_URL.

    Everything else — file://, data:, other hosts, loopback or metadata addresses, path traversal —
    is refused and recorded in `refused`; WeasyPrint then renders without the resource.
    """

    def __init__(self):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)
        self.refused = []

    def fetch(self, url, headers=None):
        path = self.static_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"Ressource refusée par le rendu PDF : {url[:200]}")
        mime_type, _ = mimetypes.guess_type(path)
        with open(path, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type or "application/octet-stream"})

    @staticmethod
    def static_path(url):
        parts = urlsplit(url)
        base = urlsplit(BASE_URL)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query or parts.username:
            return None
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        path = unquote(parts.path)
        if not path.startswith(prefix):
            return None
        relative = path[len(prefix) :]
        if not relative or posixpath.normpath(relative) != relative or relative.startswith(("/", "..")):
            return None
        return finders.find(relative)


@functools.cache
def font_config():
    return FontConfiguration()


@functools.cache
def print_stylesheet():
    return CSS(
        url=BASE_URL + settings.STATIC_URL.strip("/") + "/" + PRINT_STYLESHEET,
        url_fetcher=StaticFilesOnlyFetcher(),
        font_config=font_config(),
    )


@functools.cache
def stylesheet_digest():
    path = finders.find(PRINT_STYLESHEET)
    fonts = finders.find("css/fonts.css")
    digest = hashlib.sha256()
    for name in (path, fonts):
        with open(name, "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()


def renderer_digest(*pieces):
    """A key for what the renderer makes of `pieces`: it changes with them, with the renderer's
    version, WeasyPrint's and the print stylesheet, and with nothing else."""
    digest = hashlib.sha256()
    for piece in (RENDERER_VERSION, weasyprint_version, stylesheet_digest(), *pieces):
        digest.update(piece.encode())
        digest.update(b"\0")
    return digest.hexdigest()


# The collector's thresholds as the process started, restored after each render.
COLLECTOR_THRESHOLDS = gc.get_threshold()
# During a render, the older generations are collected only after this many younger collections:
# in practice never.
RENDER_OLDER_GENERATIONS_THRESHOLD = 1000


def use_render_thresholds():
    young, *_older = COLLECTOR_THRESHOLDS
    gc.set_threshold(young, RENDER_OLDER_GENERATIONS_THRESHOLD, RENDER_OLDER_GENERATIONS_THRESHOLD)


@contextlib.contextmanager
def young_collections_only():
    """Python's garbage collector collects only young objects for the length of one render.

    A render allocates a few hundred thousand objects while the laid-out document, which survives
    the young collections, stays alive: each collection of the older generations walks that
    document again. Left to the young collections, which still free the render's short-lived
    cycles, six demo conventions render about 15 % faster for 8 MiB more peak memory; pausing the
    collector altogether cost 20 MiB more (bench/README.md). Restoring the process's own
    thresholds, rather than those found on entry, means overlapping renders in one process can
    never leave them raised. (A layout helper, which only renders, keeps them: helpers.py.)"""
    use_render_thresholds()
    try:
        yield
    finally:
        gc.set_threshold(*COLLECTOR_THRESHOLDS)


def layout(html, fetcher=None, extra_css=""):
    """Lay out a document; returns WeasyPrint's rendered document (pages, then write_pdf).
    `extra_css` (our own rules, never user text) comes after the print stylesheet."""
    fetcher = fetcher or StaticFilesOnlyFetcher()
    stylesheets = [print_stylesheet()]
    if extra_css:
        stylesheets.append(CSS(string=extra_css, font_config=font_config()))
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        stylesheets=stylesheets, font_config=font_config()
    )
    if fetcher.refused:
        logger.warning("PDF rendering refused %d resource(s): %s", len(fetcher.refused), fetcher.refused[:5])
    return document


def pdf_options(document, *, archival):
    """Every PDF is tagged (structure tree in reading order, headings as bookmarks) so that screen
    readers read drafts and previews. The archived signed copy is also PDF/A-3b, dated when it is
    produced: title, author and language come from the document's <head>."""
    if not archival:
        return {"pdf_tags": True}
    document.metadata.created = timezone.now().isoformat(timespec="seconds")
    return {"pdf_variant": "pdf/a-3b", "pdf_tags": True}


def warm_up():
    """Import and set up what every render needs (the task module, WeasyPrint, the fonts, the
    parsed print stylesheet, Pango) with a one-line document, so that the first PDF a process
    renders costs what the next ones do. The worker calls it at start, before it polls its queue,
    so that the first save after a restart does not wait for these imports."""
    import conventions.tasks  # noqa: F401 -- the worker imports it with its first task

    layout(f"<html lang='fr'><title>{WARM_UP_TEXT}</title><p>{WARM_UP_TEXT}</p></html>").write_pdf(pdf_tags=True)
