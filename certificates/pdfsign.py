"""PAdES signatures on certificate PDFs with pyHanko, and checking them offline.

Certificates are signed PAdES baseline B-B (no timestamp authority is reachable
offline) as a certification signature that permits no later changes. A check
trusts only the platform's own certificate and insists that the signature
covers the whole file: pdfsig calls a signature "valid" even when bytes were
appended after it as an incremental update, which is how a signed PDF gets
altered without breaking its signature.

The signature keeps a PDF/A-3b certificate PDF/A (see pdf.py): the update adds
the signature field, its dictionary and /Perms, and leaves the document's
version and metadata as rendered (see _PdfASigner and _MetadataKeepingWriter).
"""

import datetime
import zlib
from dataclasses import dataclass
from io import BytesIO
from typing import Any, Literal

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.decode_limits import DecodeLimits, DocumentDecodeBudget, StreamDecodeLimits
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.signers.constants import ESIC_EXTENSION_1
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

SignatureState = Literal["intact", "modified", "unsigned"]

SIGNATURE_FIELD = "CertificateSignature"
CERTIFICATE_VALIDITY = datetime.timedelta(days=3653)
# Name trees in the wild are shallow; a deeper one is malformed or hostile.
_MAX_NAME_TREE_DEPTH = 8
MiB = 1024 * 1024
# A certificate's credential files are a few kilobytes.
DEFAULT_MAX_ATTACHMENT_BYTES = 256 * 1024
# What pyHanko may unpack while it reads an uploaded PDF, per stream and in all. Its own
# defaults (256 MB a stream) let a 260 KB upload cost half a gigabyte. Checking one of our
# certificates unpacks about a kilobyte: its cross-reference and object streams.
UNTRUSTED_DECODE_LIMITS = DecodeLimits(
    per_stream=StreamDecodeLimits(max_output_size=2 * MiB),
    document_budget=DocumentDecodeBudget(base_allowance=8 * MiB, max_ratio=1),
)
# What pyHanko and asn1crypto raise on a damaged or hostile file. Not RuntimeError:
# pyHanko runs its own event loop, and calling it inside a running one is a bug
# that must surface, not a "modified" certificate.
_DAMAGED = (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError)


class AttachmentTooLarge(Exception):
    """An embedded file that would unpack to more than allowed; nothing more of it was unpacked."""

    def __init__(self, name: str, limit: int) -> None:
        super().__init__(f"{name} unpacks to more than {limit} bytes")
        self.name = name
        self.limit = limit


@dataclass(frozen=True)
class SignatureCheck:
    """What an offline check of a certificate PDF's signature found."""

    status: SignatureState
    signer: str | None
    detail: str


def generate_platform_certificate(common_name: str) -> tuple[bytes, bytes]:
    """Return a new EC P-256 key and self-signed signing certificate, both PEM, valid 10 years."""
    # P-256 with ECDSA-SHA256 is accepted by NSS (pdfsig), Adobe and pyHanko, and
    # keeps signatures small; it stays strong beyond the certificate's 10 years.
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # A little slack for verifiers whose clocks run slow.
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + CERTIFICATE_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


