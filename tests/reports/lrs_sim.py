"""A simulated Learning Record Store: a small WSGI app that checks the xAPI 2.0 statement rules.

It answers POST /statements (one statement or a list) and PUT /statements?statementId=…
as an LRS does: 200 with the ids / 204, 400 with the broken rule when any statement is
invalid (nothing of the request is stored), 409 when an id is already held with different
content, 401 without the right basic credentials, 400 without X-Experience-API-Version 2.0.
`fail_with` lists statuses to answer before behaving (an LRS that is down for a while).

The rules checked (IEEE 9274.1.1, xAPI 2.0 data model): only the defined properties at
each level; actor, verb and object present; the actor an Agent with exactly one inverse
functional identifier, an account having an absolute homePage and a name; IRIs absolute;
language maps keyed by RFC 5646 tags; id and context.registration UUIDs; timestamp ISO 8601
with a time zone; version 2.0.x; score.scaled within [-1, 1], raw within min and max, min
below max; success and completion booleans; context.platform only for an Activity object.
Voiding (xAPI 2.0, 2.3.2): a statement with the verb ADL voided must have a StatementRef
object naming a statement id (a UUID); a voiding statement cannot itself be voided (400); a
voiding statement whose target the LRS does not hold is still accepted; a voided statement
is marked so (`voided`) and no longer counts among the statements a reader gets (`current`).
"""

import base64
import json
import re
import threading
import uuid
from wsgiref.simple_server import WSGIRequestHandler, make_server

STATEMENT_KEYS = {
    "id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
    "version", "attachments", "objectType",
}  # fmt: skip
AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
VERB_KEYS = {"id", "display"}
ACTIVITY_KEYS = {"objectType", "id", "definition"}
DEFINITION_KEYS = {
    "name", "description", "type", "moreInfo", "extensions", "interactionType",
    "correctResponsesPattern", "choices", "scale", "source", "target", "steps",
}  # fmt: skip
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
SCORE_KEYS = {"scaled", "raw", "min", "max"}
CONTEXT_KEYS = {
    "registration", "instructor", "team", "contextActivities", "contextAgents",
    "contextGroups", "revision", "platform", "language", "statement", "extensions",
}  # fmt: skip
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}
# RFC 5646 language tags (the common shapes: language, script, region, variants).
LANGUAGE_TAG = re.compile(
    r"^[a-zA-Z]{2,3}(-[a-zA-Z]{3}){0,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?"
    r"(-([a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*$"
)
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
STATEMENT_REF_KEYS = {"objectType", "id"}
ABSOLUTE_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]+$")


class Invalid(ValueError):
    pass


def _keys(value, allowed: set, where: str) -> None:
    if not isinstance(value, dict):
        raise Invalid(f"{where} must be an object")
    unknown = set(value) - allowed
    if unknown:
        raise Invalid(f"{where} has unknown properties {sorted(unknown)}")


def _iri(value, where: str) -> None:
    if not isinstance(value, str) or not ABSOLUTE_IRI.match(value):
        raise Invalid(f"{where} must be an absolute IRI, got {value!r}")
    if value.startswith(("http:", "https:")) and not re.match(r"^https?://[^/\s]+", value):
        raise Invalid(f"{where} has no host: {value!r}")


def _uuid(value, where: str) -> None:
    try:
        uuid.UUID(str(value))
    except ValueError as exc:
        raise Invalid(f"{where} must be a UUID") from exc
    if not isinstance(value, str) or len(value) != 36:
        raise Invalid(f"{where} must be a UUID in its 36-character form")


def _language_map(value, where: str) -> None:
    if not isinstance(value, dict) or not value:
        raise Invalid(f"{where} must be a language map")
    for tag, text in value.items():
        if not LANGUAGE_TAG.match(tag):
            raise Invalid(f"{where} key {tag!r} is not an RFC 5646 language tag")
        if not isinstance(text, str):
            raise Invalid(f"{where}[{tag}] must be a string")


def _agent(value, where: str) -> None:
    _keys(value, AGENT_KEYS, where)
    if value.get("objectType", "Agent") != "Agent":
        raise Invalid(f"{where}.objectType must be Agent")
    present = [name for name in IFIS if name in value]
    if len(present) != 1:
        raise Invalid(f"{where} needs exactly one inverse functional identifier")
    if "account" in value:
        account = value["account"]
        _keys(account, {"homePage", "name"}, f"{where}.account")
        _iri(account.get("homePage"), f"{where}.account.homePage")
        if not isinstance(account.get("name"), str) or not account["name"]:
            raise Invalid(f"{where}.account.name is required")


