"""A convention's final HTML and PDF, with the true page count, through a content-keyed cache."""

from dataclasses import dataclass

from django.template.loader import render_to_string

from conventions.models import Convention, PdfRendition

from . import files
from .document import build_document, resolve_template
from .parts import ANNEX_ANCHOR_PREFIX, MAX_LAYOUT_PASSES, produce_by_parts
from .pdf import layout, pdf_options, renderer_digest, young_collections_only
from .values import PAGE_COUNT_TOKEN

CACHE_FOLDER = "pdf-cache"


@dataclass
class RenderedConvention:
    html: str  # the preview: the same document, with its stylesheet links
    pdf: bytes
    page_count: int
    quoted_pages: int  # what "Cette convention comporte N pages" says: pages_before_the_annexes
    key: str
    stored: "StoredPdf | None" = None  # where the cache keeps it


def document_html(document, *, for_pdf):
    template_name = resolve_template(document.convention.template.slug, "convention.html")
    return render_to_string(template_name, {"document": document, "for_pdf": for_pdf})


def with_page_count(html, page_count):
    return html.replace(PAGE_COUNT_TOKEN, str(page_count))


def content_key(html):
    """Derived from the final HTML (before the page count is known) and the renderer's version, so
    any change that alters the document changes the key, and nothing else does."""
    return renderer_digest(html)


def pages_before_the_annexes(document):
    """The page count the convention quotes: the pages before its first annex, or all of them when
    it has none (DESIGN §4, the page count is true). « Cette convention comporte 9 pages paraphées
    par les parties et les 4 annexes énumérées dans le sommaire » (Nord seed) counts the annexes
    apart: its signatures end on page 9, as the Var act's end on page 7 (« comporte 7 pages … et
    les 4 annexes »). Every annex starts a page of its own, at the anchor base.html gives it."""
    for index, page in enumerate(document.pages):
        if any(anchor.startswith(ANNEX_ANCHOR_PREFIX) for anchor in page.anchors):
            return index
    return len(document.pages)


def produce_pdf(html, guess=1, *, archival=False, reuse_parts=True):
    """Lay the document out until the page count it quotes is the count it has ("Cette convention
    comporte N pages", `pages_before_the_annexes`). Returns (pdf bytes, page count, quoted pages).

    `guess` is the count to try first: the convention's last counts make one pass enough after
    most edits. Drafts and previews are laid out part by part, unchanged parts taken from the part
    cache unless `reuse_parts` is false (parts.py); the archived signed copy, PDF/A-3b, in one
    pass."""
    with young_collections_only():
        if not archival:
            return produce_by_parts(html, guess, reuse=reuse_parts)
        for _ in range(MAX_LAYOUT_PASSES):
            document = layout(with_page_count(html, guess))
            quoted = pages_before_the_annexes(document)
            if PAGE_COUNT_TOKEN not in html or quoted == guess:
                break
            guess = quoted
        return document.write_pdf(**pdf_options(document, archival=archival)), len(document.pages), quoted


@dataclass
class StoredPdf:
    """A PDF in the content-keyed cache."""

    key: str
    page_count: int
    quoted_pages: int  # pages_before_the_annexes
    name: str  # its file in the storage
    source: str = "cache"  # "cache" (stored) or "rendered" (here, now)

    def read(self):
        return files.read(self.name)


def entry_path(key):
    return files.entry_name(CACHE_FOLDER, key)


def cached(key):
    """The stored PDF for this content key, or None. An entry being written, or naming a file
    that is gone, counts as none: the PDF is then rendered again."""
    entry = files.read_entry(CACHE_FOLDER, key)
    try:
        if entry and files.exists(entry["pdf"]):
            return StoredPdf(key, int(entry["pages"]), int(entry["quoted_pages"]), entry["pdf"])
    except (KeyError, TypeError, ValueError):
        pass
    return None


