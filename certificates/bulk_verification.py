"""Verifying a list of serials from a spreadsheet, by the same rules as the API and the page.

An enterprise's verifiers and administrators upload a CSV or Excel list of
serials, optionally with the name each holder gave; each row gets the answer
verifying that serial alone would give (verification.answer, the same status
and masked name), and a name is checked by name_guesses.check_name, with its
per-address and per-certificate limits on wrong names. Every row is logged
like a page verification by the signed-in user, in one INSERT.

Limits: at most MAX_ROWS rows per upload (the API's bulk limit), and the rows
count against the enterprise's allowance of rows per hour (rate
``verify_bulk_rows`` of CERTIFICATES_VERIFY_RATES), which the bulk API draws
on too: an upload that would pass it is refused whole, before any row is
verified.

Processing is synchronous: 200 rows take well under a second (one query for
the certificates and one INSERT for the log).
"""

from dataclasses import dataclass
from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.throttling import SimpleRateThrottle

from organizations.access import Role, is_platform_admin, organization_ids
from organizations.models import Organization

from . import name_guesses, verification
from .api.serializers import MAX_BULK
from .api.throttles import rate_for
from .models import Certificate, Verification
from .serials import normalise_serial
from .spreadsheets import TableError, read_table

MAX_ROWS = MAX_BULK
DEFAULT_ROWS_RATE = "5000/hour"
SERIAL_HEADERS = {"serial", "serial number", "serial_number", "certificate", "序列号", "证书编号"}
NAME_HEADERS = {"name", "holder", "holder name", "full name", "姓名", "持证人", "持证人姓名"}
# What a row's name column says, for the table and the report.
NAME_RESULTS = {
    name_guesses.MATCHES: gettext_lazy("Name matches"),
    name_guesses.DOES_NOT_MATCH: gettext_lazy("Name does not match"),
    name_guesses.NETWORK_LIMITED: gettext_lazy("Not checked: too many wrong names from here"),
    name_guesses.CERTIFICATE_PAUSED: gettext_lazy("Not checked: paused for this certificate"),
    "": "",
}


class BulkRefused(Exception):
    """An upload refused whole (the message is translated)."""

    def __init__(self, message: str, *, throttled: bool = False):
        super().__init__(message)
        self.message = message
        self.throttled = throttled


@dataclass(frozen=True)
class Row:
    number: int  # the row's line in the file
    serial: str
    name: str


@dataclass
class RowResult:
    row: Row
    certificate: Certificate | None
    answer: dict[str, Any]
    name_check: str  # a name_guesses result, or "" when no name was given

    @property
    def status(self) -> str:
        return self.answer["status"]


# Who


def bulk_enterprises(user):
    """The enterprises the user verifies for: where they are a verifier or an administrator."""
    ids = organization_ids(user, [Role.VERIFIER, Role.ADMIN], kind=Organization.Kind.ENTERPRISE)
    return Organization.objects.filter(pk__in=ids, is_active=True).order_by("name_en")


def can_bulk_verify(user) -> bool:
    """Verifiers and administrators of an enterprise, and platform administrators (no query:
    roles are cached per request user)."""
    if not user.is_authenticated:
        return False
    roles = [Role.VERIFIER, Role.ADMIN]
    return is_platform_admin(user) or bool(
        organization_ids(user, roles, kind=Organization.Kind.ENTERPRISE)
    )


# Reading


def read_rows(data: bytes, file_name: str) -> list[Row]:
    """The rows of an uploaded list: a serial column and an optional name column.

    A first row naming its columns (serial, name; 序列号, 姓名) is a header and may put
    them anywhere; without one, the serial is the first column and the name the second.
    """
    try:
        table = read_table(data, file_name, max_rows=MAX_ROWS + 1)
    except TableError as error:
        raise BulkRefused(str(error)) from None
    serial_at, name_at, start = 0, 1, 0
    if table:
        header = [cell.strip().lower() for cell in table[0][1]]
        if any(cell in SERIAL_HEADERS for cell in header):
            serial_at = next(i for i, c in enumerate(header) if c in SERIAL_HEADERS)
            name_at = next((i for i, c in enumerate(header) if c in NAME_HEADERS), None)
            start = 1
    rows = [
        Row(
            number=number,
            serial=_at(cells, serial_at),
            name=_at(cells, name_at) if name_at is not None else "",
        )
        for number, cells in table[start:]
    ]
    rows = [row for row in rows if row.serial or row.name]
    if not rows:
        raise BulkRefused(_("The file lists no serial numbers."))
    if len(rows) > MAX_ROWS:
        raise BulkRefused(
            _("The file lists %(n)d serials; at most %(max)d are verified at once.")
            % {"n": len(rows), "max": MAX_ROWS}
        )
    return rows


