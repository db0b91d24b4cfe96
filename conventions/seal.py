"""Sealing the signed PDF with the Caf's certificate (PAdES, pyHanko), and checking a seal.

Each Caf's certificate is a PKCS#12 file `caf-<code>.p12` in settings.SEAL_CERTIFICATES_DIR, opened
with settings.SEAL_PASSPHRASE. `python manage.py create_seal_certificates` makes self-signed ones
for the demo; production uses the Caf's real certificate.
"""

import datetime
from io import BytesIO
from pathlib import Path

from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

SEAL_FIELD = "SceauCaf"


def certificate_path(caf):
    return Path(settings.SEAL_CERTIFICATES_DIR) / f"caf-{caf.code}.p12"


class SealUnavailable(Exception):
    """The Caf has a sealing certificate, but it cannot be opened."""


def load_signer(caf):
    """The Caf's sealing key and certificate, or None when it has none configured.

    A certificate that is there but cannot be opened (unreadable file, wrong passphrase) raises
    SealUnavailable: pyHanko only logs the cause and returns None, which would otherwise archive
    an unsealed PDF as if the Caf had no certificate."""
    path = certificate_path(caf)
    if not path.is_file():
        return None
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=settings.SEAL_PASSPHRASE.encode())
    if signer is None:
        raise SealUnavailable(
            f"Le certificat de scellement de la {caf.name} ({path.name}) ne s'ouvre pas : fichier illisible "
            "ou phrase secrète (SEAL_PASSPHRASE) erronée."
        )
    return signer


def seal(pdf, caf, *, reason, location):
    """The PDF with a PAdES seal of the Caf, or None when the Caf has no certificate."""
    signer = load_signer(caf)
    if signer is None:
        return None
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD, subfilter=SigSeedSubFilter.PADES, reason=reason, location=location, name=caf.name
    )
    output = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), metadata, signer=signer)
    return output.getvalue()


def seal_status(pdf, caf):
    """Whether the PDF carries an intact, valid seal made with this Caf's certificate (False when
    that certificate cannot be opened: the seal cannot be checked against it)."""
    try:
        signer = load_signer(caf)
    except SealUnavailable:
        return False
    signatures = PdfFileReader(BytesIO(pdf)).embedded_signatures
    if signer is None or not signatures:
        return False
    context = ValidationContext(trust_roots=[signer.signing_cert], allow_fetching=False)
    status = validate_pdf_signature(signatures[0], context)
    return status.intact and status.valid and status.bottom_line


def create_development_certificate(caf, path, passphrase):
    """A self-signed sealing certificate for the demo (never for production)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, caf.legal_name),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{caf.name} — sceau de démonstration"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=True, crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    content = pkcs12.serialize_key_and_certificates(
        name=caf.code.encode(),
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path
