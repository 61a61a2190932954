"""A simulated LTI 1.3 platform (an LMS such as Moodle) for the tests.

It has its own RSA key pair and serves its JWKS through `fetch` (injected into
lti.jwks), signs real RS256 id_tokens, and answers the tool's outgoing HTTP through
`transport` (injected into lti.outbound): an OAuth2 token endpoint that verifies the tool's
client assertion against the tool's published JWKS, and an AGS scores endpoint. Every
request is recorded; nothing touches the network.
"""

import json
import time
import uuid
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qs, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from lti import tokens
from lti.models import Deployment, Platform
from lti.outbound import Response

ISSUER = "https://moodle.example.edu"
CLIENT_ID = "cbec-academy-tool"
DEPLOYMENT_ID = "1"
AUTH_URL = ISSUER + "/mod/lti/auth.php"
TOKEN_URL = ISSUER + "/mod/lti/token.php"
JWKS_URL = ISSUER + "/mod/lti/certs.php"
LINEITEMS = ISSUER + "/mod/lti/services.php/2/lineitems?type_id=1"
LINEITEM = ISSUER + "/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1"
RETURN_URL = ISSUER + "/mod/lti/contentitem_return.php?course=2&id=1"
MEMBERSHIPS = ISSUER + "/mod/lti/services.php/CourseSection/2/bindings/1/memberships"

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


@cache
def rsa_key(name: str) -> RSAKey:
    """One 2048-bit key per name for the whole run (generating keys is slow)."""
    return RSAKey.generate_key(2048, auto_kid=True)


