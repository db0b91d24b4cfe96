from django import forms
from pypdf import PdfReader
from pypdf.errors import PdfReadError

MAX_PDF_BYTES = 20 * 1024 * 1024


def check_pdf_upload(upload, *, too_large="Le fichier dépasse 20 Mo.", not_a_pdf="Ce fichier n'est pas un PDF."):
    """A PDF sent to the application (a délibération, a signed original, a PDF to verify) is 20 MB at
    most and begins as every PDF does (%PDF-): checked before anything reads it whole."""
    if upload.size > MAX_PDF_BYTES:
        raise forms.ValidationError(too_large)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise forms.ValidationError(not_a_pdf)


def open_pdf(upload):
    """The reader of a PDF that opens without a password: a document kept in the archive (a
    délibération, a signed original) must stay readable by whoever holds it."""
    try:
        reader = PdfReader(upload)
        encrypted = reader.is_encrypted
        if not encrypted:
            len(reader.pages)
    except (PdfReadError, ValueError, OSError):
        raise forms.ValidationError("Ce PDF est illisible ou endommagé.") from None
    finally:
        upload.seek(0)
    if encrypted:
        raise forms.ValidationError(
            "Ce PDF est chiffré ou protégé par mot de passe : déposez une version non protégée."
        )
    return reader
