"""Every page carries the security headers, and no HTML page has inline script or style.

The walk takes every URL pattern of lms.urls, fills its arguments from the demo site (the
seed_demo data, which every role has something in) and requests it as each persona:
anonymous, student, teacher, mentor, verifier, regulator and the school administrator (also
the Django superuser, who walks the admin). Each answer must carry the enforcing
Content-Security-Policy and the other headers; each HTML answer must have no inline <script>
(JSON data blocks are fine), no <style>, no on*= handler, no style= attribute and no
javascript: URL, because the policy blocks them in the browser.

A pattern the walk cannot reach fails the test unless EXCLUDED names it with a reason: a new
page that takes no argument, or arguments named after a model (`bank_id`, `pk`) or a model's
field (`code`, `serial`), is visited without anything to add here.
"""

import itertools
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone
from django.utils.csp import build_policy

from certificates import status_list
from lms import demo_seed

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "cbec-demo-walk"
PERSONAS = ("anonymous", "student", "teacher", "mentor", "verifier", "regulator", "admin")

# Patterns the walk does not reach, with the reason (and where the page is tested instead).
EXCLUDED = {
    "lti:deep_link": "needs the token of an LTI deep-linking launch; "
    "tests/lti/test_deep_linking.py and test_framed_deep_linking.py read that page and its CSP",
    "lti:window": "needs a window link from a framed LTI launch; "
    "tests/lti/test_framed_launch.py reads that page and its headers",
    "organizations:invitation": "needs the signed link given to an invited person "
    "(tests/organizations/test_members.py, tests/courses/test_rosters.py)",
    "organizations:member_role_grant": "a POST-only form action on the members page "
    "(tests/organizations/test_members.py)",
    "certificates:bulk_verify_report": "needs the token of a bulk verification just run",
    "admin:view_on_site": "a redirect to the object's own page on the site",
    "exams:admission_notice": "a PDF for the sitting's admitted candidates only, whom the "
    "demo roles are not (tests/exams/test_admission_notice.py)",
    "mfa_edit_webauthn": "needs a security key or passkey registered by a browser's "
    "authenticator (tests/site/test_staff_mfa.py)",
    "mfa_remove_webauthn": "needs a security key or passkey registered by a browser's "
    "authenticator (tests/site/test_staff_mfa.py)",
    "exams:answer_file": "a file a student uploaded for a practical task "
    "(tests/exams/test_staff_pages.py)",
    "exams:exam_override_delete": "a POST-only form action on an exam's overrides page "
    "(tests/exams/test_sitting_overrides.py)",
}
# Unnamed patterns: the admin's catch-all and its old "<id>/" addresses (redirects).
EXCLUDED_UNNAMED = re.compile(r"^admin/")

# Values for arguments that name no model or model field: tried in turn.
FREE_VALUES = {
    "fmt": lambda: ["csv", "xlsx", "json", "pdf"],
    "position": lambda: [1],
    "list_id": lambda: list(status_list.PURPOSES),
    "app_label": lambda: sorted({m._meta.app_label for m in admin.site._registry}),
}
# Argument stems that are not a model's name.
ALIASES = {"school": "organizations.Organization"}
# Patterns whose int argument names another model than its stem says: a grading page's
# "question_id" is an answer on a paper (AttemptQuestion), not a bank question.
URL_MODELS = {
    "exams:mark_answer": "exams.AttemptQuestion",
    "exams_api:grading_answer": "exams.AttemptQuestion",
}


def _wanted(stem: str, url_name: str) -> list[type[models.Model]]:
    if url_name in URL_MODELS:
        return [apps.get_model(URL_MODELS[url_name])]
    return _models_named(stem)


def _email_confirmation():
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    address = EmailAddress.objects.order_by("pk").first()
    return [{"key": EmailConfirmationHMAC(address).key}] if address else []


