"""Text, links and structure of rendered conventions, as a reader of the PDF (or a screen reader) or of
the preview finds them."""

import re
import subprocess
from html import unescape
from html.parser import HTMLParser
from io import BytesIO

import pikepdf
from pypdf import PdfReader

MARGIN_TEXT = re.compile(r"PROJET – document non signé|page \d+ / \d+")
LEADERS = re.compile(r"(?:\s*\.){6,}\s*\d*")


def normalise(text):
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("ﬁ", "fi").replace("ﬂ", "fl")
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(pdf_bytes, running_title=""):
    """The document's words in reading order, without the page margins (running title, page
    numbers, draft line) and the sommaire's leaders."""
    raw = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf_bytes, capture_output=True, check=True)
    text = MARGIN_TEXT.sub(" ", raw.stdout.decode())
    if running_title:
        text = text.replace(running_title, " ")
    return normalise(LEADERS.sub(" ", text))


def pdf_pages(pdf_bytes):
    return [page.extract_text() for page in PdfReader(BytesIO(pdf_bytes)).pages]


class _VisibleText(HTMLParser):
    """The text of <body>, skipping what is aria-hidden (the draft mark, the running title)."""

    VOID = {"br", "img", "hr", "meta", "link", "input"}
    INLINE = {"a", "sup", "sub", "strong", "em", "b", "i", "u", "span", "code"}

    def __init__(self):
        super().__init__()
        self.parts, self.stack, self.hidden_depth, self.in_body = [], [], 0, False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in self.VOID:
            self.parts.append(" ")
            return
        hidden = dict(attrs).get("aria-hidden") == "true"
        self.stack.append(hidden)
        self.hidden_depth += hidden
        if tag not in self.INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.stack:
            return
        self.hidden_depth -= self.stack.pop()
        if tag not in self.INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        if self.in_body and not self.hidden_depth:
            self.parts.append(data)


def html_text(html):
    parser = _VisibleText()
    parser.feed(html)
    return normalise("".join(parser.parts))


def table_headers(html):
    """The texts of the header cells of tables: a PDF repeats them when a table runs over a page."""
    cells = re.findall(r"<thead>(.*?)</thead>", html, re.DOTALL)
    return {
        normalise(unescape(re.sub(r"<[^>]+>", " ", cell)))
        for row in cells
        for cell in re.findall(r"<th[^>]*>(.*?)</th>", row, re.DOTALL)
    }


def squash(text, headers=()):
    """Letters only: line breaks, hyphens at line ends, bullets and list numbers differ between a
    browser's text and a PDF's; the words do not. A footnote's link back ("↩") shows on screen
    only. Table headers, which a PDF repeats on each page a table runs over, are taken out."""

    def letters(value):
        value = re.sub(r"(?<!\w)\d+\.(?!\d)", " ", value)  # ordered list numbers
        return re.sub(r"[\s\-•◦▪↩]", "", value)  # "↩": a footnote's link back, screen only

    text = letters(text)
    for header in sorted({letters(header) for header in headers}, key=len, reverse=True):
        if header:
            text = text.replace(header, "")
    return text


def same_text(preview_text, pdf_text, headers):
    """True when the preview's text runs through the PDF's in the same order, and the PDF adds
    nothing but digits and dots (page numbers of the sommaire, list numbers)."""
    preview, pdf = squash(preview_text, headers), squash(pdf_text, headers)
    leftover, start = [], 0
    for i in range(0, len(preview), 60):
        chunk = preview[i : i + 60]
        found = pdf.find(chunk, start)
        if found < 0:
            raise AssertionError(f"Not in the PDF, in this order: {chunk!r}")
        leftover.append(pdf[start:found])
        start = found + len(chunk)
    leftover.append(pdf[start:])
    extra = re.sub(r"[\d.]", "", "".join(leftover))
    if extra:
        raise AssertionError(f"Only in the PDF: {extra[:200]!r}")
    return True


def page_texts(pdf):
    """Each page's text as laid out, margins (running title, page numbers) included."""
    raw = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return raw.stdout.decode().split("\f")


def outline(pdf):
    reader = PdfReader(BytesIO(pdf))

    def entries(items):
        return [
            entries(item) if isinstance(item, list) else (item.title, reader.get_destination_page_number(item))
            for item in items
        ]

    return entries(reader.outline)


def links(pdf):
    """Each link annotation: its page, and the page its named destination leads to (or its URL)."""
    reader = PdfReader(BytesIO(pdf))
    destinations = {
        name: reader.get_destination_page_number(target) for name, target in reader.named_destinations.items()
    }
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                found.append((number, destinations[str(annotation["/Dest"])], str(annotation.get("/Contents"))))
            else:
                found.append((number, str(annotation["/A"]["/URI"]), str(annotation.get("/Contents"))))
    return found


def structure(pdf):
    """The structure tree in reading order: each element's depth, type and page."""
    document = pikepdf.open(BytesIO(pdf))
    page_numbers = {page.objgen: number for number, page in enumerate(document.pages)}
    elements = []

    def walk(element, depth):
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            page = page_numbers.get(element.Pg.objgen) if "/Pg" in element else None
            elements.append((depth, str(element.S), page))
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid, depth + 1)

    for top in document.Root.StructTreeRoot.K:
        walk(top, 0)
    return elements


def assert_same_document(joined, single):
    assert page_texts(joined) == page_texts(single)
    assert outline(joined) == outline(single)
    assert links(joined) == links(single)
    assert structure(joined) == structure(single)
