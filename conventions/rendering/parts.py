"""A convention's PDF laid out part by part, each part kept, so that an edit lays out again only
the part it changed.

Every annex starts a page of its own (print.css: `.annex { break-before: page }`), so the text
before the first annex, and each annex, lay out alone exactly as in the whole document. A part
cannot count what lies outside it: its first page number, the document's page count, the page of
an anchor in another part (the sommaire's leaders). Those numbers are given to it, they are part
of its key, and the parts are laid out again until the numbers each was given are the numbers the
whole document has. merge.py joins the parts' PDFs."""

import gc
import json
import re
from dataclasses import dataclass, field
from html import unescape

from . import files
from .helpers import lay_out_all
from .merge import CROSS_PART_LINK, PartPdf, merge_parts
from .pdf import layout, pdf_options, renderer_digest
from .values import PAGE_COUNT_TOKEN

PART_FOLDER = "pdf-cache/parts"
MAX_LAYOUT_PASSES = 4
# WeasyPrint's PDF units per CSS pixel at zoom 1: bookmarks are stored as its PDF writes them.
PDF_UNITS_PER_PIXEL = 0.75

BODY_START = re.compile(r"<body[^>]*>")
ANNEX_START = re.compile(r'<section class="annex ')
ANNEX_ANCHOR_PREFIX = "annexe-"  # base.html: each annex's <section id="annexe-…">
RUNNING_TITLE = re.compile(r'<p class="running-title".*?</p>', re.S)
ANCHOR = re.compile(r'\sid="([^"]+)"')
INTERNAL_LINK = re.compile(r'<a href="#([^"]+)"')
TAG = re.compile(r"<[^>]+>")

# print.css's page footer and sommaire leaders, with the numbers and title a part is given. The parts'
# equivalence test (tests/conventions/test_parts.py) compares every page's text with the single
# pass, so these rules cannot drift from print.css unnoticed. Kept parts are keyed by
# pdf.RENDERER_VERSION (renderer_digest), not by this code: a change here that changes the PDF bumps it.
FIRST_PAGE_CSS = "@page :first {{ counter-reset: page {first} }}"
PAGE_TOTAL_CSS = '@page {{ @bottom-right {{ content: "page " counter(page) " / {total}" }} }}'
PAGE_REFERENCE_CSS = '.sommaire a[href="{href}"]::after {{ content: leader(".") "{page}" }}'
RUNNING_TITLE_CSS = '@page {{ @bottom-left {{ content: "{title}" }} }}'


@dataclass
class Part:
    html: str  # a whole document, its page count still a token
    anchors: frozenset  # the ids it holds
    links_out: tuple = ()  # the ids it links to that other parts hold
    running_title: str = ""  # for an annex: the footer's title, set by the first part's text


@dataclass(frozen=True)
class Numbering:
    """The numbers a part is given."""

    first_page: int
    page_count: int  # the whole document's
    quoted_pages: int  # the pages before the annexes, which the text quotes (output.pages_before_the_annexes)
    page_references: tuple = ()  # (anchor, page) for links to other parts


@dataclass
class Shape:
    """What a part's layout gave, kept to number the other parts before it is laid out again."""

    page_count: int
    anchors: dict = field(default_factory=dict)


def split_into_parts(html):
    """The document cut before each annex: each part is the document's <head> and <body> tag,
    then its piece."""
    body = BODY_START.search(html)
    running_title = RUNNING_TITLE.search(html)
    starts = [match.start() for match in ANNEX_START.finditer(html)]
    if body is None or running_title is None or not starts:
        return [as_part(html)]
    head, end = html[: body.end()], html.rindex("</body>")
    pieces = [html[start:stop] for start, stop in zip([body.end(), *starts], [*starts, end], strict=True)]
    title = text_of(running_title.group(0))
    parts = [as_part(head + pieces[0] + html[end:])]
    parts += [as_part(head + piece + html[end:], running_title=title) for piece in pieces[1:]]
    held = set().union(*(part.anchors for part in parts))
    for part in parts:
        part.links_out = tuple(sorted(name for name in part.links_out if name in held))
    return parts


def as_part(text, running_title=""):
    anchors = frozenset(ANCHOR.findall(text))
    links_out = tuple(sorted(set(INTERNAL_LINK.findall(text)) - anchors))
    return Part(html=text, anchors=anchors, links_out=links_out, running_title=running_title)