def _password_reset_key():
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    user = get_user_model().objects.get(username="student")
    return [{"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}]


# Arguments made the way the mail that carries the link makes them.
PROVIDERS = {
    "account_confirm_email": _email_confirmation,
    "account_reset_password_from_key": _password_reset_key,
}
# Query strings a page needs.
QUERIES = {"exams:bank_export_warnings": "?fmt=gift"}

REACHED = {200, 400, 405}  # 400 and 405: the view ran and refused the input or the method


def _expected_policy() -> str:
    return build_policy(settings.SECURE_CSP)


# --- the patterns -------------------------------------------------------------------------


def _patterns(resolver=None, prefix="", namespace=""):
    """(full name or None, route for messages, pattern, [(kwarg, is_int)]) for every route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            outer = _kwargs_of(entry.pattern)
            for name, route, pattern, kwargs in _patterns(entry, prefix + str(entry.pattern), ns):
                yield name, route, pattern, outer + kwargs
        elif isinstance(entry, URLPattern):
            name = None
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern), entry, _kwargs_of(entry.pattern)


def _kwargs_of(pattern) -> list[tuple[str, bool]]:
    converters = getattr(pattern, "converters", {})
    if converters:
        return [(k, isinstance(c, IntConverter)) for k, c in converters.items()]
    regex = getattr(pattern, "_regex", "") or ""
    names = list(pattern.regex.groupindex)
    return [(k, k == "pk" or k.endswith("_id") or f"(?P<{k}>[0-9]+)" in regex) for k in names]


# --- argument values from the database ----------------------------------------------------


def _models_named(stem: str) -> list[type[models.Model]]:
    """Models called `stem` (bank_id -> "bank"), else whose name ends or starts with it
    (QuestionBank; ImportJob for a router's "import-detail"), or ALIASES[stem]."""
    if stem in ALIASES:
        return [apps.get_model(ALIASES[stem])]
    stem = stem.replace("_", "").lower()
    every = [m for m in apps.get_models() if not m._meta.proxy]
    exact = [m for m in every if m._meta.model_name == stem]
    return exact or [
        m for m in every if m._meta.model_name.endswith(stem) or m._meta.model_name.startswith(stem)
    ]


def _stem(kwarg: str, url_name: str) -> str:
    if kwarg in {"pk", "id"}:
        # DRF router names: "<basename>-<action>" ("bank-detail" -> "bank").
        return url_name.rsplit(":", 1)[-1].split("-")[0]
    return kwarg.removesuffix("_id")


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


def _related(obj, depth: int = 3):
    """obj and the objects its foreign keys lead to, nearest first."""
    seen, frontier = {(type(obj), obj.pk)}, [obj]
    yield obj
    for _ in range(depth):
        following = []
        for current in frontier:
            for field in current._meta.concrete_fields:
                if not isinstance(field, models.ForeignKey):
                    continue
                target = getattr(current, field.name, None)
                if target is None or (type(target), target.pk) in seen:
                    continue
                seen.add((type(target), target.pk))
                following.append(target)
                yield target
        frontier = following


def _value_from(obj, kwarg: str, is_int: bool, url_name: str):
    """The value of `kwarg` that belongs with obj: its own field or a related object's."""
    wanted = _wanted(_stem(kwarg, url_name), url_name) if is_int else []
    for related in _related(obj):
        if is_int and type(related) in wanted:
            return related.pk
        if not is_int and kwarg in _field_names(type(related)):
            return getattr(related, kwarg)
    return None


def _candidates(url_name: str, kwargs: list[tuple[str, bool]], limit: int = 3):
    """Argument sets to try for one pattern, the likeliest first.

    An anchor object (the model the last int argument names, else a model with a field for
    each string argument) gives its own value; the other arguments come from the objects
    its foreign keys lead to (a lesson's course code); FREE_VALUES fill the rest.
    """
    free = [k for k, _ in kwargs if k in FREE_VALUES]
    bound = [(k, is_int) for k, is_int in kwargs if k not in FREE_VALUES]
    if bound:
        ints = [k for k, is_int in bound if is_int]
        if ints:
            anchors = _wanted(_stem(ints[-1], url_name), url_name)  # lesson_id after code
        else:
            names = {k for k, _ in bound}
            anchors = [m for m in apps.get_models() if names <= _field_names(m)]
        objects = itertools.chain.from_iterable(
            m._default_manager.order_by("pk")[:limit] or _blank_row(m) for m in anchors
        )
        found = []
        for obj in objects:
            values = {k: _value_from(obj, k, is_int, url_name) for k, is_int in bound}
            if None not in values.values():
                found.append(values)
    else:
        found = [{}]
    for values in found:
        for combo in itertools.product(*(FREE_VALUES[k]() for k in free)):
            yield {**values, **dict(zip(free, combo, strict=True))}


def _blank_row(model) -> list:
    """A row of a model the demo has none of (a new job, sitting or refresh record): each
    required field gets a plain value, each required foreign key the target's first row.
    Its page is then walked too; [] when such a row cannot be saved."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.has_default() or field.null or not field.editable:
            continue
        if isinstance(field, models.ForeignKey):
            target = field.related_model._default_manager.order_by("pk").first()
            if target is None:
                return []
            values[field.name] = target
        elif field.choices:
            values[field.name] = field.choices[0][0]
        elif isinstance(field, models.DateTimeField):
            values[field.name] = timezone.now()
        elif isinstance(field, models.DateField):
            values[field.name] = timezone.localdate()
        elif isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
            values[field.name] = 1
        elif isinstance(field, models.CharField | models.TextField):
            values[field.name] = "walk"
        elif isinstance(field, models.JSONField):
            values[field.name] = {}
        elif not field.blank:
            return []
    try:
        with transaction.atomic():
            return [model._default_manager.create(**values)]
    except (IntegrityError, ValidationError, TypeError, ValueError):
        return []


def _admin_candidates(url_name: str, kwargs):
    """The admin: every registered model's list, add, change, history and delete pages."""
    names = [k for k, _ in kwargs]
    if not names or names == ["app_label"]:
        yield from _candidates(url_name, kwargs)
        return
    # admin:<app>_<model>_change (history, delete, password_change): the model's first row.
    for model in admin.site._registry:
        if len(names) == 1 and url_name.startswith(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        ):
            first = model._default_manager.order_by("pk").first()
            if first is not None:
                yield {names[0]: first.pk}
            return


# --- what an answer must carry --------------------------------------------------------


class _InlineFinder(HTMLParser):
    DATA_TYPES = {"application/json", "application/ld+json"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> (inline event handler)")
            elif name == "style":
                self.problems.append(f"<{tag} style={value!r}> (style attribute)")
            elif name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}> (javascript: URL)")
        if tag == "script" and not named.get("src") and named.get("type") not in self.DATA_TYPES:
            self.problems.append("<script> without src (inline script)")
        if tag == "style":
            self.problems.append("<style> element (inline style)")


def inline_problems(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.problems


def header_problems(response) -> list[str]:
    problems = []
    policy = response.get("Content-Security-Policy", "")
    html = response.get("Content-Type", "").startswith("text/html")
    if not policy:
        problems.append("no Content-Security-Policy")
    elif html and policy != _expected_policy():
        problems.append(f"CSP {policy!r} is not the site's")
    for weak in ("'unsafe-inline'", "'unsafe-eval'", "*"):
        if weak in policy.split():
            problems.append(f"CSP allows {weak}")
    if "Content-Security-Policy-Report-Only" in response:
        problems.append("a report-only CSP besides the enforced one")
    expected = {
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
    }
    for header, value in expected.items():
        if response.get(header) != value:
            problems.append(f"{header} is {response.get(header)!r}, not {value!r}")
    permissions = response.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        if feature not in permissions:
            problems.append(f"Permissions-Policy lacks {feature}")
    if html and response.get("X-Frame-Options") != "DENY":
        problems.append("an HTML page without X-Frame-Options DENY")
    return problems


# --- the walk -----------------------------------------------------------------------------


@pytest.fixture
def personas(db, django_capture_on_commit_callbacks) -> dict[str, Client]:
    """The demo site (certificate files rendered), a few rows it lacks, a client per persona."""
    with django_capture_on_commit_callbacks(execute=True):
        demo_seed.seed(password=DEMO_PASSWORD)
        _rows_the_demo_lacks()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=PERSONAS)}
    clients = {}
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(users[persona])
        clients[persona] = client
    return clients


def _rows_the_demo_lacks() -> None:
    """A regrade, an import, a certificate batch, an API key, a lesson file, second factors."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from certificates.issuance import batch_issue
    from courses.models import Lesson
    from exams import services
    from exams.models import Exam, ImportJob, QuestionVersion, RegradeJob
    from organizations.api_keys import api_key_create
    from organizations.models import Organization
    from tests.exams.interop import images

    user = get_user_model().objects.get
    teacher, admin_user = user(username="teacher"), user(username="admin")
    version = QuestionVersion.objects.order_by("pk").first()
    RegradeJob.objects.create(version=version, requested_by=teacher, status="done")
    ImportJob.objects.create(
        bank=version.question.bank, format="aiken", file_name="demo.txt", requested_by=teacher
    )
    exam = Exam.objects.filter(skill_level__isnull=False).order_by("pk").first()
    batch_issue(exam=exam, by=teacher)
    enterprise = Organization.objects.get(code="demo-enterprise")
    api_key_create(organization=enterprise, name="Walk", scopes=["verify"], by=admin_user)
    # A question image, served with its own stricter policy (default-src 'none'; sandbox).
    services.media_add(
        bank=version.question.bank,
        data=images.image("PNG", (200, 30, 30)),
        name="dot.png",
        by=teacher,
    )
    lesson = Lesson.objects.order_by("pk").first()
    lesson.attachment.save("notes.txt", ContentFile(b"Lesson notes"))
    EmailAddress.objects.create(user=user(username="student"), email="student@example.org")
    for person in get_user_model().objects.filter(username__in=PERSONAS):
        TOTP.activate(person, generate_totp_secret())
        RecoveryCodes.activate(person)


def _is_reached(response) -> bool:
    """The view answered for this visitor (a redirect to log in is not the page)."""
    if response.status_code in REACHED:
        return True
    if 300 <= response.status_code < 400:
        path = urlsplit(response.get("Location", "")).path
        return path not in {reverse(settings.LOGIN_URL), reverse("admin:login")}
    return False


def _walk(personas) -> tuple[dict, dict, list, list]:
    """Request every pattern: (statuses per pattern, problems per URL, unnamed, rowless)."""
    statuses, problems, unnamed, rowless = defaultdict(list), defaultdict(list), [], []
    for name, route, _pattern, kwargs in _patterns():
        if name is None:
            if not EXCLUDED_UNNAMED.match(route):
                unnamed.append(route)
            continue
        if name in EXCLUDED:
            continue
        in_admin = name.startswith("admin:")
        who = ("admin",) if in_admin else PERSONAS  # the superuser walks the admin
        if name in PROVIDERS:
            candidates = PROVIDERS[name]()
        else:
            candidates = list((_admin_candidates if in_admin else _candidates)(name, kwargs))
        if in_admin and not candidates:
            rowless.append(name)  # a model with no rows: its list page is walked
        for values in candidates:
            url = reverse(name, kwargs=values) + QUERIES.get(name, "")
            reached = False
            for persona in who:
                if reached and (values or route.startswith("api/")):
                    break  # with arguments, or JSON: the first visitor answered is enough
                response = personas[persona].get(url)
                # The admin refuses to add or delete rows of some models, by design (403).
                reached = _is_reached(response) or (
                    in_admin and persona == "admin" and response.status_code == 403
                )
                statuses[name].append((persona, url, response.status_code, reached))
                found = header_problems(response)
                if response.get("Content-Type", "").startswith("text/html"):
                    found += inline_problems(response.content.decode(errors="replace"))
                if response.status_code >= 500:
                    found.append(f"status {response.status_code}")
                for problem in found:
                    problems[f"{url} as {persona}"].append(problem)
                reached = reached or statuses[name][-1][-1]
            if reached:
                break
    return statuses, problems, unnamed, rowless


def test_every_page_has_the_headers_and_no_inline_script_or_style(personas):
    statuses, problems, unnamed, rowless = _walk(personas)

    names = {name for name, *_ in _patterns() if name}
    unreached = {
        name: [entry[:3] for entry in statuses.get(name, [])] or "no arguments from the demo data"
        for name in names - set(EXCLUDED) - set(rowless)
        if not any(entry[-1] for entry in statuses.get(name, []))
    }
    failures = [f"{url}: {p}" for url, found in problems.items() for p in found]
    if unreached:
        failures.append(
            "The walk did not reach these pages: give their arguments a model-named kwarg, "
            "or add them to EXCLUDED with the reason:\n"
            + "\n".join(f"  {name}: {seen}" for name, seen in sorted(unreached.items()))
        )
    if unnamed:
        failures.append(f"Unnamed URL patterns the walk cannot reverse: {unnamed}")
    if set(EXCLUDED) - names:
        failures.append(f"EXCLUDED names no pattern: {set(EXCLUDED) - names}")
    assert not failures, "\n".join(failures)


def test_the_page_checks_find_what_the_policy_would_block():
    html = (
        '<script src="/static/lms/site.js" defer></script>'
        '<script type="application/json" id="data">{"a": 1}</script>'
        "<script>alert(1)</script><style>p { color: red }</style>"
        '<p style="color: red" onclick="go()"><a href="javascript:go()">go</a></p>'
    )
    assert inline_problems(html) == [
        "<script> without src (inline script)",
        "<style> element (inline style)",
        "<p style='color: red'> (style attribute)",
        "<p onclick=...> (inline event handler)",
        "<a href='javascript:go()'> (javascript: URL)",
    ]


def test_the_header_checks_refuse_a_missing_or_weak_policy(client, db):
    from django.http import HttpResponse

    bare = HttpResponse("<p>hi</p>")
    assert "no Content-Security-Policy" in header_problems(bare)
    weak = HttpResponse("<p>hi</p>")
    weak["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    assert "CSP allows 'unsafe-inline'" in header_problems(weak)
    assert header_problems(client.get(reverse("courses:catalogue"))) == []
