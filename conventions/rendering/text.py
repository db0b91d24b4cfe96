"""From an article's Markdown with placeholders and option blocks to safe HTML.

Order matters: the editor's text is escaped first (typed HTML shows as text), option blocks are
kept or dropped, placeholders are replaced by escaped plain values, then Markdown runs and nh3 keeps
only harmless tags.
"""

import functools
import re
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from conventions.wording import continues_after_et

# Whatever an editor writes between double braces: « {{ Collectivites }} » is `collectivites`, and a
# name nothing fills (« {{ nom commune }} ») prints as a blank, never as typed (placeholder_key).
PLACEHOLDER_RE = re.compile(r"\{\{[ \t]*([^{}\n]*?)[ \t]*\}\}")
ET_BEFORE_PLACEHOLDER_RE = re.compile(r"[ \t]+et[ \t\n]+(?=\{\{[ \t]*([^{}\n]*?)[ \t]*\}\})")
# Where a sentence starts: the text's or a line's start (after a list marker, a heading's # or an
# opening emphasis), or after a full stop.
SENTENCE_START_RE = re.compile(
    r"(?:\A|\n)[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+|#+[ \t]+|>[ \t]*)?(?:\*\*|__|\*|_)?\Z|[.!?…][ \t]+\Z"
)
OPTION_BLOCK_RE = re.compile(
    r"^:::[ \t]*if[ \t]+(?P<key>[a-z0-9_]+)(?:[ \t]*=[ \t]*(?P<value>[\w-]+))?[ \t]*\n(?P<body>.*?)^:::[ \t]*$\n?",
    re.MULTILINE | re.DOTALL,
)
# What the models' authors leave for editors to fill: never printed (DESIGN §4).
LEFTOVER_RE = re.compile(r"\bX{3,}\b|\b20[Xx]{2}\b|\(\s*(?:…|\.{3})\s*\)|…{2,}|\.{4,}")
# A line of an annex's text telling where the annex's table prints (else: after the text).
TABLE_SLOT_RE = re.compile(r"^:::[ \t]*tableau[ \t]*$\n?", re.MULTILINE)
LINE_BREAK_TAG_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
LINE_BREAK_TOKEN = "\x00br\x00"

GUILLEMET_SPACE_RE = re.compile(r"« | »")

BLANK_HTML = '<span class="blank" title="À compléter"></span>'

# An article's or annex's title is the document's h2: headings typed in its text sit below it.
FIRST_SUBHEADING_LEVEL = 3
# The link back from a footnote is read aloud and shown on hover: in French, like the rest.
BACKLINK_TITLE = "Revenir à l'appel de la note {}"
MARKDOWN_SETTINGS = {"footnotes": {"SEPARATOR": "-", "BACKLINK_TITLE": BACKLINK_TITLE}}
# « fn-… » a note, « fnref-… » its call, « fnref2-… » its second call.
FOOTNOTE_ID_RE = re.compile(r"^(#?fn(?:ref\d*)?-)")
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr",
    "th", "td", "h3", "h4", "h5", "h6", "a", "span", "sup", "sub", "div", "hr", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "id"},
    "span": {"class", "title"},
    "sup": {"id"},
    "li": {"id"},
    "div": {"class"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


class SubheadingsBelowTheTitle(Treeprocessor):
    """Make "#" and "##" typed in a text subheadings (h3): their words keep a heading's look under
    the article's title instead of printing as a bare line (h1 and h2 are not allowed tags)."""

    def run(self, root):
        for element in root.iter():
            if element.tag in ("h1", "h2"):
                element.tag = f"h{FIRST_SUBHEADING_LEVEL}"


@dataclass
class FootnoteNumbering:
    """The footnotes of a document numbered from its first text to its last, as a word processor
    numbers them: the national model's second note, in its article 9, is note 2, not a second
    note 1. `section` keeps the notes' anchors apart when two texts use the same label."""

    count: int = 0
    section: str = ""

    def at(self, section):
        """The numbering, for the text of `section` (its key) that comes next."""
        self.section = section
        return self


class FootnotesThroughTheDocument(Treeprocessor):
    """Numbers a text's footnotes after those of the texts before it (`FootnoteNumbering`), and
    gives their anchors the text's section: « fn-article-3-1 ». A note's number is written before
    its text (« 2. Nom susceptible… »), not left to the list: WeasyPrint ignores <ol start>."""

    def run(self, root):
        numbering = getattr(self.md, "footnote_numbering", None) or FootnoteNumbering()
        notes = 0
        for element in root.iter():
            for attribute in ("id", "href"):
                value = element.get(attribute, "")
                if numbering.section and FOOTNOTE_ID_RE.match(value):
                    element.set(attribute, FOOTNOTE_ID_RE.sub(rf"\g<1>{numbering.section}-", value))
            if element.tag == "a" and element.get("class") == "footnote-ref" and element.text:
                element.text = str(int(element.text) + numbering.count)
            if element.tag == "div" and element.get("class") == "footnote" and (notes_list := element.find("ol")):
                notes = len(notes_list)
                for number, note in enumerate(notes_list, start=numbering.count + 1):
                    first = note[0] if len(note) else note
                    first.text = f"{number}. {first.text or ''}"
                    for backlink in note.iter("a"):
                        if backlink.get("class") == "footnote-backref":
                            backlink.set("title", BACKLINK_TITLE.format(number))
        numbering.count += notes


class CtgExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(SubheadingsBelowTheTitle(md), "subheadings_below_the_title", 5)
        # After the footnotes' own processors (50, then 15 for repeated references).
        md.treeprocessors.register(FootnotesThroughTheDocument(md), "footnotes_through_the_document", 10)


MARKDOWN_EXTENSIONS = ["tables", "footnotes", "sane_lists", "attr_list", CtgExtension()]


@functools.cache
def _markdown():
    """One Markdown converter per process, reset between texts: building one costs more than
    converting a short article."""
    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_SETTINGS, output_format="html")