def text_of(element):
    return " ".join(unescape(TAG.sub(" ", element)).split())


def produce_by_parts(html, guess=1, *, reuse=True):
    """The document's PDF and page count, from its parts. The page count tried first is the sum
    of the parts' last known counts, else `guess`. `reuse` serves unchanged parts from the part
    cache (without it every part is laid out). Parts never laid out are measured first when
    there are several (`measured`). Each pass numbers every part from what the last pass gave,
    then lays out those not laid out with these numbers yet, in helper processes when the worker
    started some (helpers.py)."""
    parts = split_into_parts(html)
    shapes = [read_shape(part) for part in parts]
    if shapes.count(None) > 1:
        shapes = measured(parts, shapes, guess)
    laid_out_here = {}
    page_count = sum(shape.page_count for shape in shapes) if all(shapes) else guess
    for _ in range(MAX_LAYOUT_PASSES):
        numberings = [numbering_for(index, parts, shapes, page_count) for index in range(len(parts))]
        part_pdfs = part_pdfs_for(parts, numberings, reuse, laid_out_here)
        shapes = [Shape(part_pdf.page_count, part_pdf.anchors) for part_pdf in part_pdfs]
        actual_count = sum(part_pdf.page_count for part_pdf in part_pdfs)
        if all(
            numbering == numbering_for(index, parts, shapes, actual_count)
            for index, numbering in enumerate(numberings)
        ):
            break
        page_count = actual_count
    return merge_parts(part_pdfs), actual_count, numberings[0].quoted_pages


def measured(parts, shapes, guess):
    """The shapes, the unknown ones measured: laid out without their PDF. With two parts or more
    unknown (a first render, a new model), the numbers any of them would be given are wrong until
    the others are measured; writing their PDFs would be wasted, for the next pass lays them out
    again. One unknown part (an edit) is laid out at once: it most often keeps its page count."""
    unknown = [index for index, shape in enumerate(shapes) if shape is None]
    jobs = [(parts[index], numbering_for(index, parts, shapes, guess)) for index in unknown]
    found = lay_out_all(measure_and_free, jobs, weights=[len(part.html) for part, _ in jobs])
    shapes = list(shapes)
    for index, shape in zip(unknown, found, strict=True):
        shapes[index] = shape
        store_shape(parts[index], shape)
    return shapes


