"""An enterprise's verification pages: bulk verification of a list, and its history.

Bulk verification is for signed-in verifiers and administrators of an
enterprise; the history for its administrators. Both export CSV and Excel made
safe to open (certificates.spreadsheets). The rules are the services':
certificates.bulk_verification and certificates.verification_history.
"""

import math
import secrets
from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from organizations import spreadsheets

from .. import bulk_verification as bulk
from .. import verification_history as history
from ..api.throttles import page_wait
from ..conf import verification_retention_days
from ..models import Verification
from .public import STATUS_DISPLAY

# What a logged result says: a status, or "modified" for a file that is not as issued.
RESULT_LABELS = {
    **{status: label for status, (label, _style) in STATUS_DISPLAY.items()},
    "modified": gettext_lazy("Modified file"),
}
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
REPORT_SECONDS = 3600  # how long a bulk report stays downloadable


class BulkVerifyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("List of serials (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "One serial per row in the first column, optionally the holder's name in the "
            "second; or a header row naming the columns serial and name."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 1048576}
            )
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


def _require_bulk(user) -> None:
    if not bulk.can_bulk_verify(user):
        raise PermissionDenied(
            _("Bulk verification is for verifiers and administrators of an enterprise.")
        )


def _status_labels() -> dict:
    return {status: label for status, (label, _style) in STATUS_DISPLAY.items()}


def _language_zh() -> bool:
    return (get_language() or "en").lower().startswith("zh")


def _report_key(user, token: str) -> str:
    return f"certificates:bulk-report:{user.pk}:{token}"


def _bulk_page(request, form, *, results=None, token="", error="", status=200):
    counts = {}
    for result in results or []:
        counts[result.status] = counts.get(result.status, 0) + 1
        result.display = STATUS_DISPLAY[result.status]
        result.name_label = bulk.NAME_RESULTS[result.name_check]
        result.achievement = (
            bulk.achievement(result.answer, _language_zh()) if result.certificate else ""
        )
    context = {
        "form": form,
        "results": results,
        "token": token,
        "error": error,
        "max_rows": bulk.MAX_ROWS,
        "counts": [(STATUS_DISPLAY[s][0], STATUS_DISPLAY[s][1], n) for s, n in counts.items()],
    }
    return render(request, "certificates/enterprise/bulk_verify.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def bulk_verify(request):
    """Upload a list; answer a table of statuses with a report to download (CSV, Excel)."""
    _require_bulk(request.user)
    if request.method != "POST":
        return _bulk_page(request, BulkVerifyForm())
    form = BulkVerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _bulk_page(request, form, status=400)
    wait = page_wait(request)  # the upload counts once against the user's verification rate
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        error = _("Too many verifications: try again in %(s)d seconds.") % {"s": seconds}
        response = _bulk_page(request, form, error=error, status=429)
        response["Retry-After"] = str(seconds)
        return response
    upload = form.cleaned_data["file"]
    try:
        rows = bulk.read_rows(upload.read(), upload.name)
        bulk.take_allowance(user=request.user, count=len(rows))
    except bulk.BulkRefused as refused:
        return _bulk_page(
            request, form, error=refused.message, status=429 if refused.throttled else 400
        )
    results = bulk.verify_rows(rows, request=request)
    language_zh = _language_zh()
    labels = _status_labels()
    report = [bulk.report_row(r, language_zh=language_zh, status_labels=labels) for r in results]
    token = secrets.token_urlsafe(16)
    cache.set(
        _report_key(request.user, token),
        {"header": bulk.report_header(), "rows": report},
        REPORT_SECONDS,
    )
    return _bulk_page(request, BulkVerifyForm(), results=results, token=token)


@login_required
@never_cache
@require_GET
def bulk_report(request, token: str, fmt: str):
    """The report of one of the user's bulk verifications (kept for an hour)."""
    _require_bulk(request.user)
    report = cache.get(_report_key(request.user, token))
    if report is None:
        raise Http404(_("This report has expired: verify the list again."))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _download(report["header"], report["rows"], f"bulk-verification-{stamp}", fmt)


def _download(header, rows, stem: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        content = spreadsheets.to_csv(header, rows)
    elif fmt == "xlsx":
        content = spreadsheets.to_xlsx(header, rows, title=_("Verifications"))
    else:
        raise Http404
    return spreadsheets.attachment(
        content, filename=f"{stem}.{fmt}", content_type=spreadsheets.CONTENT_TYPES[fmt]
    )


class HistoryFilterForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    result = forms.ChoiceField(
        label=gettext_lazy("Result"),
        required=False,
        choices=[("", gettext_lazy("Any")), *RESULT_LABELS.items()],
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Verification.Channel.choices],
    )


@login_required
@never_cache
@require_GET
def verification_history(request):
    """The enterprise's verifications, filtered, a page at a time; ?export=csv|xlsx for all."""
    enterprises = list(history.history_enterprises(request.user))
    if not enterprises:
        raise PermissionDenied(_("This page is for administrators of an enterprise."))
    code = request.GET.get("org")
    enterprise = next((e for e in enterprises if e.code == code), None) if code else enterprises[0]
    if enterprise is None:
        raise PermissionDenied(_("You do not see this enterprise's history."))
    form = HistoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = history.enterprise_verifications(
        enterprise,
        since=filters.get("since"),
        until=filters.get("until"),
        result=filters.get("result") or "",
        channel=filters.get("channel") or "",
    )
    export = request.GET.get("export")
    if export:
        stem = f"verifications-{enterprise.code}-{date.today():%Y%m%d}"
        rows = history.export_rows(found, result_labels=RESULT_LABELS)
        return _download(history.export_header(), rows, stem, export)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.result_label = RESULT_LABELS.get(entry.result, entry.result)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "enterprise": enterprise,
        "enterprises": enterprises,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "export_max": history.EXPORT_MAX_ROWS,
        "retention_days": verification_retention_days(),
    }
    return render(request, "certificates/enterprise/history.html", context)
