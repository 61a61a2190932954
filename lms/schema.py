"""A drf-spectacular postprocessing hook: document the error answers DRF itself gives.

drf-spectacular documents what a view returns on success (and whatever a view declares in
``@extend_schema``), but not the errors DRF raises around the view. This hook reads each
operation's view and adds, when it does not already document them:

- 400 when the operation reads a body or query parameters (fields that did not validate);
- 401 when the view's first authentication class answers with ``WWW-Authenticate``
  (missing or invalid credentials, as DRF decides it);
- 403 when someone may be refused: permissions other than AllowAny, a failed CSRF check
  of a session, or credentials that do not authenticate;
- 404 when the path names an object, or the list is paginated (a page past the end);
- 429 when the view is throttled;
- 503 always: the API's exception handler (lms.api_errors) answers it when the database
  is unreachable.
"""

from rest_framework.authentication import SessionAuthentication
from rest_framework.mixins import ListModelMixin
from rest_framework.permissions import SAFE_METHODS, AllowAny

ERROR = "Error"
FIELD_ERRORS = "FieldErrors"

COMPONENTS = {
    ERROR: {
        "type": "object",
        "description": "Why the request was refused, in one sentence.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    FIELD_ERRORS: {
        "type": "object",
        "description": "What did not validate: a list of messages per field "
        "(`non_field_errors` for the whole body); some operations add one readable `detail`.",
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": True,
    },
}

DESCRIPTIONS = {
    400: "The request did not validate.",
    401: "Credentials are missing or not valid.",
    403: "Not allowed: not signed in, no permission, or a failed CSRF check.",
    404: "No such object here (or no such page of the list).",
    429: "Too many requests; wait for the number of seconds in Retry-After.",
    503: "Briefly unavailable (the database); try again after Retry-After seconds.",
}


def _response(code: int, component: str) -> dict:
    body = {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}}
    response = {"description": DESCRIPTIONS[code], "content": body}
    if code in (429, 503):
        response["headers"] = {
            "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
        }
    return response


def error_codes(view, method: str, operation: dict) -> dict[int, str]:
    """The error statuses DRF can answer for this operation, each with its body's component."""
    codes: dict[int, str] = {}
    parameters = operation.get("parameters", [])
    paginator = getattr(view, "paginator", None)
    paginated = (
        isinstance(view, ListModelMixin)
        and getattr(view, "action", None) in {"list", None}
        and paginator is not None
    )
    paging = (
        {p["name"] for p in paginator.get_schema_operation_parameters(view)} if paginated else ()
    )
    filters = [p for p in parameters if p.get("in") == "query" and p["name"] not in paging]
    if "requestBody" in operation or filters:
        codes[400] = FIELD_ERRORS
    authenticators = view.get_authenticators()
    if authenticators and authenticators[0].authenticate_header(getattr(view, "request", None)):
        codes[401] = ERROR
    open_to_all = all(isinstance(p, AllowAny) for p in view.get_permissions())
    csrf_checked = method not in SAFE_METHODS and any(
        isinstance(a, SessionAuthentication) for a in authenticators
    )
    can_fail = any(not isinstance(a, SessionAuthentication) for a in authenticators)
    if not open_to_all or csrf_checked or (can_fail and 401 not in codes):
        codes[403] = ERROR
    if any(p.get("in") == "path" for p in parameters) or (paginated and method == "GET"):
        codes[404] = ERROR
    if view.get_throttles():
        codes[429] = ERROR
    codes[503] = ERROR
    return codes


def document_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: add the undocumented DRF error answers to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, component in COMPONENTS.items():
        schemas.setdefault(name, component)
    for path, _regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        operation = result["paths"].get(generator.coerce_path(path, method, view), {})
        operation = operation.get(method.lower())
        if operation is None:
            continue
        responses = operation.setdefault("responses", {})
        for code, component in error_codes(view, method, operation).items():
            responses.setdefault(str(code), _response(code, component))
    return result