def sign_pdf(pdf: bytes, *, key_pem: bytes, cert_pem: bytes, reason: str, location: str) -> bytes:
    """Return the PDF with a PAdES B-B certification signature that allows no changes."""
    certificate = _load_certificate(cert_pem)
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=load_private_key_from_pemder_data(key_pem, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([certificate]),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    writer = _MetadataKeepingWriter(BytesIO(pdf), strict=False)
    return (
        _PdfASigner(metadata, signer)
        .sign_pdf(writer, bytes_reserved=_signature_space(certificate))
        .getvalue()
    )


class _MetadataKeepingWriter(IncrementalPdfFileWriter):
    """An incremental writer that leaves the document information and XMP metadata alone.

    By default pyHanko rewrites both on every update: it appends itself to the
    information dictionary's /Producer but writes itself alone as the XMP
    pdf:Producer, and adds an xmp:ModifyDate the dictionary lacks. PDF/A
    requires the two to agree, so a signed certificate would no longer be
    PDF/A. The signature records its own time (/M); the metadata stays as
    rendered. Overriding _update_meta is how
    pyHanko's maintainer suggests opting out (pyHanko issue 223); the test
    that compares the signed file's metadata fails if it stops working.
    """

    def _update_meta(self) -> None:
        return None


class _PdfASigner(signers.PdfSigner):
    """A PAdES signer that declares its PDF 1.7 extension and keeps the file PDF 1.7.

    For an ECDSA key on a curve of ISO/TS 32002, pyHanko also declares that
    extension to PDF 2.0 and raises the catalog's /Version to 2.0, which a
    PDF/A-3 file (built on PDF 1.7) must not claim. PAdES on PDF 1.7 (ETSI's
    ESIC extension, declared here) admits ECDSA, and pdfsig and pyHanko check
    such signatures without the ISO 32002 declaration.
    """

    def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
        pdf_out.ensure_output_version(version=(1, 7))
        if pdf_out.output_version < (2, 0):
            pdf_out.register_extension(ESIC_EXTENSION_1)


def _signature_space(certificate) -> int:
    """Room for the CMS signature container in the PDF, as hex digits.

    Left to itself pyHanko sizes the container by making a throwaway signature
    first, which was half the cost of signing a certificate. The container
    holds our certificate, the signed attributes and one ECDSA signature:
    about 900 bytes beside the certificate, so 2 KiB is ample; hex doubles it.
    """
    return 2 * (len(certificate.dump()) + 2048)


def inspect_pdf_signature(pdf: bytes, *, trusted_cert_pem: bytes) -> SignatureCheck:
    """Check for one valid signature, by the trusted certificate, covering every byte.

    Synchronous: pyHanko starts its own event loop, so async views must call it
    through asgiref's sync_to_async.
    """
    trusted = _load_certificate(trusted_cert_pem)
    try:
        signatures = _untrusted_reader(pdf).embedded_signatures
    except _DAMAGED as error:
        return SignatureCheck(
            "modified", None, _("The file is not a readable PDF: %(error)s") % {"error": error}
        )
    if not signatures:
        return SignatureCheck("unsigned", None, _("The PDF is not signed."))
    if len(signatures) > 1:
        return SignatureCheck(
            "modified", None, _("The PDF has more than one signature; it was changed after issue.")
        )
    return _check_signature(signatures[0], trusted)


def extract_attachment(
    pdf: bytes, name: str = "credential.json", *, max_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES
) -> bytes | None:
    """Return the bytes of the PDF's embedded file with this name, or None.

    Raises AttachmentTooLarge if it would unpack to more than max_bytes.
    """
    return extract_attachments(pdf, [name], max_bytes=max_bytes)[name]


def extract_attachments(
    pdf: bytes, names: list[str], *, max_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES
) -> dict[str, bytes | None]:
    """The PDF's embedded files with these names (None where absent or unreadable).

    Each is unpacked by streaming, at most max_bytes of it: one whose declared
    size is larger is refused before unpacking starts, and one that turns out
    larger is refused as soon as it passes the limit (AttachmentTooLarge).
    """
    found: dict[str, bytes | None] = dict.fromkeys(names)
    try:
        tree = _untrusted_reader(pdf).root["/Names"]["/EmbeddedFiles"]
    except _DAMAGED:
        return found
    for name in names:
        try:
            file_spec = _find_in_name_tree(tree, name, depth=0)
            stream = None if file_spec is None else file_spec["/EF"]["/F"]
            if isinstance(stream, generic.StreamObject):
                found[name] = _unpack(stream, name, max_bytes)
        except _DAMAGED:
            found[name] = None
    return found


def _untrusted_reader(pdf: bytes) -> PdfFileReader:
    return PdfFileReader(BytesIO(pdf), strict=False, decode_limits=UNTRUSTED_DECODE_LIMITS)


def _unpack(stream: generic.StreamObject, name: str, max_bytes: int) -> bytes | None:
    """An embedded file's bytes, unpacking no more than max_bytes + 1 of them."""
    params = _entry(stream, "/Params")
    for declared in (_entry(params, "/Size"), _entry(stream, "/DL")):
        if isinstance(declared, int) and declared > max_bytes:
            raise AttachmentTooLarge(name, max_bytes)
    filters = _entry(stream, "/Filter")
    if isinstance(filters, generic.ArrayObject) and len(filters) == 1:
        filters = filters[0]
    encoded = stream.encoded_data
    if filters is None:
        if len(encoded) > max_bytes:
            raise AttachmentTooLarge(name, max_bytes)
        return encoded
    if filters != "/FlateDecode" or _entry(stream, "/DecodeParms"):
        # Our files are deflated and nothing else; chained filters multiply a bomb.
        return None
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(encoded, max_bytes + 1)
    except zlib.error:
        return None
    if len(data) > max_bytes:
        raise AttachmentTooLarge(name, max_bytes)
    return data if inflater.eof else None


def _entry(dictionary: Any, key: str) -> Any:
    """A dictionary's entry, resolved, or None when it is absent (or not a dictionary)."""
    if not isinstance(dictionary, generic.DictionaryObject):
        return None
    try:
        return dictionary[key]
    except KeyError:
        return None


def _load_certificate(pem: bytes) -> asn1_x509.Certificate:
    """Load exactly one certificate from PEM or DER bytes."""
    certificates = list(load_certs_from_pemder_data(pem))
    if len(certificates) != 1:
        raise ValueError("Expected exactly one certificate.")
    return certificates[0]


def _check_signature(signature: Any, trusted: asn1_x509.Certificate) -> SignatureCheck:
    """Validate one embedded signature against the trusted certificate only."""
    signer = None
    try:
        signer_cert = signature.signer_cert
        signer = _common_name(signer_cert)
        context = ValidationContext(trust_roots=[trusted], allow_fetching=False)
        # Anything after the signed revision is refused below (coverage), so the analysis of
        # what changed, which would unpack every later revision afresh, is skipped.
        status = validate_pdf_signature(signature, context, skip_diff=True)
    except _DAMAGED as error:
        return SignatureCheck(
            "modified",
            signer,
            _("The signature could not be checked: %(error)s") % {"error": error},
        )
    if not (status.intact and status.valid):
        return SignatureCheck(
            "modified", signer, _("The signature does not match the document's contents.")
        )
    if signer_cert.dump() != trusted.dump() or not status.trusted:
        return SignatureCheck(
            "modified", signer, _("The PDF was signed by someone other than the platform.")
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck(
            "modified", signer, _("Content was added to the PDF after it was signed.")
        )
    return SignatureCheck("intact", signer, _("The PDF is exactly as the platform signed it."))


def _common_name(certificate: asn1_x509.Certificate) -> str:
    """Return the certificate subject's common name, or the whole subject."""
    return certificate.subject.native.get("common_name") or certificate.subject.human_friendly


def _find_in_name_tree(node: Any, name: str, *, depth: int) -> Any:
    """Look a key up in a PDF name tree (flat or with /Kids)."""
    if depth > _MAX_NAME_TREE_DEPTH:
        return None
    names = node.get("/Names")
    if names is not None:
        for index in range(0, len(names) - 1, 2):
            if _text(names[index]) == name:
                return names[index + 1]
    for kid in node.get("/Kids", ()):
        found = _find_in_name_tree(kid.get_object(), name, depth=depth + 1)
        if found is not None:
            return found
    return None


def _text(value: Any) -> str:
    """Return a PDF string object as str."""
    if isinstance(value, generic.TextStringObject):
        return str(value)
    if isinstance(value, generic.ByteStringObject | bytes):
        return bytes(value).decode("latin-1")
    return str(value)
