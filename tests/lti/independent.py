"""An independent LTI 1.3 platform: the `lti1p3platform` package (PyPI), served over real HTTP.

Our simulated platform (platform.py) was written with the tool, so it shares our reading
of the specs. This one is someone else's code: `lti1p3platform` builds the OIDC login
initiation, signs the id_tokens (PyJWT), checks our deep-linking response and client
assertions against our published keys, issues access tokens, and answers the AGS line
item and score calls and the NRPS membership call. We only supply what the library
leaves abstract (storage for line items, scores and members) and a small HTTP server on
127.0.0.1, so the tool reaches it with its own urllib transport, as it would a real LMS.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from jwcrypto.jwk import JWK
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context as NrpsContext
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
)

CLIENT_ID = "cbec-academy-independent"
DEPLOYMENT_ID = "deployment-9"
CONTEXT = {"id": "course-9", "label": "CBEC101", "title": "Cross-border E-commerce 101"}
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


class DictRequest(Request):
    """The library's request abstraction, filled from our HTTP handler (or a redirect)."""

    def build_metadata(self, request: dict) -> dict:
        return {
            "method": "GET",
            "form_data": {},
            "get_data": {},
            "headers": {},
            "content_type": None,
            "path": "/",
            "json": None,
            **request,
        }


class PlatformConfig(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs) -> None:
        self.registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs) -> Registration:
        return self.registration


class OIDCLogin(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class MessageLaunch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict, **kwargs) -> dict:
        return launch_data  # the auto-submitting form's fields: id_token, state, launch_url


class Grades(AssignmentsGradesService):
    """Storage for AGS: one line item, and the scores it receives."""

    def __init__(self, request, platform):
        super().__init__(
            request,
            platform.config,
            platform.lineitems_url,
            platform.lineitem_url,
            allow_creating_lineitems=False,
        )
        self.platform = platform

    def find_lineitems(self, page=1, limit=None, **filters):
        return {"content": [self.find_lineitem("1")], "has_next": False}

    def find_lineitem(self, line_item_id):
        return {
            "id": self.platform.lineitem_url,
            "scoreMaximum": self.platform.score_maximum,
            "label": "CBEC exam",
            "resourceLinkId": "rl-independent",
        }

    def create_lineitem(self, creation_data):
        raise NotImplementedError

    def update_lineitem(self, update_data):
        raise NotImplementedError

    def delete_lineitem(self, line_item_id):
        raise NotImplementedError

    def update_score(self, line_item_id, score):
        self.platform.scores.append((line_item_id, score))
        return UpdateScoreStatus.SUCCESS

    def get_results(self, line_item_id, page=1, limit=None, user_id=None):
        return {"content": [], "has_next": False}


class Roster(NamesRoleProvisioningService):
    """Storage for NRPS: the members of the one context."""

    def __init__(self, request, platform):
        super().__init__(request, platform.config, platform.memberships_url)
        self.platform = platform

    def get_member_data_page(self, page=1, limit=None, role=None, since=None, **rest):
        return {"content": list(self.platform.members), "has_next": False}

    def get_context_by_id(self):
        return NrpsContext(**CONTEXT)


def _key_pair() -> tuple[str, str]:
    key = JWK.generate(kty="RSA", size=2048)
    private = key.export_to_pem(private_key=True, password=None).decode()
    return private, key.export_to_pem().decode()