@dataclass
class Recorded:
    method: str
    url: str
    headers: dict
    body: bytes

    @property
    def form(self) -> dict:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class FakePlatform:
    def __init__(self, *, issuer=ISSUER, client_id=CLIENT_ID, tool_jwks=None):
        self.issuer, self.client_id = issuer, client_id
        self.key = rsa_key("platform")
        self.tool_jwks = tool_jwks  # () -> the tool's published JWKS
        self.requests: list[Recorded] = []
        self.jwks_fetches = 0
        self.token_status = 200
        self.score_status = 200
        self.score_statuses: list[int] = []  # answered first, one per score, then score_status
        self.lineitem_maximum: float | None = 100
        self.members: list[dict] = []  # the NRPS roster of context "2"
        self.members_page_size: int | None = None  # paged through Link headers when set
        self.relative_links = False
        self.members_status = 200
        self.tokens_issued: list[str] = []

    # --- registration and keys -------------------------------------------------------------

    def register(self, organization, *, deployment_id=DEPLOYMENT_ID) -> Platform:
        platform = Platform.objects.create(
            name="Moodle (test)",
            issuer=self.issuer,
            client_id=self.client_id,
            auth_login_url=AUTH_URL,
            auth_token_url=TOKEN_URL,
            jwks_url=JWKS_URL,
            organization=organization,
        )
        Deployment.objects.create(platform=platform, deployment_id=deployment_id)
        return platform

    def jwks(self) -> dict:
        return {"keys": [{**self.key.as_dict(private=False), "alg": "RS256", "use": "sig"}]}

    def fetch(self, url: str) -> dict:
        assert url == JWKS_URL, url
        self.jwks_fetches += 1
        return self.jwks()

    # --- id_tokens -------------------------------------------------------------------------

    def claims(
        self,
        *,
        nonce: str,
        sub: str = "moodle-user-42",
        roles=(LEARNER,),
        message_type: str = tokens.RESOURCE_LINK_REQUEST,
        custom: dict | None = None,
        resource_link_id: str = "rl-1",
        lineitem: str | None = LINEITEM,
        memberships: str | None = MEMBERSHIPS,
        **overrides,
    ) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "exp": now + 300,
            "iat": now,
            "nonce": nonce,
            "name": "Zhang Wei",
            "given_name": "Wei",
            "family_name": "Zhang",
            "email": "zhang.wei@students.example.edu",
            "locale": "en",
            tokens.VERSION: "1.3.0",
            tokens.MESSAGE_TYPE: message_type,
            tokens.DEPLOYMENT_ID: DEPLOYMENT_ID,
            tokens.ROLES: list(roles),
            tokens.CONTEXT: {"id": "2", "label": "CBEC101", "title": "Cross-border E-commerce"},
        }
        if memberships is not None:
            claims[tokens.NRPS_CLAIM] = {
                "context_memberships_url": memberships,
                "service_versions": ["2.0"],
            }
        if message_type == tokens.RESOURCE_LINK_REQUEST:
            claims[tokens.TARGET_LINK_URI] = "https://tool.example/lti/launch/"
            claims[tokens.RESOURCE_LINK] = {"id": resource_link_id, "title": "CBEC exam"}
            if custom is not None:
                claims[tokens.CUSTOM] = custom
            if lineitem is not None:
                claims[tokens.AGS_ENDPOINT] = {
                    "scope": [
                        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                        "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
                        tokens.SCORE_SCOPE,
                    ],
                    "lineitems": LINEITEMS,
                    "lineitem": lineitem,
                }
        else:
            claims[tokens.DL_SETTINGS] = {
                "deep_link_return_url": RETURN_URL,
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False,
                "data": "opaque-platform-data",
                "title": "Add an activity",
            }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def id_token(self, claims: dict, *, key: RSAKey | None = None, kid: str | None = None) -> str:
        key = key or self.key
        header = {"alg": "RS256", "kid": kid or self.key.kid}
        return jwt.encode(header, claims, key, algorithms=["RS256"])

    # --- the tool's outgoing HTTP ----------------------------------------------------------

    def transport(self, method, url, *, headers, body, timeout) -> Response:
        assert timeout > 0
        self.requests.append(Recorded(method, url, dict(headers), body or b""))
        if url == TOKEN_URL:
            return self._token(self.requests[-1])
        if urlsplit(url).path.endswith("/scores"):
            status = self.score_statuses.pop(0) if self.score_statuses else self.score_status
            return Response(status, b"" if status < 300 else b"boom")
        if method == "GET" and url == LINEITEM:
            return self._lineitem(self.requests[-1])
        if method == "GET" and url.split("?")[0] == MEMBERSHIPS:
            return self._memberships(self.requests[-1])
        return Response(404, b"not found")

    def member(self, user_id: str, *roles: str, status: str | None = None, **fields) -> dict:
        """Add a roster member (a Learner unless roles say otherwise); returns it."""
        member = {
            "user_id": user_id,
            "roles": list(roles or [LEARNER]),
            "name": f"Member {user_id}",
            "email": f"{user_id}@students.example.edu",
            **fields,
        }
        if status:
            member["status"] = status
        self.members.append(member)
        return member

    def _memberships(self, request: Recorded) -> Response:
        if not self._authorised(request):
            return Response(401, b"no token")
        assert request.headers["Accept"] == tokens.NRPS_MEDIA_TYPE
        if self.members_status != 200:
            return Response(self.members_status, b"busy")
        page = int(parse_qs(urlsplit(request.url).query).get("page", ["1"])[0])
        size = self.members_page_size or max(len(self.members), 1)
        chunk = self.members[(page - 1) * size : page * size]
        body = {
            "id": MEMBERSHIPS,
            "context": {"id": "2", "label": "CBEC101", "title": "Cross-border E-commerce"},
            "members": chunk,
        }
        headers = {"Content-Type": tokens.NRPS_MEDIA_TYPE}
        if page * size < len(self.members):
            following = f"{MEMBERSHIPS}?page={page + 1}"
            if self.relative_links:
                following = f"memberships?page={page + 1}"
            headers["link"] = f'<{MEMBERSHIPS}>; rel="first", <{following}>; rel="next"'
        return Response(200, json.dumps(body).encode(), headers)

    def _authorised(self, request: Recorded) -> bool:
        auth = request.headers.get("Authorization", "")
        return auth.startswith("Bearer ") and auth[7:] in self.tokens_issued

    def _lineitem(self, request: Recorded) -> Response:
        if not self._authorised(request):
            return Response(401, b"no token")
        assert request.headers["Accept"] == "application/vnd.ims.lis.v2.lineitem+json"
        item = {"id": LINEITEM, "label": "CBEC exam", "resourceLinkId": "rl-1"}
        if self.lineitem_maximum is not None:
            item["scoreMaximum"] = self.lineitem_maximum
        return Response(200, json.dumps(item).encode())

    def _token(self, request: Recorded) -> Response:
        if self.token_status != 200:
            return Response(self.token_status, b'{"error": "server_error"}')
        form = request.form
        assert form["grant_type"] == "client_credentials"
        assert form["client_assertion_type"] == tokens.CLIENT_ASSERTION_TYPE
        assertion = jwt.decode(
            form["client_assertion"],
            KeySet.import_key_set(self.tool_jwks()),
            algorithms=["RS256"],
        ).claims
        assert assertion["iss"] == assertion["sub"] == self.client_id
        assert assertion["aud"] == TOKEN_URL
        assert assertion["exp"] > time.time() and assertion["jti"]
        token = uuid.uuid4().hex
        self.tokens_issued.append(token)
        answer = {"access_token": token, "token_type": "Bearer", "expires_in": 3600}
        return Response(200, json.dumps(answer).encode())

    def by_path(self, suffix: str) -> list[Recorded]:
        return [r for r in self.requests if urlsplit(r.url).path.endswith(suffix)]
