"""Spreadsheet safety for exported cells."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """A text cell that a spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a
    carriage return: OWASP, "CSV injection") is prefixed with an apostrophe, so it shows as text.
    Numbers and empty cells are left alone."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + value  # "'-" becomes "''-", so that unescape_formula gives it back as it was
    return value


def unescape_formula(value):
    """The text escape_formula escaped, as it was: a file exported, edited and imported back does
    not write the apostrophe into the data ("- Créer…" stays a Markdown list)."""
    if isinstance(value, str) and value.startswith("'") and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value