def store(key, pdf, page_count, quoted_pages):
    """In the cache as `files.store_with_entry` writes: a download and the worker storing the same
    content at once never delete or overwrite each other's files."""
    name = files.store_with_entry(CACHE_FOLDER, key, pdf, pages=page_count, quoted_pages=quoted_pages)
    return StoredPdf(key, page_count, quoted_pages, name)


def prune_cache(modified_before):
    """Deletes the cached PDFs and parts last written before `modified_before`, but never the PDF
    a convention's rendition names: a download of an unchanged convention still finds it. A part
    or a PDF deleted is laid out again when next needed. Returns (files deleted, bytes freed)."""
    keep = set()
    for key in PdfRendition.objects.exclude(key="").values_list("key", flat=True):
        stored = cached(key)
        if stored:
            keep |= {entry_path(key), stored.name}
    return files.prune(CACHE_FOLDER, modified_before=modified_before, keep=keep)


def current_pdf(convention):
    """The PDF of the convention's current content, or None while a running worker prepares it.

    A current rendition is served without building the document. When the worker is preparing
    the PDF, the caller answers "en préparation" at once instead of holding a web worker for the
    seconds a render takes (or rendering the same document beside the worker). Otherwise (no
    worker, a failed render, a PDF asked of the worker too long ago: see `is_preparing`) the PDF
    is rendered now: nothing waits on a worker that does not come."""
    rendition = PdfRendition.objects.filter(pk=convention.pk).first()
    stored = cached(rendition.key) if rendition and rendition.is_current else None
    if stored:
        return stored
    if rendition and rendition.is_preparing and PdfRendition.objects.worker_is_alive():
        return None
    return render_current(convention.pk)


def render_current(convention_id):
    """Render the convention as it is now and record which content version the PDF holds. The
    version is read before the content, so a save landing meanwhile leaves the PDF not current."""
    version = PdfRendition.objects.version_of(convention_id)
    rendered = render_convention(Convention.objects.get(pk=convention_id), preview=False)
    PdfRendition.objects.record(convention_id, version, rendered.key, rendered.page_count)
    rendered.stored.source = "rendered"
    return rendered.stored


def preview_html(convention):
    """The HTML preview: the same document as the PDF, for the browser. The page count it quotes
    is the stored PDF's for this content; while that PDF is being prepared, the last rendered
    PDF's (the pane shows the text at once); with none stored, the PDF is rendered now."""
    document = build_document(convention)
    stored = cached(content_key(document_html(document, for_pdf=True)))
    if stored is None:
        rendition = PdfRendition.objects.filter(pk=convention.pk).first()
        stored = (cached(rendition.key) if rendition and rendition.key else None) or render_current(convention.pk)
    return with_page_count(document_html(document, for_pdf=False), stored.quoted_pages)


def render_convention(convention, *, use_cache=True, preview=True, archival=False):
    """The convention's PDF (from the cache when its content is unchanged) and, with `preview`,
    the HTML preview holding the same text. `archival` gives the signed copy to archive
    (PDF/A-3b, never cached: its creation date is its own)."""
    document = build_document(convention)
    pdf_html = document_html(document, for_pdf=True)
    key = content_key(pdf_html)
    use_cache = use_cache and not archival
    stored = cached(key) if use_cache else None
    if stored:
        pdf, page_count, quoted_pages = stored.read(), stored.page_count, stored.quoted_pages
    else:
        # The last count makes one layout pass enough after most edits.
        guess = PdfRendition.objects.filter(pk=convention.pk).values_list("page_count", flat=True).first() or 1
        pdf, page_count, quoted_pages = produce_pdf(pdf_html, guess, archival=archival, reuse_parts=use_cache)
        if use_cache:
            stored = store(key, pdf, page_count, quoted_pages)
    html = with_page_count(document_html(document, for_pdf=False), quoted_pages) if preview else ""
    return RenderedConvention(
        html=html, pdf=pdf, page_count=page_count, quoted_pages=quoted_pages, key=key, stored=stored
    )