def _activity(value, where: str) -> None:
    _keys(value, ACTIVITY_KEYS, where)
    if value.get("objectType", "Activity") != "Activity":
        raise Invalid(f"{where}.objectType must be Activity")
    _iri(value.get("id"), f"{where}.id")
    if "definition" in value:
        definition = value["definition"]
        _keys(definition, DEFINITION_KEYS, f"{where}.definition")
        for name in ("name", "description"):
            if name in definition:
                _language_map(definition[name], f"{where}.definition.{name}")
        for name in ("type", "moreInfo"):
            if name in definition:
                _iri(definition[name], f"{where}.definition.{name}")


def _result(value) -> None:
    _keys(value, RESULT_KEYS, "result")
    for name in ("success", "completion"):
        if name in value and not isinstance(value[name], bool):
            raise Invalid(f"result.{name} must be a boolean")
    if "score" in value:
        score = value["score"]
        _keys(score, SCORE_KEYS, "result.score")
        for name, number in score.items():
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise Invalid(f"result.score.{name} must be a number")
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            raise Invalid("result.score.scaled must be within [-1, 1]")
        low, high = score.get("min"), score.get("max")
        if low is not None and high is not None and not low < high:
            raise Invalid("result.score.min must be below max")
        raw = score.get("raw")
        if raw is not None and (
            (low is not None and raw < low) or (high is not None and raw > high)
        ):
            raise Invalid("result.score.raw must be within min and max")


def _context(value, statement: dict) -> None:
    _keys(value, CONTEXT_KEYS, "context")
    if "registration" in value:
        _uuid(value["registration"], "context.registration")
    if "platform" in value and statement["object"].get("objectType", "Activity") != "Activity":
        raise Invalid("context.platform is only for an Activity object")
    if "language" in value and not LANGUAGE_TAG.match(value["language"]):
        raise Invalid("context.language must be an RFC 5646 tag")
    if "contextActivities" in value:
        activities = value["contextActivities"]
        _keys(activities, CONTEXT_ACTIVITY_KEYS, "context.contextActivities")
        for kind, listed in activities.items():
            for n, activity in enumerate(listed if isinstance(listed, list) else [listed]):
                _activity(activity, f"context.contextActivities.{kind}[{n}]")


def validate(statement) -> None:
    """Raise Invalid with the first broken rule."""
    _keys(statement, STATEMENT_KEYS, "statement")
    for name in ("actor", "verb", "object"):
        if name not in statement:
            raise Invalid(f"statement.{name} is required")
    if "id" in statement:
        _uuid(statement["id"], "statement.id")
    _agent(statement["actor"], "actor")
    verb = statement["verb"]
    _keys(verb, VERB_KEYS, "verb")
    _iri(verb.get("id"), "verb.id")
    if "display" in verb:
        _language_map(verb["display"], "verb.display")
    target = statement["object"]
    if isinstance(target, dict) and target.get("objectType") == "StatementRef":
        _keys(target, STATEMENT_REF_KEYS, "object")
        _uuid(target.get("id"), "object.id")
    elif verb.get("id") == VOIDED:
        raise Invalid("a voiding statement's object must be a StatementRef")
    else:
        _activity(target, "object")
    if "result" in statement:
        _result(statement["result"])
    if "context" in statement:
        _context(statement["context"], statement)
    stamp = statement.get("timestamp")
    if stamp is not None and not (isinstance(stamp, str) and TIMESTAMP.match(stamp)):
        raise Invalid("timestamp must be ISO 8601 with a time zone")
    if "version" in statement and not re.match(r"^2\.0\.\d+$", str(statement["version"])):
        raise Invalid("version must be 2.0.x")


def _same(a: dict, b: dict) -> bool:
    """Statement comparison as the LRS does it: without what the LRS itself sets."""
    ignore = {"stored", "authority", "version"}
    return {k: v for k, v in a.items() if k not in ignore} == {
        k: v for k, v in b.items() if k not in ignore
    }


