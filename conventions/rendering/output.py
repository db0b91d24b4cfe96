"""A convention's final HTML and PDF, with the true page count, through a content-keyed cache."""

from dataclasses import dataclass

from django.template.loader import render_to_string

from conventions.models import Convention, PdfRendition

from . import files
from .document import build_document, resolve_template
from .parts import MAX_LAYOUT_PASSES, produce_by_parts
from .pdf import layout, pdf_options, renderer_digest, young_collections_only
from .values import PAGE_COUNT_TOKEN

CACHE_FOLDER = "pdf-cache"


@dataclass
class RenderedConvention:
    html: str  # the preview: the same document, with its stylesheet links
    pdf: bytes
    page_count: int
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


def produce_pdf(html, guess=1, *, archival=False, reuse_parts=True):
    """Lay the document out until the page count it quotes is the page count it has
    ("Cette convention comporte N pages", DESIGN §4). Returns (pdf bytes, page count).

    `guess` is the count to try first: the convention's last count makes one pass enough
    after most edits. Drafts and previews are laid out part by part, unchanged parts taken from
    the part cache unless `reuse_parts` is false (parts.py); the archived signed copy, PDF/A-3b,
    in one pass."""
    with young_collections_only():
        if not archival:
            return produce_by_parts(html, guess, reuse=reuse_parts)
        for _ in range(MAX_LAYOUT_PASSES):
            document = layout(with_page_count(html, guess))
            if PAGE_COUNT_TOKEN not in html or len(document.pages) == guess:
                break
            guess = len(document.pages)
        return document.write_pdf(**pdf_options(document, archival=archival)), len(document.pages)


@dataclass
class StoredPdf:
    """A PDF in the content-keyed cache."""

    key: str
    page_count: int
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
            return StoredPdf(key, int(entry["pages"]), entry["pdf"])
    except (KeyError, TypeError, ValueError):
        pass
    return None


def store(key, pdf, page_count):
    """In the cache as `files.store_with_entry` writes: a download and the worker storing the same
    content at once never delete or overwrite each other's files."""
    return StoredPdf(key, page_count, files.store_with_entry(CACHE_FOLDER, key, pdf, pages=page_count))


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
    """The HTML preview: the same document as the PDF, for the browser. Its page count is the
    stored PDF's for this content; while that PDF is being prepared, the last known count (the
    pane shows the text at once); with no count known yet, the PDF is rendered now."""
    document = build_document(convention)
    stored = cached(content_key(document_html(document, for_pdf=True)))
    if stored:
        page_count = stored.page_count
    else:
        rendition = PdfRendition.objects.filter(pk=convention.pk).first()
        page_count = rendition.page_count if rendition and rendition.page_count else None
        if page_count is None:
            page_count = render_current(convention.pk).page_count
    return with_page_count(document_html(document, for_pdf=False), page_count)


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
        pdf, page_count = stored.read(), stored.page_count
    else:
        # The last count makes one layout pass enough after most edits.
        guess = PdfRendition.objects.filter(pk=convention.pk).values_list("page_count", flat=True).first() or 1
        pdf, page_count = produce_pdf(pdf_html, guess, archival=archival, reuse_parts=use_cache)
        if use_cache:
            stored = store(key, pdf, page_count)
    html = with_page_count(document_html(document, for_pdf=False), page_count) if preview else ""
    return RenderedConvention(html=html, pdf=pdf, page_count=page_count, key=key, stored=stored)
