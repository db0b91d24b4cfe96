"""What an administrator does with an exported file before importing it back."""

import tablib


def edited(exported, column, value, only_row_of=None):
    """The exported dataset with `column` set to `value` on every row, or only on the row of the
    record whose identifier (first column) is `only_row_of`."""
    result = tablib.Dataset(headers=exported.headers)
    for row in exported:
        row = list(row)
        if only_row_of is None or str(row[0]) == str(only_row_of):
            row[exported.headers.index(column)] = value
        result.append(row)
    return result