class IndependentPlatform:
    """The library's platform, started on a free local port; `close()` stops it."""

    def __init__(self, *, tool_base: str, tool_jwks: dict):
        self.scores: list[tuple[str, dict]] = []
        self.members: list[dict] = []
        self.score_maximum = 20
        self.requests: list[tuple[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._server.server_port}"
        self.lineitems_url = self.base + "/lineitems"
        self.lineitem_url = self.base + "/lineitems/1/lineitem"
        self.memberships_url = self.base + "/memberships"
        self.return_url = self.base + "/deep-link-return"
        private, public = _key_pair()
        self.registration = (
            Registration()
            .set_iss(self.base)
            .set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT_ID)
            .set_oidc_login_url(tool_base + "/lti/login/")
            .set_launch_url(tool_base + "/lti/launch/")
            .set_deeplink_launch_url(tool_base + "/lti/launch/")
            .set_platform_private_key(private)
            .set_platform_public_key(public)
            # The tool's published keyset, as its admin would paste it (or its URL).
            .set_tool_key_set(tool_jwks)
        )
        self.config = PlatformConfig(registration=self.registration)
        self.config.get_registration()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- what a platform registers for the tool --------------------------------------------

    @property
    def auth_url(self) -> str:
        return self.base + "/auth"

    @property
    def token_url(self) -> str:
        return self.base + "/token"

    @property
    def jwks_url(self) -> str:
        return self.base + "/jwks"

    # --- messages --------------------------------------------------------------------------

    def login_url(self, *, user_id: str, hint: str, deep_linking: bool = False) -> str:
        """The third-party login initiation the platform sends the browser to."""
        login = OIDCLogin(None, self.config)
        login.set_lti_message_hint(hint=hint)
        if deep_linking:
            login.set_deeplinking_launch_url()
        return login.initiate_login(user_id)

    def launch(self, auth_query: dict, *, user_id: str, roles: list[str], name: str, **parts):
        """Answer the tool's authentication request with a signed id_token form."""
        message = MessageLaunch(DictRequest({"get_data": auth_query}), self.config)
        message.set_user_data(user_id, roles, full_name=name, email_address=f"{user_id}@lms.test")
        message.set_launch_context_claim(
            CONTEXT["id"], context_title=CONTEXT["title"], context_label=CONTEXT["label"]
        )
        message.set_nrps(self.memberships_url)
        if parts.get("target"):
            message.set_launch_url(parts["target"])
        if parts.get("deep_linking"):
            message.set_dl(
                self.return_url, title="Add an activity", accept_types={"ltiResourceLink"}
            )
        else:
            message.set_resource_link_claim(parts["resource_link_id"], title="CBEC exam")
            message.set_custom_parameters_claim(parts.get("custom") or {})
            message.set_ags(self.lineitems_url, self.lineitem_url, allow_creating_lineitems=False)
        return message.lti_launch()

    def content_items(self, jwt: str) -> list[dict]:
        """Check the tool's deep-linking response as the platform does; its content items."""
        return self.config.validate_deeplinking_resp({"JWT": jwt})

    # --- the platform's web services, over HTTP ---------------------------------------------

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _request(self) -> DictRequest:
                url = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                content_type = self.headers.get("Content-Type", "")
                return DictRequest(
                    {
                        "method": self.command,
                        "form_data": dict(parse_qsl(body.decode()))
                        if "form" in content_type
                        else {},
                        "get_data": dict(parse_qsl(url.query)),
                        "headers": self.headers,
                        "content_type": content_type,
                        "path": url.path,
                        "json": json.loads(body) if "json" in content_type and body else None,
                    }
                )

            def _answer(self, code: int, body, media_type="application/json", headers=()):
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _service(self, response) -> None:
                # As the library's own Django adapter (framework/django/response.py) does.
                if 200 <= response.code < 300:
                    result = response.result
                    body = result["content"] if result and "content" in result else result
                    links = (
                        [("Link", f"<{result['next']}>; rel=next")]
                        if (result and result.get("next"))
                        else []
                    )
                    self._answer(response.code, body, response.media_type, links)
                else:
                    self._answer(response.code, {"error": response.message})

            def do_GET(self):
                request = self._request()
                path = request.path
                platform.requests.append(("GET", path))
                if path == "/jwks":
                    return self._answer(200, platform.config.get_jwks())
                if path == "/lineitems/1/lineitem":
                    service = Grades(request, platform)
                    return self._service(
                        service.handle_resp(service.handle_get_lineitem, line_item_id="1")
                    )
                if path == "/memberships":
                    service = Roster(request, platform)
                    return self._service(service.handle_resp(service.handle_get_members))
                return self._answer(404, {"error": "not found"})

            def do_POST(self):
                request = self._request()
                path = request.path
                platform.requests.append(("POST", path))
                if path == "/token":
                    try:
                        answer = platform.config.get_access_token(request.form_data)
                    except Exception as error:  # the library refuses with exceptions
                        return self._answer(400, {"error": type(error).__name__})
                    return self._answer(200, answer)
                if path == "/lineitems/1/lineitem/scores":
                    service = Grades(request, platform)
                    return self._service(
                        service.handle_resp(service.handle_update_score, line_item_id="1")
                    )
                return self._answer(404, {"error": "not found"})

        return Handler
