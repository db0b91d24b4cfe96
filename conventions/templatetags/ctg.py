"""The wording rules, for templates."""

import datetime
import decimal
import re

from django import template
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from conventions import wording
from conventions.rendering.values import format_figure

register = template.Library()

ITEM_START = re.compile(r"[-*•]\s|\d+[.)]\s")

register.filter("french_date", wording.french_date)
register.filter("french_amount", wording.french_amount)
register.filter("french_number", wording.french_number)


@register.filter
def figure(value, unit=""):
    return format_figure(value, unit)


@register.filter
def in_minutes(duration):
    """A timedelta as a whole number of minutes, rounded up: how long a lockout lasts."""
    return -(-int(duration.total_seconds()) // 60)


@register.filter
def guidance_paragraphs(text):
    """A model's guidance as the fixtures write it, wrapped at 100 columns: its paragraphs are
    separated by a blank line and its lines joined, except a line that starts an item (« - »)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        pieces = []
        for line in lines:
            if pieces and not ITEM_START.match(line):
                pieces[-1] = f"{pieces[-1]} {line}"
            else:
                pieces.append(line)
        paragraphs.append(format_html_join(mark_safe("<br>"), "{}", ((piece,) for piece in pieces)))
    return format_html_join("", "<p>{}</p>", ((paragraph,) for paragraph in paragraphs if paragraph))


@register.filter
def capfirst_designation(designation):
    """ "la commune d'Armentières" → "La commune d'Armentières" (start of a clause)."""
    return designation[:1].upper() + designation[1:]


@register.filter
def agreed_with(word, designation):
    """ "représenté" agreed with the party it describes: "représentée" for "la commune …"."""
    return wording.agreed(word, feminine=wording.is_feminine_designation(designation), plural=False)


@register.simple_tag
def row_cells(row, editor, editable):
    """The cells of an annex table row, in the editor's column order, read as a person reads them:
    dates and amounts in French, an uploaded file as a link to download it. Those who cannot edit
    the table (communes, a signed convention) see the reader's columns, where values are shown as
    the convention prints them."""
    cells = []
    for column in editor.columns if editable else editor.reader_columns:
        value = getattr(row, column)
        value = value() if callable(value) else value
        if isinstance(value, datetime.date):
            value = f"{value:%d/%m/%Y}"
        elif isinstance(value, decimal.Decimal):
            value = format_figure(value, "")
        elif isinstance(value, FieldFile):
            value = file_link(row, editor) if value else ""
        cells.append("" if value is None else value)
    return cells


@register.filter
def get_field(form, name):
    """A bound field by a name computed in the template (the year columns of a projection)."""
    return form[name]


def file_link(row, editor):
    url = reverse("row_file", args=[row.convention_id, editor.slug, row.pk])
    return format_html('<a href="{}">Télécharger le PDF<span class="visually-hidden"> ({})</span></a>', url, row)
