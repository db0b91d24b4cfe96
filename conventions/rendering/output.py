"""A convention's final HTML and PDF, with the true page count, through a content-keyed cache."""

import hashlib
from dataclasses import dataclass

import weasyprint
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from .document import build_document, resolve_template
from .pdf import RENDERER_VERSION, layout, stylesheet_digest
from .values import PAGE_COUNT_TOKEN

CACHE_FOLDER = "pdf-cache"
MAX_LAYOUT_PASSES = 4


@dataclass
class RenderedConvention:
    html: str  # the preview: the same document, with its stylesheet links
    pdf: bytes
    page_count: int
    key: str


def document_html(document, *, for_pdf):
    template_name = resolve_template(document.convention.template.slug, "convention.html")
    return render_to_string(template_name, {"document": document, "for_pdf": for_pdf})


def with_page_count(html, page_count):
    return html.replace(PAGE_COUNT_TOKEN, str(page_count))


def content_key(html):
    """Derived from the final HTML (before the page count is known) and the renderer's version, so
    any change that alters the document changes the key, and nothing else does."""
    digest = hashlib.sha256()
    for part in (RENDERER_VERSION, weasyprint.__version__, stylesheet_digest(), html):
        digest.update(part.encode())
    return digest.hexdigest()


def produce_pdf(html, guess=1):
    """Lay the document out until the page count it quotes is the page count it has
    ("Cette convention comporte N pages", DESIGN §4). Returns (pdf bytes, page count).

    `guess` is the count to try first: the convention's last count makes one pass enough
    after most edits."""
    for _ in range(MAX_LAYOUT_PASSES):
        document = layout(with_page_count(html, guess))
        if PAGE_COUNT_TOKEN not in html or len(document.pages) == guess:
            break
        guess = len(document.pages)
    return document.write_pdf(), len(document.pages)


def render_convention(convention, *, use_cache=True, preview=True):
    """The convention's PDF (from the cache when its content is unchanged) and, with `preview`,
    the HTML preview holding the same text."""
    document = build_document(convention)
    pdf_html = document_html(document, for_pdf=True)
    key = content_key(pdf_html)
    pdf_path, count_path = f"{CACHE_FOLDER}/{key}.pdf", f"{CACHE_FOLDER}/{key}.pages"
    hint_path = f"{CACHE_FOLDER}/hints/{convention.pk}.pages"
    if use_cache and default_storage.exists(pdf_path) and default_storage.exists(count_path):
        pdf, page_count = _read(pdf_path), int(_read(count_path))
    else:
        guess = int(_read(hint_path)) if default_storage.exists(hint_path) else 1
        pdf, page_count = produce_pdf(pdf_html, guess)
        _write(hint_path, str(page_count).encode())
        if use_cache:
            # The PDF first, its page count last: the count marks a complete PDF, so a process
            # killed while writing leaves a file that is never taken as cached.
            _write(pdf_path, pdf)
            _write(count_path, str(page_count).encode())
    html = with_page_count(document_html(document, for_pdf=False), page_count) if preview else ""
    return RenderedConvention(html=html, pdf=pdf, page_count=page_count, key=key)


def _read(path):
    with default_storage.open(path) as file:
        return file.read()


def _write(path, content):
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(content))
