"""Bulk export of a Caf's signed conventions: a ZIP streamed while it is written, with a manifest."""

import csv
import io
import zipfile

from django.utils import timezone

from conventions.models import FROZEN_STATUSES, Convention

MANIFEST_COLUMNS = [
    "Référence",
    "Territoire",
    "Signataires",
    "Date de signature",
    "Début",
    "Fin",
    "Statut",
    "Fichier",
    "Nature",
    "SHA-256",
]


def signed_conventions(caf, *, year=None, status=None):
    """The signed (or terminated) conventions of `caf`, of every Caf when it is None."""
    conventions = Convention.objects.filter(status__in=FROZEN_STATUSES)
    if caf is not None:
        conventions = conventions.filter(caf=caf)
    if year:
        conventions = conventions.filter(signature_date__year=year)
    if status:
        conventions = conventions.filter(status=status)
    return conventions.prefetch_related(
        "signed_documents__avenant", "signatories__caf", "signatories__collectivite"
    ).order_by("reference")


def expected_bytes(conventions):
    """The size of the documents the ZIP will hold, before compression."""
    return sum(document.file.size for convention in conventions for document in convention.signed_documents.all())


class _Pipe(io.RawIOBase):
    """A write-only stream whose bytes are taken away as they come (zipfile writes into it)."""

    def __init__(self):
        self.chunks = []

    def writable(self):
        return True

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def take(self):
        chunks, self.chunks = self.chunks, []
        return b"".join(chunks)


def zip_chunks(conventions):
    """The ZIP, chunk by chunk: each document is read and sent before the next one, so memory stays
    small and the download starts at once. The manifest comes last."""
    pipe = _Pipe()
    manifest = io.StringIO()
    writer = csv.writer(manifest, delimiter=";")
    writer.writerow(MANIFEST_COLUMNS)
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for convention in conventions:
            parties = " ; ".join(signatory.designation for signatory in convention.signatories.all())
            for document in convention.signed_documents.all():
                name = f"{convention.reference}/{document.file.name.rsplit('/', 1)[-1]}"
                entry = zip_entry(name, document.created_at)
                with document.file.open("rb") as source, archive.open(entry, "w") as target:
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
                        yield pipe.take()
                writer.writerow(
                    [
                        convention.reference,
                        convention.territory,
                        parties,
                        spreadsheet_date(document.signature_date),
                        spreadsheet_date(convention.start_date),
                        spreadsheet_date(convention.end_date),
                        convention.get_status_display(),
                        name,
                        document.nature,
                        document.sha256,
                    ]
                )
        archive.writestr(zip_entry("manifeste.csv", timezone.now()), "\ufeff" + manifest.getvalue())
    yield pipe.take()


def zip_entry(name, moment):
    """An entry dated when its file was archived (French time), not 1980 as zipfile dates a bare name."""
    entry = zipfile.ZipInfo(name, date_time=timezone.localtime(moment).timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def spreadsheet_date(value):
    """ "18/01/2023": a spreadsheet set in French reads it as a date, to sort and filter by."""
    return f"{value:%d/%m/%Y}" if value else ""
