"""A platform that embeds the tool (Moodle's "Embed" launch container): its course page frames
the launch, the frame offers a window, and the window opens the course signed in. Its
"Select content" dialog frames the deep-linking picker, and the pick comes back to it."""

import html
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

import lti.jwks
from lti import services, tokens
from lti.models import Deployment, Platform, ToolKey, UserLink
from tests.browser.artefacts import axe_violations
from tests.lti.platform import INSTRUCTOR, JWKS_URL, FakePlatform, rsa_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET = "https://tool.example/lti/launch/"  # the platform's link, as FakePlatform signs it


def auto_post(action: str, fields: dict) -> str:
    """A platform page that posts a form at once, as Moodle's launch pages do."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )
    return (
        f'<!doctype html><html><body><form method="post" action="{html.escape(action)}">'
        f"{inputs}</form><script>document.forms[0].submit()</script></body></html>"
    )


class Moodle(ThreadingHTTPServer):
    """The platform's pages, served for real from 127.0.0.1 (a site other than the tool's
    localhost): a course page framing the activity, the framed launch that begins the OIDC
    login, and the OIDC answer that posts a signed launch back to the tool; for deep linking,
    the "Select content" dialog framing the picker, its launch, and the return URL that
    records the tool's signed answer."""

    daemon_threads = True

    def __init__(self, *, tool_url: str, course_code: str):
        super().__init__(("127.0.0.1", 0), MoodlePage)
        self.issuer = f"http://127.0.0.1:{self.server_address[1]}"
        self.tool_url = tool_url
        self.course_code = course_code
        self.fake = FakePlatform(issuer=self.issuer, tool_jwks=services.tool_jwks)
        self.return_url = f"{self.issuer}/mod/lti/contentitem_return.php?course=2&id=1"
        self.returned: list[dict] = []  # the forms the tool posted to the return URL


class MoodlePage(BaseHTTPRequestHandler):
    server: Moodle

    def do_GET(self):  # noqa: N802 - http.server's name
        moodle = self.server
        url = urlsplit(self.path)
        if url.path == "/mod/lti/auth.php":
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if query.get("lti_message_hint") == "select-content":
                claims = moodle.fake.claims(
                    nonce=query["nonce"],
                    sub="moodle-teacher-7",
                    roles=[INSTRUCTOR],
                    message_type=tokens.DEEP_LINKING_REQUEST,
                )
                claims[tokens.DL_SETTINGS]["deep_link_return_url"] = moodle.return_url
            else:
                claims = moodle.fake.claims(
                    nonce=query["nonce"], custom={"cbec_course": moodle.course_code}
                )
            fields = {"id_token": moodle.fake.id_token(claims), "state": query["state"]}
            body = auto_post(query["redirect_uri"], fields)
        elif url.path in {"/mod/lti/launch.php", "/mod/lti/contentitem.php"}:
            fields = {
                "iss": moodle.issuer,
                "login_hint": "42",
                "target_link_uri": TARGET,
                "client_id": moodle.fake.client_id,
                "lti_deployment_id": "1",
            }
            if url.path == "/mod/lti/contentitem.php":
                fields["lti_message_hint"] = "select-content"
            body = auto_post(f"{moodle.tool_url}/lti/login/", fields)
        elif url.path == "/course/modedit.php":
            body = (
                '<!doctype html><html lang="en"><head><title>Add an activity</title></head>'
                '<body><h1>Add an activity</h1><div role="dialog" aria-label="Select content">'
                '<iframe title="Select content" width="800" height="500" '
                'src="/mod/lti/contentitem.php?course=2"></iframe></div></body></html>'
            )
        else:
            body = (
                '<!doctype html><html lang="en"><head><title>CBEC101</title></head><body>'
                "<h1>Cross-border E-commerce</h1>"
                '<iframe title="CBEC Academy" width="800" height="400" '
                'src="/mod/lti/launch.php?id=7"></iframe></body></html>'
            )
        self._answer(body)

    def do_POST(self):  # noqa: N802 - http.server's name
        """The deep-linking return URL: records the tool's answer, as Moodle would read it."""
        moodle = self.server
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if f"{moodle.issuer}{self.path}" != moodle.return_url:
            self.send_error(404)
            return
        moodle.returned.append(form)
        self._answer(
            '<!doctype html><html lang="en"><head><title>Content added</title></head>'
            "<body><h1>Content added</h1></body></html>"
        )

    def _answer(self, body: str):
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def moodle(monkeypatch, school, course, live_server):
    key = rsa_key("tool")
    ToolKey.objects.create(
        kid=key.kid,
        private_pem=key.as_pem(private=True).decode(),
        public_jwk={**key.as_dict(private=False), "alg": "RS256", "use": "sig"},
    )
    server = Moodle(tool_url=live_server.url, course_code=course.code)
    monkeypatch.setattr(lti.jwks, "default_fetch", server.fake.fetch)
    registered = Platform.objects.create(
        name="Moodle (embedding)",
        issuer=server.issuer,
        client_id=server.fake.client_id,
        auth_login_url=f"{server.issuer}/mod/lti/auth.php",
        jwks_url=JWKS_URL,
        organization=school,
    )
    Deployment.objects.create(platform=registered, deployment_id="1")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_an_embedded_launch_opens_the_course_in_a_window_signed_in(
    browser_page, moodle, course, settings
):
    from playwright.sync_api import expect

    # Over plain HTTP a framed launch cannot carry the login cookie (SameSite=None needs
    # HTTPS); the platform's state and nonce still bind the launch.
    settings.LTI_STATE_COOKIE_REQUIRED = False
    page = browser_page
    page.goto(f"{moodle.issuer}/course/view.php?id=2")
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Open CBEC Academy")).to_be_visible()
    button = frame.get_by_role("link", name="Open the activity in a new window")
    framed = next(f for f in page.frames if "/lti/launch/" in f.url)
    assert axe_violations(framed) == []

    with page.expect_popup() as opened:
        button.click()
    window = opened.value
    window.wait_for_url(f"**{course.get_absolute_url()}")
    expect(window.get_by_role("heading", name="SEO Marketing")).to_be_visible()
    user = UserLink.objects.get(sub="moodle-user-42").user
    assert course.enrollments.filter(student=user).exists()
    # Signed in: the window's session is the launched person's.
    expect(window.get_by_role("button", name=re.compile("Log out"))).to_be_visible()

    # The link was single use: opening it again is refused, with the way back.
    again = page.context.new_page()
    again.goto(window.url.replace(course.get_absolute_url(), "") + _link(framed))
    expect(again.get_by_role("heading", name="The link could not be opened")).to_be_visible()
    expect(again.locator("p.error")).to_contain_text("already been used")


