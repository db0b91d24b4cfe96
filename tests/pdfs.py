"""PDFs for the tests that send one: a real one-page PDF, encrypted when a password is given."""

from io import BytesIO

from pypdf import PdfWriter


def pdf_bytes(password=None):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