def placeholder_key(written):
    """The name a placeholder is filled by: its names are lower case (fixtures/README.md), so an
    editor's « {{ Collectivites }} » fills as « {{ collectivites }} »."""
    return written.lower()


def placeholder_names(text):
    return {placeholder_key(written) for written in PLACEHOLDER_RE.findall(text or "")}


def starts_a_sentence(text, position):
    """Whether what is at `position` in `text` begins a sentence, to be written with a capital: « {{
    collectivite }} met en place… » opening a paragraph reads « La commune de Voiron met en place… ».
    The 200 characters before it suffice: what opens a sentence sits right before it."""
    return bool(SENTENCE_START_RE.search(text, max(0, position - 200), position))


def normalise_newlines(text):
    """Browsers send a textarea's lines ended by CR LF; the syntax of option blocks expects LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def option_holds(options, key, wanted=None):
    """Whether the option `key` is true (`wanted` None) or has the value `wanted`: what `::: if key`
    and `::: if key=value` ask."""
    chosen = options.get(key)
    return bool(chosen) and chosen is not False if wanted is None else str(chosen) == wanted


def apply_options(text, options):
    """Keep the `::: if key` blocks whose option is true, and `::: if key=value` blocks whose
    option has that value; drop the others."""
    text = normalise_newlines(text)

    def keep_or_drop(match):
        return match["body"] if option_holds(options, match["key"], match["value"]) else ""

    return OPTION_BLOCK_RE.sub(keep_or_drop, text)


def fill_placeholders(escaped_text, values):
    """Replace `{{ name }}` by its escaped value; unknown names become a visible blank."""

    def comma_if_list_continues(match):
        return ", " if continues_after_et(values.get(placeholder_key(match[1]))) else match[0]

    def replace(match):
        value = values.get(placeholder_key(match[1]))
        if value is None or value == "":
            return BLANK_HTML
        value = str(value)
        if starts_a_sentence(match.string, match.start()):
            value = value[:1].upper() + value[1:]
        return escape_tags(value)

    escaped_text = ET_BEFORE_PLACEHOLDER_RE.sub(comma_if_list_continues, escaped_text)
    return PLACEHOLDER_RE.sub(replace, escaped_text)


def render_text(text, values, options, footnotes=None):
    """The HTML of an article or annex text, safe to put in a page or a PDF; its footnotes numbered
    after those of the texts before it when `footnotes` (a FootnoteNumbering) is given."""
    text = apply_options(text or "", options)
    text = LINE_BREAK_TAG_RE.sub(LINE_BREAK_TOKEN, text)
    text = escape_tags(text).replace(LINE_BREAK_TOKEN, "<br>")
    text = fill_placeholders(text, values)
    text = LEFTOVER_RE.sub(BLANK_HTML, text)
    converter = _markdown().reset()
    converter.footnote_numbering = footnotes
    return french_spacing(sanitise(converter.convert(text)))


def split_at_table_slot(text):
    """An annex's text before and after its `::: tableau` line, where the annex's table prints (the
    Yvelines model places its instances table inside the text); all of it before when it has none."""
    before, *after = TABLE_SLOT_RE.split(normalise_newlines(text), maxsplit=1)
    return before, "".join(after)


TABLE_SLOT_SHOWN = "<p class=\"table-slot\">[Ici s'imprime le tableau de l'annexe.]</p>"


def render_text_for_editors(text, values, options):
    """The text as it prints, with the place of its annex's table shown at its `::: tableau` line."""
    if not TABLE_SLOT_RE.search(normalise_newlines(text)):
        return render_text(text, values, options)
    before_table, after_table = split_at_table_slot(text)
    return render_text(before_table, values, options) + TABLE_SLOT_SHOWN + render_text(after_table, values, options)


def render_inline(text, values):
    """A title or a table cell: placeholders filled, no Markdown blocks."""
    escaped = escape_tags(text or "")
    return french_spacing(sanitise(LEFTOVER_RE.sub(BLANK_HTML, fill_placeholders(escaped, values))))


def french_spacing(html):
    """Guillemets hold to the words they quote, as in the seeds typed in Word: « bonus territoire
    CTG » never ends a line on « nor starts one on »."""
    return GUILLEMET_SPACE_RE.sub(lambda match: match[0].replace(" ", "\u00a0"), html)


def escape_tags(text):
    """Make typed HTML show as text, keeping ">" for Markdown quotes (a lone ">" opens no tag)."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def sanitise(fragment):
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
