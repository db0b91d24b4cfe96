"""Spreadsheet safety for exported cells."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """A text cell that a spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a
    carriage return: OWASP, "CSV injection") is prefixed with an apostrophe, so it shows as text.
    Numbers and empty cells are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
