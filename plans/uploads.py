"""An uploaded CSV or XLSX as rows: the file's line of each row, its cells as the text they show."""

import csv
import datetime
import io

import tablib
from tablib.exceptions import InvalidDimensions


class FileRefused(Exception):
    """The file as a whole cannot be read or has the wrong columns."""


def cell_text(value):
    """A cell as the text it shows: an empty cell (None in a spreadsheet) is an empty text, a date
    cell reads as a French date ("01/09/2025"), with its time when it has one ("01/09/2025 14:30")."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return f"{value:%d/%m/%Y}"
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    return str(value).strip()


def read_dataset(name, content):
    """A CSV (UTF-8 or Windows-1252, see `csv_text`; comma or semicolon) or XLSX upload as a dataset, with the
    file's line number of each of its rows (the column names being line 1)."""
    if name.lower().endswith(".xlsx"):
        try:
            dataset = tablib.Dataset().load(content, format="xlsx")
        except Exception:
            raise FileRefused("Fichier XLSX illisible.") from None
        return dataset, [index + 2 for index in range(len(dataset))]
    if name.lower().endswith(".csv"):
        text = csv_text(content)
        delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        try:
            return tablib.Dataset().load(text, format="csv", delimiter=delimiter), csv_row_lines(text, delimiter)
        except InvalidDimensions:
            raise FileRefused(
                "Toutes les lignes du fichier doivent avoir autant de colonnes que la première."
            ) from None
        except Exception:
            raise FileRefused("Fichier CSV illisible.") from None
    raise FileRefused("Déposez un fichier .csv ou .xlsx.")


def csv_text(content):
    """The text of a CSV file: UTF-8, with or without BOM (« CSV UTF-8 » in Excel), else
    Windows-1252, the Latin-1 of Windows in which a French Excel saves a plain « CSV (séparateur :
    point-virgule) ». A file neither decodes is refused."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRefused(
            "Fichier CSV illisible : enregistrez-le en « CSV UTF-8 » ou en « CSV (séparateur : point-virgule) »."
        ) from None


def csv_row_lines(text, delimiter):
    """The line where each row of the CSV starts, as tablib reads it: after the column names, and
    without the empty lines it skips (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    lines, start = [], 1
    for index, row in enumerate(reader):
        if index and row:
            lines.append(start)
        start = reader.line_num + 1
    return lines


def drop_blank_rows(dataset, file_lines):
    """Remove the rows whose every cell is empty (a spreadsheet's spacing or its formatted tail);
    return the file's line number of each row left, `file_lines` giving those of all rows."""
    lines = []
    for index in reversed(range(len(dataset))):
        if any(cell_text(cell) for cell in dataset[index]):
            lines.insert(0, file_lines[index])
        else:
            del dataset[index]
    return lines