def _link(frame) -> str:
    return frame.locator("#open-window").get_attribute("href")


def test_select_content_in_the_platforms_dialog_picks_an_exam_and_returns_it(
    browser_page, moodle, theory_exam, settings
):
    from joserfc import jwt
    from joserfc.jwk import KeySet
    from playwright.sync_api import expect

    settings.LTI_STATE_COOKIE_REQUIRED = False  # plain HTTP, as above
    page = browser_page
    page.goto(f"{moodle.issuer}/course/modedit.php?add=lti&course=2")
    frame = page.frame_locator("iframe")
    # The picker shows inside the platform's dialog, with no cookie of the tool's site.
    expect(frame.get_by_role("heading", name="Choose a course or an exam")).to_be_visible()
    picker = next(f for f in page.frames if "/lti/deep-link/" in f.url)
    picker_url = picker.url
    assert page.context.cookies(picker_url) == []
    assert axe_violations(picker) == []

    frame.get_by_role("radio", name=re.compile(re.escape(theory_exam.title))).check()
    frame.get_by_role("button", name="Add to my course").click()
    # The answer posts itself to the platform's return URL, still inside the dialog.
    expect(frame.get_by_role("heading", name="Content added")).to_be_visible()
    [form] = moodle.returned
    claims = jwt.decode(
        form["JWT"], KeySet.import_key_set(services.tool_jwks()), algorithms=["RS256"]
    ).claims
    assert claims["aud"] == moodle.issuer
    assert claims[tokens.MESSAGE_TYPE] == "LtiDeepLinkingResponse"
    [item] = claims[tokens.DL_CONTENT_ITEMS]
    assert item["custom"] == {"cbec_exam": str(theory_exam.pk)}
    assert item["url"].endswith("/lti/launch/")
    assert not UserLink.objects.get(sub="moodle-teacher-7").user.last_login  # nobody signed in

    # The picker was single use: opening it again is refused, with the way back.
    again = page.context.new_page()
    again.goto(picker_url)
    expect(again.get_by_role("heading", name="The link could not be opened")).to_be_visible()
    expect(again.locator("p.error")).to_contain_text("expired")