def _at(cells: list[str], index: int) -> str:
    return cells[index][:200] if index < len(cells) else ""


# The allowance


def _rows_rate() -> tuple[int, int] | None:
    rate = rate_for("verify_bulk_rows") or DEFAULT_ROWS_RATE
    return SimpleRateThrottle.parse_rate(None, rate)


def allowance_owner(*, user=None, api_key=None) -> str:
    """Whose allowance a bulk verification draws on: the API key's enterprise, else the
    user's first enterprise (by id; no query), else the user (a platform administrator)."""
    if api_key is not None:
        return f"enterprise:{api_key.organization_id}"
    ids = organization_ids(user, [Role.VERIFIER, Role.ADMIN], kind=Organization.Kind.ENTERPRISE)
    return f"enterprise:{min(ids)}" if ids else f"user:{user.pk}"


def take_allowance(*, count: int, user=None, api_key=None) -> None:
    """Count rows against the enterprise's hourly allowance, or refuse them all.

    The page and the bulk API draw on the same allowance; nothing is counted for a refusal.
    """
    rate = _rows_rate()
    if rate is None:
        return
    allowed, seconds = rate
    window = int(timezone.now().timestamp() // seconds)
    key = f"certificates:bulk-rows:{allowance_owner(user=user, api_key=api_key)}:{window}"
    cache = caches[DEFAULT_CACHE_ALIAS]
    cache.add(key, 0, seconds)
    used = cache.incr(key, count)
    if used > allowed:
        cache.decr(key, count)
        left = max(0, allowed - used + count)
        raise BulkRefused(
            _(
                "This would pass your enterprise's allowance of %(allowed)d verifications an "
                "hour (%(left)d left now). Try a shorter list, or again later."
            )
            % {"allowed": allowed, "left": left},
            throttled=True,
        )


# Verifying


def verify_rows(rows: list[Row], *, request) -> list[RowResult]:
    """Each row's answer, as verifying its serial alone gives it; names checked; all logged."""
    found = verification.find_certificates(row.serial for row in rows)
    today = timezone.localdate()
    results = []
    for row in rows:
        certificate = found.get(normalise_serial(row.serial) or "")
        if certificate is None:
            answer = verification.unknown_answer(row.serial)
            name_check = ""
        else:
            answer = verification.answer(certificate, today=today)
            name_check = name_guesses.check_name(request, certificate, row.name) if row.name else ""
        results.append(RowResult(row, certificate, answer, name_check))
    verification.log_verifications(
        [(r.certificate, r.row.serial, r.status) for r in results],
        channel=Verification.Channel.PAGE,
        verifier=request.user,
    )
    return results


# The report


def report_header() -> list[str]:
    return [
        _("Row"),
        _("Serial as given"),
        _("Serial"),
        _("Status"),
        _("Certificate"),
        _("Level"),
        _("Holder"),
        _("Name given"),
        _("Name check"),
        _("Issued on"),
        _("Expires on"),
        _("Issued by"),
    ]


def achievement(answer: dict[str, Any], language_zh: bool) -> str:
    item = answer.get("standard") or answer.get("course") or {}
    return (
        (item.get("name_zh") if language_zh else item.get("name_en"))
        or item.get("name_en", "")
        or item.get("name_zh", "")
    )


def report_row(result: RowResult, *, language_zh: bool, status_labels: dict) -> list:
    answer = result.answer
    holder = answer.get("holder") or {}
    holder_name = " / ".join(n for n in (holder.get("name_native"), holder.get("name_latin")) if n)
    school = (answer.get("organisations") or {}).get("school") or {}
    level = answer.get("level") or {}
    return [
        result.row.number,
        result.row.serial,
        answer.get("serial", "") if result.certificate is not None else "",
        str(status_labels.get(result.status, result.status)),
        achievement(answer, language_zh) if result.certificate is not None else "",
        level.get("number", "") if level else "",
        holder_name,
        result.row.name,
        str(NAME_RESULTS[result.name_check]),
        answer.get("issued_on") or "",
        answer.get("expires_on") or "",
        ((school.get("name_zh") if language_zh else school.get("name_en")) or "") if school else "",
    ]
