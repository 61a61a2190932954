"""The statistics page, its CSV and Excel exports, and the definitions page.

The page, the exports and the API (reports.api) read one Report from reports.services with
the same filters (reports.forms); who sees what is reports.access. Nothing here counts or
suppresses. The learning-records page exports the xAPI statements of a period
(reports.learning_records).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import spreadsheets

from . import conf as lrs_conf
from . import exports, rollups, services, xapi
from . import learning_records as learning_records_module
from .access import can_refresh_statistics, learning_records_filter, statistics_scope
from .definitions import COMMON_TEXT, DIMENSION_LABELS, FIGURES, PARTNER_TEXT
from .forms import LearningRecordsPeriodForm, StatisticsFilterForm, default_range
from .models import Refresh, Statement

EXPORT_TYPES = spreadsheets.CONTENT_TYPES


def _scope_for(user):
    scope = statistics_scope(user)
    if scope.is_empty:
        raise PermissionDenied(
            _(
                "The statistics are for regulators, the staff of a school and the "
                "administrators and verifiers of an enterprise."
            )
        )
    return scope


def _filter_labels(form) -> dict:
    """The active filters as the reader chose them (labels, not ids), for the exports."""
    labels = {}
    for name in ("standard", "level", "school", "partner", "region", "granularity", "by"):
        field = form[name]
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        choices = {str(key): label for key, label in field.field.choices}
        labels[str(field.label)] = str(choices.get(str(value), value))
    return labels


def _params(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    params.pop("format", None)
    return urlencode(sorted(params.lists()), doseq=True)


def _chart_data(report) -> dict:
    """What static/reports/statistics.js draws: labels already translated."""
    return {
        "language": "ZH" if (get_language() or "").startswith("zh") else "EN",
        "strings": {
            "current": _("This period"),
            "previous": _("Same period a year earlier"),
            "suppressed": services.SUPPRESSED,
        },
        "figures": [
            {
                "key": f.figure.key,
                "label": str(f.figure.label),
                "rate": f.figure.is_rate,
                "periods": [row.label for row in f.series],
                "values": [row.cell.value for row in f.series],
                "previous": [row.previous.value for row in f.series],
                "split": {
                    "labels": [row.label for row in f.breakdown],
                    "values": [row.cell.value for row in f.breakdown],
                },
            }
            for f in report.figures
        ],
    }


@login_required
def statistics_home(request):
    scope = _scope_for(request.user)
    form = StatisticsFilterForm(request.GET or None, choices=services.filter_choices(scope))
    if request.GET and not form.is_valid():
        return render(
            request,
            "reports/statistics.html",
            {"form": form, "report": None, "definitions": FIGURES},
            status=400,
        )
    if not request.GET:
        form = StatisticsFilterForm({}, choices=services.filter_choices(scope))
        form.is_valid()
    report = services.build_report(scope, form.query())
    drill = {}
    for figure_report in report.figures:
        for row in figure_report.breakdown:
            if row.drill:
                drill[row.key] = "?" + _params(request, **row.drill)
    format_ = request.GET.get("format")
    if format_ in EXPORT_TYPES:
        return _export(report, form, format_)
    return render(
        request,
        "reports/statistics.html",
        {
            "form": form,
            "report": report,
            "split_title": exports.split_title(report),
            "split_rows": [
                (drill.get(key), label, cells) for key, label, cells in exports.split_rows(report)
            ],
            "by_label": DIMENSION_LABELS[report.by],
            "drill_label": DIMENSION_LABELS.get(report.drill_to or ""),
            "chart_data": _chart_data(report),
            "csv_query": _params(request, format="csv"),
            "xlsx_query": _params(request, format="xlsx"),
            "up_query": _up_query(request, report),
            "can_refresh": can_refresh_statistics(request.user),
            "refresh_running": rollups.in_progress(),
            "can_export_records": learning_records_filter(request.user) is not None,
        },
    )


def _up_query(request, report) -> str | None:
    """One level up the drill-down: cohort -> school -> region -> all."""
    query = report.query
    if query.school is not None:
        return "?" + _params(request, school=None, by="school")
    if query.region is not None:
        return "?" + _params(request, region=None, by="region")
    return None


def _export(report, form, format_) -> HttpResponse:
    labels = _filter_labels(form)
    stamp = timezone.localtime(report.computed_at).strftime("%Y%m%d-%H%M")
    write = exports.as_csv if format_ == "csv" else exports.as_xlsx
    body = write(report, labels)
    return spreadsheets.attachment(
        body, filename=f"statistics-{stamp}.{format_}", content_type=EXPORT_TYPES[format_]
    )


def definitions(request):
    """Every figure's definition: public, so that anyone can check what a number means."""
    return render(
        request,
        "reports/definitions.html",
        {
            "definitions": FIGURES,
            "common_text": COMMON_TEXT,
            "partner_text": PARTNER_TEXT,
            "dimensions": DIMENSION_LABELS,
        },
    )