class SimulatedLRS:
    def __init__(self, *, username="lrs-user", password="lrs-secret"):
        self.credentials = f"{username}:{password}"
        self.statements: dict[str, dict] = {}
        self.fail_with: list[int] = []
        self.requests: list[tuple[str, int]] = []  # (method, status answered)
        self.rejections: list[str] = []
        self.voided: set[str] = set()
        self.lock = threading.Lock()

    def current(self) -> dict[str, dict]:
        """The statements a reader gets: not voided, and not voiding statements."""
        return {
            pk: s
            for pk, s in self.statements.items()
            if pk not in self.voided and s["verb"]["id"] != VOIDED
        }

    def _voiding_problem(self, statement: dict, batch: list) -> str | None:
        """Must be called with the lock held."""
        if statement["verb"]["id"] != VOIDED:
            return None
        target = statement["object"]["id"]
        held = self.statements.get(target) or next(
            (s for s in batch if s.get("id") == target), None
        )
        if held is not None and held["verb"]["id"] == VOIDED:
            return f"statement {target} is a voiding statement and cannot be voided"
        return None

    def _store(self, statement: dict) -> None:
        """Must be called with the lock held."""
        self.statements.setdefault(statement["id"], statement)
        if statement["verb"]["id"] == VOIDED:
            self.voided.add(statement["object"]["id"])

    # -- WSGI -----------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        status, body = self.handle(environ)
        with self.lock:
            self.requests.append((environ["REQUEST_METHOD"], status))
        text = {200: "OK", 204: "No Content", 400: "Bad Request", 401: "Unauthorized"}
        reason = text.get(status, {409: "Conflict", 404: "Not Found"}.get(status, "Error"))
        payload = json.dumps(body).encode() if body is not None else b""
        start_response(f"{status} {reason}", [("Content-Type", "application/json")])
        return [payload] if status != 204 else []

    def handle(self, environ) -> tuple[int, object]:
        with self.lock:
            if self.fail_with:
                return self.fail_with.pop(0), {"error": "unavailable"}
        if not environ.get("PATH_INFO", "").endswith("/statements"):
            return 404, {"error": "no such resource"}
        if not environ.get("HTTP_X_EXPERIENCE_API_VERSION", "").startswith("2.0"):
            return 400, {"error": "X-Experience-API-Version 2.0.x is required"}
        expected = "Basic " + base64.b64encode(self.credentials.encode()).decode()
        if environ.get("HTTP_AUTHORIZATION") != expected:
            return 401, {"error": "unauthorised"}
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            body = json.loads(environ["wsgi.input"].read(length) or b"null")
        except ValueError:
            return 400, {"error": "not JSON"}
        method = environ["REQUEST_METHOD"]
        if method == "POST":
            return self._post(body if isinstance(body, list) else [body])
        if method == "PUT":
            query = dict(p.split("=", 1) for p in environ.get("QUERY_STRING", "").split("&") if p)
            return self._put(query.get("statementId", ""), body)
        return 405, {"error": "method not allowed"}

    def _check(self, statements: list) -> str | None:
        for statement in statements:
            try:
                validate(statement)
            except Invalid as exc:
                self.rejections.append(str(exc))
                return str(exc)
        return None

    def _post(self, statements: list) -> tuple[int, object]:
        problem = self._check(statements)
        if problem:
            return 400, {"error": problem}
        with self.lock:
            for statement in statements:
                held = self.statements.get(statement.get("id"))
                if held is not None and not _same(held, statement):
                    return 409, {"error": f"statement {statement['id']} conflicts"}
                problem = self._voiding_problem(statement, statements)
                if problem:
                    self.rejections.append(problem)
                    return 400, {"error": problem}
            ids = []
            for statement in statements:
                statement.setdefault("id", str(uuid.uuid4()))
                self._store(statement)
                ids.append(statement["id"])
        return 200, ids

    def _put(self, statement_id: str, statement) -> tuple[int, object]:
        problem = self._check([statement])
        if problem:
            return 400, {"error": problem}
        if statement.get("id", statement_id) != statement_id:
            return 400, {"error": "the statementId and the statement's id differ"}
        with self.lock:
            held = self.statements.get(statement_id)
            if held is not None and not _same(held, statement):
                return 409, {"error": f"statement {statement_id} conflicts"}
            problem = self._voiding_problem(statement, [])
            if problem:
                self.rejections.append(problem)
                return 400, {"error": problem}
            self._store({**statement, "id": statement_id})
        return 204, None


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class LiveLRS:
    """The simulated LRS served on a local port from a thread (a context manager)."""

    def __init__(self, lrs: SimulatedLRS):
        self.lrs = lrs
        self.server = make_server("127.0.0.1", 0, lrs, handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self.server.server_port}/xapi"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
