"""The tool's few outgoing HTTP calls, through one replaceable transport.

(Not named http.py: with the working directory in lti/, as `makemessages` runs, Celery
puts the cwd on sys.path and such a module would shadow the standard library's http.)

`default_transport` uses urllib with a timeout; tests swap it (or pass `transport=`)
for a fake platform that records requests and answers, so no test touches the network.
"""

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.conf import settings

MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """A header's value, whatever the case of its name."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self):
        return json.loads(self.body or b"null")


class HttpError(Exception):
    """A platform answered with an error status."""

    def __init__(self, status: int, body: bytes = b""):
        super().__init__(f"HTTP {status}: {body[:300].decode('utf-8', 'replace')}")
        self.status = status

    @property
    def transient(self) -> bool:
        """Worth retrying: the platform is busy, down, or our token went stale."""
        return self.status >= 500 or self.status in {401, 408, 429}


Transport = Callable[..., Response]  # (method, url, *, headers, body, timeout) -> Response


def timeout() -> float:
    return float(getattr(settings, "LTI_HTTP_TIMEOUT_SECONDS", 10))


def urllib_transport(
    method: str, url: str, *, headers: dict, body: bytes | None, timeout: float
) -> Response:
    if urlsplit(url).scheme not in {"https", "http"}:
        raise ValueError(f"refusing a non-HTTP URL: {url}")
    request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return Response(answer.status, answer.read(MAX_BODY), _headers(answer.headers))
    except urllib.error.HTTPError as answer:
        return Response(answer.code, answer.read(MAX_BODY), _headers(answer.headers or {}))


def _headers(message) -> dict:
    """Headers as a dict; repeated ones (several Link headers) joined with commas."""
    joined: dict = {}
    for name, value in message.items():
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined


default_transport: Transport = urllib_transport


def request(
    method: str,
    url: str,
    *,
    headers: dict | None = None,
    body: bytes | None = None,
    transport: Transport | None = None,
) -> Response:
    send = transport or default_transport
    return send(method, url, headers=headers or {}, body=body, timeout=timeout())


def get_json(url: str, *, headers: dict | None = None, transport: Transport | None = None):
    answer = request(
        "GET", url, headers={"Accept": "application/json", **(headers or {})}, transport=transport
    )
    if not answer.ok:
        raise HttpError(answer.status, answer.body)
    return answer.json()


def post_form(
    url: str, data: dict, *, headers: dict | None = None, transport: Transport | None = None
) -> Response:
    return request(
        "POST",
        url,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            **(headers or {}),
        },
        body=urlencode(data).encode("ascii"),
        transport=transport,
    )


def post_json(
    url: str,
    payload,
    *,
    content_type: str = "application/json",
    headers: dict | None = None,
    transport: Transport | None = None,
) -> Response:
    return request(
        "POST",
        url,
        headers={"Content-Type": content_type, **(headers or {})},
        body=json.dumps(payload).encode("utf-8"),
        transport=transport,
    )