def _require_refresher(user) -> None:
    if not can_refresh_statistics(user):
        raise PermissionDenied(_("Only a regulator can ask for the statistics to be recomputed."))


@login_required
@require_POST
def refresh_request(request):
    """A regulator asks for the precomputed statistics to be rebuilt now."""
    _require_refresher(request.user)
    refresh, created = rollups.refresh_start(by=request.user)
    if created:
        messages.success(request, _("The statistics are being recomputed."))
    else:
        messages.info(request, _("The statistics are already being recomputed."))
    return redirect("reports:refresh_progress", refresh.pk)


@login_required
def refresh_progress(request, refresh_id: int):
    _require_refresher(request.user)
    refresh = get_object_or_404(Refresh.objects.select_related("requested_by"), pk=refresh_id)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"done": refresh.done, "total": refresh.total, "status": refresh.status}
        )
    return render(request, "reports/refresh.html", {"refresh": refresh})


# --- Learning records (xAPI) ----------------------------------------------------------------------


def _learning_records_for(user):
    allowed = learning_records_filter(user)
    if allowed is None:
        raise PermissionDenied(
            _("Learning records are for regulators and the administrators of a school.")
        )
    return Statement.objects.filter(allowed)


@login_required
def learning_records(request):
    """The page: what learning records there are, and the export of a period."""
    statements = _learning_records_for(request.user)
    start, end = default_range()
    form = LearningRecordsPeriodForm(initial={"start": start, "end": end})
    return _learning_records_page(request, form, statements)


def _learning_records_page(request, form, statements, status=200):
    counts = dict(statements.values_list("verb").annotate(n=Count("pk")).values_list("verb", "n"))
    forwarding = lrs_conf.lrs_endpoint() != ""
    return render(
        request,
        "reports/learning_records.html",
        {
            "form": form,
            "verbs": [(label, counts.get(value, 0)) for value, label in Statement.Verb.choices],
            "total": sum(counts.values()),
            "forwarding": forwarding,
            "waiting": statements.filter(forwarded_at__isnull=True).count() if forwarding else 0,
            "given_up": statements.filter(
                forwarded_at__isnull=True, attempts__gte=Statement.MAX_ATTEMPTS
            ).count(),
        },
        status=status,
    )


@login_required
def learning_records_export(request):
    """The statements of a period as JSON lines (xAPI 2.0), streamed."""
    statements = _learning_records_for(request.user)
    form = LearningRecordsPeriodForm(request.GET)
    if not form.is_valid():
        return _learning_records_page(request, form, statements, status=400)
    start, end = form.bounds()
    response = StreamingHttpResponse(
        learning_records_module.json_lines(statements.in_period(start, end).order_by("timestamp")),
        content_type="application/x-ndjson; charset=utf-8",
    )
    name = f"learning-records-{form.cleaned_data['start']:%Y%m%d}-{form.cleaned_data['end']:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.jsonl"'
    return response


def xapi_term(request):
    """What one of the site's own verb or activity-type IRIs means (public, JSON)."""
    entry = xapi.vocabulary_entry(lrs_conf.site_url(), request.path_info)
    if entry is None:
        raise Http404
    return JsonResponse(entry, json_dumps_params={"ensure_ascii": False})