def numbering_for(index, parts, shapes, page_count):
    """The part's numbers as far as the shapes known tell them. The parts not laid out yet share
    the pages the others leave of `page_count` (after an edit, the edited part gets its own count
    back when the document's count did not change); an anchor they hold is not known yet (0)."""
    known = [shape.page_count for shape in shapes if shape]
    unknown = len(shapes) - len(known)
    share = max(1, (page_count - sum(known)) // unknown) if unknown else 0
    firsts, first = [], 1
    for shape in shapes:
        firsts.append(first)
        first += shape.page_count if shape else share
    references = []
    for anchor in parts[index].links_out:
        page = 0
        for other, shape in enumerate(shapes):
            if shape and anchor in shape.anchors:
                page = firsts[other] + shape.anchors[anchor]
                break
        references.append((anchor, page))
    # The first part is the text before the annexes (split_into_parts).
    quoted_pages = firsts[1] - 1 if len(shapes) > 1 else page_count
    return Numbering(firsts[index], page_count, quoted_pages, tuple(references))


def numbering_css(part, numbering):
    rules = [
        FIRST_PAGE_CSS.format(first=numbering.first_page),
        PAGE_TOTAL_CSS.format(total=numbering.page_count),
    ]
    if part.running_title:
        rules.append(RUNNING_TITLE_CSS.format(title=css_string(part.running_title)))
    rules += [
        PAGE_REFERENCE_CSS.format(href=css_string(CROSS_PART_LINK + anchor), page=page)
        for anchor, page in numbering.page_references
    ]
    return "\n".join(rules)


def css_string(text):
    """Text inside a double-quoted CSS string: a backslash, a quote or a control character (a line
    break) would end it or change it, so they are written as escapes."""
    return "".join(f"\\{ord(char):x} " if char in '\\"' or ord(char) < 0x20 else char for char in text)


def with_cross_part_links(part):
    """Links to another part point to an address outside the document, which WeasyPrint keeps
    (a link to an anchor the document lacks, it drops); merge.py turns them back into links to
    the anchor."""
    html = part.html
    for anchor in part.links_out:
        html = html.replace(f'<a href="#{anchor}"', f'<a href="{CROSS_PART_LINK}{anchor}"')
    return html


def part_document(part, numbering):
    html = with_cross_part_links(part).replace(PAGE_COUNT_TOKEN, str(numbering.quoted_pages))
    return layout(html, extra_css=numbering_css(part, numbering))


def anchor_pages(document):
    """Each anchor's page, counted from 0 in the part."""
    anchors = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            anchors.setdefault(anchor, index)
    return anchors


def measure_and_free(part, numbering):
    document = part_document(part, numbering)
    shape = Shape(len(document.pages), anchor_pages(document))
    del document
    free_laid_out_document()
    return shape


def lay_out(part, numbering):
    document = part_document(part, numbering)
    anchors, bookmarks = anchor_pages(document), []
    for index, page in enumerate(document.pages):
        for level, label, (x, y), state in page.bookmarks:
            bookmarks.append(
                [level, label, index, x * PDF_UNITS_PER_PIXEL, (page.height - y) * PDF_UNITS_PER_PIXEL, state]
            )
    pdf = document.write_pdf(**pdf_options(document, archival=False))
    return PartPdf(pdf=pdf, page_count=len(document.pages), anchors=anchors, bookmarks=bookmarks)


def part_pdfs_for(parts, numberings, reuse, laid_out_here):
    """Each part's PDF with its numbers: laid out in this render already, kept in the part cache,
    or laid out now (and kept)."""
    keys = [part_key(part, numbering) for part, numbering in zip(parts, numberings, strict=True)]
    for key in keys:
        if key not in laid_out_here and reuse and (kept := read_part(key)):
            laid_out_here[key] = kept
    missing = {key: index for index, key in enumerate(keys) if key not in laid_out_here}
    jobs = [(parts[index], numberings[index]) for index in missing.values()]
    laid_out = lay_out_all(lay_out_and_free, jobs, weights=[len(part.html) for part, _ in jobs])
    for (key, index), part_pdf in zip(missing.items(), laid_out, strict=True):
        store_part(key, part_pdf)
        store_shape(parts[index], part_pdf)
        laid_out_here[key] = part_pdf
    return [laid_out_here[key] for key in keys]


def lay_out_and_free(part, numbering):
    part_pdf = lay_out(part, numbering)
    free_laid_out_document()
    return part_pdf


def free_laid_out_document():
    """A laid-out document is a web of reference cycles that outlives the young collections a
    render leaves running (pdf.young_collections_only): the part just written is collected before
    the next part is laid out, not with all the others after the render. Collecting the two
    younger generations is enough, and cheap; on the demo conventions it lowered the peak memory
    of a render from 211 to 187 MiB at the same speed (a full collection cost 25 % more time)."""
    gc.collect(1)


def part_key(part, numbering):
    numbers = [numbering.first_page, numbering.page_count, numbering.quoted_pages, numbering.page_references]
    return renderer_digest(part.html, json.dumps(numbers))


def shape_key(part):
    return renderer_digest("shape", part.html)


def read_part(key):
    """The kept part, or None. An entry naming a file that is gone counts as none."""
    entry = files.read_entry(PART_FOLDER, key)
    try:
        return PartPdf(
            pdf=files.read(entry["pdf"]),
            page_count=int(entry["pages"]),
            anchors=entry["anchors"],
            bookmarks=entry["bookmarks"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_part(key, part_pdf):
    """Kept as `files.store_with_entry` writes: a process killed meanwhile leaves no entry."""
    files.store_with_entry(
        PART_FOLDER,
        key,
        part_pdf.pdf,
        pages=part_pdf.page_count,
        anchors=part_pdf.anchors,
        bookmarks=part_pdf.bookmarks,
    )


def shape_path(part):
    return f"{PART_FOLDER}/shape-{shape_key(part)}.json"


def read_shape(part):
    try:
        entry = json.loads(files.read(shape_path(part)))
        return Shape(int(entry["pages"]), entry["anchors"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_shape(part, shape):
    """`shape`: a Shape, or a PartPdf (which has a page count and anchors too)."""
    if not files.exists(shape_path(part)):
        files.write(shape_path(part), json.dumps({"pages": shape.page_count, "anchors": shape.anchors}).encode())
