"""Verify a certificate PDF or credential from the command line, online or offline.

Offline (``--offline``) the database is never touched: trust comes from files
written by ``--export-trust`` (jwks.json, pdf-signing-cert.pem), and the
verdict covers signature, integrity and expiry. Online, trust comes from the
database's published keys, and the verdict adds revocation, suspension and
supersession. Exit status 0 means valid; anything else exits 1.
"""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certificates import verification
from certificates.models import Verification

JWKS_FILE = "jwks.json"
PDF_CERT_FILE = "pdf-signing-cert.pem"
_PEM_END = b"-----END CERTIFICATE-----"


def split_pem_bundle(data: bytes) -> list[bytes]:
    """Split concatenated PEM certificates into one PEM per certificate."""
    parts = []
    for chunk in data.split(_PEM_END):
        start = chunk.find(b"-----BEGIN CERTIFICATE-----")
        if start != -1:
            parts.append(chunk[start:] + _PEM_END + b"\n")
    return parts


class Command(BaseCommand):
    help = "Verify a certificate PDF or credential (JSON/JWT); exit 0 if valid, 1 otherwise."
    # Offline use must work where the site's database and URLs are not set up.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="A certificate PDF, credential.json or .jwt")
        parser.add_argument(
            "--offline", action="store_true", help="Do not use the database (needs trust files)."
        )
        parser.add_argument("--jwks", help=f"Credential keys ({JWKS_FILE}) for --offline.")
        parser.add_argument(
            "--pdf-cert", help=f"PDF signing certificate(s) ({PDF_CERT_FILE}) for --offline."
        )
        parser.add_argument(
            "--export-trust",
            metavar="DIR",
            help=f"Write {JWKS_FILE} and {PDF_CERT_FILE} from the database into DIR.",
        )
        parser.add_argument(
            "--today", help="Judge expiry as of this date (YYYY-MM-DD); default today."
        )

    def handle(self, *args, **options):
        if options["export_trust"]:
            self._export_trust(Path(options["export_trust"]))
            if not options["file"]:
                return
        if not options["file"]:
            raise CommandError("Give a FILE to verify (or --export-trust DIR).")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        today = self._today(options["today"])
        if options["offline"]:
            valid = self._offline(data, options, today)
        else:
            valid = self._online(data, today)
        if not valid:
            raise CommandError("Verdict: NOT VALID", returncode=1)
        self.stdout.write(self.style.SUCCESS("Verdict: VALID"))

    # Offline: no database

    def _offline(self, data: bytes, options, today) -> bool:
        if verification.is_pdf(data):
            certificates = self._read_pdf_certs(options["pdf_cert"])
            jwks = self._read_jwks(options["jwks"]) if options["jwks"] else None
            check = verification.check_pdf_offline(
                data, trusted_certificates=certificates, jwks=jwks
            )
        else:
            if not options["jwks"]:
                raise CommandError("Offline, a credential needs --jwks FILE.")
            check = verification.check_credential_offline(
                data, jwks=self._read_jwks(options["jwks"])
            )
        self._report_file(check)
        if check.integrity != "intact":
            return False
        status = check.offline_status(today)
        self._line("Expiry", self._expiry_text(check.expires_on, status))
        self._line("Revocation", "not checked offline (see the status list or verify online)")
        return status == "valid"

    def _read_jwks(self, name: str) -> dict:
        try:
            document = json.loads(Path(name).read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the JWKS {name}: {error}") from error
        if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
            raise CommandError(f"{name} is not a JWKS.")
        return document

    def _read_pdf_certs(self, name: str | None) -> list[bytes]:
        if not name:
            raise CommandError("Offline, a PDF needs --pdf-cert FILE.")
        try:
            certificates = split_pem_bundle(Path(name).read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error}") from error
        if not certificates:
            raise CommandError(f"{name} holds no PEM certificate.")
        return certificates

    # Online: the platform's records

    def _online(self, data: bytes, today) -> bool:
        check = verification.check_file(data)
        verification.log_verification(
            certificate=check.certificate,
            serial_queried=check.serial or "",
            channel=Verification.Channel.COMMAND,
            result=check.result(today),
        )
        self._report_file(check)
        if check.integrity != "intact":
            return False
        status = check.status(today)
        certificate = check.certificate
        if certificate is None:
            self._line("Status", "unknown: no certificate with this serial was issued here")
            return False
        self._line("Expiry", self._expiry_text(certificate.expires_on, status))
        detail = {
            "valid": "in force",
            "expired": "expired",
            "revoked": f"revoked on {self._changed_on(certificate)} "
            f"({certificate.get_revocation_reason_display()})",
            "suspended": f"suspended since {self._changed_on(certificate)}",
            "superseded": f"superseded by {getattr(certificate.superseded_by, 'serial', '?')}",
        }[status]
        self._line("Status", detail)
        return status == "valid"

    def _export_trust(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        jwks = verification.trusted_jwks()
        certificates = verification.trusted_pdf_certificates()
        (directory / JWKS_FILE).write_text(json.dumps(jwks, indent=2) + "\n")
        (directory / PDF_CERT_FILE).write_bytes(b"".join(certificates))
        self.stdout.write(
            f"Wrote {len(jwks['keys'])} credential key(s) to {directory / JWKS_FILE} and "
            f"{len(certificates)} PDF certificate(s) to {directory / PDF_CERT_FILE}."
        )

    # Output

    def _report_file(self, check) -> None:
        kind = {"pdf": "certificate PDF", "credential": "credential"}.get(check.kind, "unknown")
        self._line("File", kind)
        self._line("Serial", check.serial or "(none found)")
        self._line("Integrity", f"{check.integrity}: {check.detail}")

    def _line(self, label: str, text: str) -> None:
        self.stdout.write(f"{label + ':':<12}{text}")

    @staticmethod
    def _expiry_text(expires_on, status: str) -> str:
        if expires_on is None:
            return "no expiry"
        return f"{'expired on' if status == 'expired' else 'valid until'} {expires_on}"

    @staticmethod
    def _changed_on(certificate) -> str:
        changed = certificate.status_changed_at
        return str(timezone.localdate(changed)) if changed else "an unknown date"

    @staticmethod
    def _today(text: str | None):
        if not text:
            return timezone.localdate()
        try:
            return date.fromisoformat(text)
        except ValueError as error:
            raise CommandError(f"--today must be YYYY-MM-DD: {error}") from error
