"""The wording rules, for templates."""

from django import template

from conventions import wording
from conventions.rendering.values import format_figure

register = template.Library()

register.filter("french_date", wording.french_date)
register.filter("french_amount", wording.french_amount)
register.filter("french_number", wording.french_number)


@register.filter
def figure(value, unit=""):
    return format_figure(value, unit)


@register.filter
def capfirst_designation(designation):
    """ "la commune d'Armentières" → "La commune d'Armentières" (start of a clause)."""
    return designation[:1].upper() + designation[1:]


@register.filter
def agreed_with(word, designation):
    """ "représenté" agreed with the party it describes: "représentée" for "la commune …"."""
    return wording.agreed(word, feminine=wording.is_feminine_designation(designation), plural=False)


@register.filter
def row_values(row, editor):
    """The cells of an annex table row, in the editor's column order."""
    values = []
    for column in editor.columns:
        value = getattr(row, column)
        values.append(value() if callable(value) else ("" if value is None else value))
    return values


@register.filter
def get_field(form, name):
    """A bound field by a name computed in the template (the year columns of a projection)."""
    return form[name]
