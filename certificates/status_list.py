"""The W3C Bitstring Status Lists that certificate credentials point to.

There are two lists, one per ``statusPurpose``, because the spec gives each a
meaning a verifier may rely on: ``/credentials/status/1`` is "revocation", final
(a set bit is never cleared: a revoked certificate never returns to force), and
``/credentials/status/2`` is "suspension", reversible (set while something is
looked into, cleared on reinstatement). A credential carries one
``BitstringStatusListEntry`` per list, both with its ``statusListIndex``.

Credentials issued before the suspension list existed name only the revocation
list. Their suspension shows on the verification page, the API and the online
``verify_certificate``, but not in any list they name: setting and later
clearing their revocation bit would tell verifiers, falsely, that they were
cancelled for good. Supersession is not a status: the old certificate stays
genuine, and the verification page links to the new one.

Encoding (VC Bitstring Status List v1.0, section 3.1): bit i is the i-th bit
counting from the most significant bit of byte 0; the list is at least 131,072
bits (16 KB) so that a verifier's fetch reveals little about which certificate
it checks, and grows in whole 16 KB steps with the highest index ever issued
(not the highest revoked one, so the size leaks nothing). The bytes are
GZIP-compressed and encoded as multibase base64url without padding (a "u"
prefix).

Served as ``application/vc+jwt``: the credential signed as a compact VC-JWT
with the platform's active Ed25519 credential key, the same kind of proof the
certificates carry, so a verifier checks both with the JWKS at
``/.well-known/jwks.json`` and nothing else.
"""

import base64
import gzip
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone

from .credential import sign_credential
from .keys import active_key
from .models import Certificate, IssuerKey

MIN_BITS = 131_072
REVOCATION = "revocation"
SUSPENSION = "suspension"
# List id (in its URL) -> its statusPurpose, and the status whose certificates have the bit set.
PURPOSES = {1: REVOCATION, 2: SUSPENSION}
_SET_FOR = {REVOCATION: Certificate.Status.REVOKED, SUSPENSION: Certificate.Status.SUSPENDED}
MEDIA_TYPE = "application/vc+jwt"
# How long a fetched list may be relied on; the view's Cache-Control says the same.
TTL = timedelta(minutes=5)
_CONTEXT = "https://www.w3.org/ns/credentials/v2"


def list_length(highest_index: int | None) -> int:
    """Bits in the list: a whole number of 16 KB blocks holding every issued index."""
    needed = 0 if highest_index is None else highest_index + 1
    blocks = max(1, -(-needed // MIN_BITS))
    return blocks * MIN_BITS


def encode_bitstring(set_indices: Iterable[int], length: int) -> str:
    """Return the multibase base64url GZIP of a bitstring with these bits set."""
    bits = bytearray(length // 8)
    for index in set_indices:
        if not 0 <= index < length:
            raise ValueError(f"Status list index {index} is outside the list.")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same statuses always give the same bytes.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_bitstring(encoded: str) -> bytes:
    """Return the raw bitstring bytes of an encodedList (the inverse of encode_bitstring)."""
    if not encoded.startswith("u"):
        raise ValueError("Expected a multibase base64url string (prefix 'u').")
    payload = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def set_indices(purpose: str) -> list[int]:
    """Indices whose bit is set in a list: revoked certificates, or suspended ones."""
    return list(
        Certificate.objects.filter(status=_SET_FOR[purpose]).values_list(
            "status_list_index", flat=True
        )
    )


def build_status_list_credential(
    *, list_url: str, issuer_id: str, purpose: str = REVOCATION, now: datetime | None = None
) -> dict[str, Any]:
    """Return the unsigned BitstringStatusListCredential of one purpose for the current statuses."""
    now = now or timezone.now()
    highest = Certificate.objects.aggregate(highest=Max("status_list_index"))["highest"]
    encoded = encode_bitstring(set_indices(purpose), list_length(highest))
    return {
        "@context": [_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": _timestamp(now),
        "validUntil": _timestamp(now + TTL),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded,
            "ttl": int(TTL.total_seconds() * 1000),
        },
    }


def status_list_jwt(*, list_url: str, issuer_id: str, purpose: str = REVOCATION) -> str:
    """Return a status list credential signed as a VC-JWT with the active credential key."""
    key = active_key(IssuerKey.Purpose.CREDENTIAL)
    credential = build_status_list_credential(
        list_url=list_url, issuer_id=issuer_id, purpose=purpose
    )
    return sign_credential(credential, key.private_key_pem(), key.kid)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
