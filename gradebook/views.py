"""The cohort gradebook page and its CSV and Excel exports (same rows, same columns).

The page shows the rows the filters match one page at a time; an export holds every one of
them, in the page's order and columns (the page says so)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from courses.models import Cohort
from organizations import spreadsheets

from . import book, export
from .access import can_view_gradebook
from .forms import GradebookFilterForm

FORMATS = spreadsheets.CONTENT_TYPES


def _cohort(request, cohort_id: int) -> Cohort:
    cohort = get_object_or_404(
        Cohort.objects.select_related("course__school", "teacher__profile", "mentor__profile"),
        pk=cohort_id,
    )
    if not can_view_gradebook(request.user, cohort):
        raise PermissionDenied(
            _(
                "Only the cohort's teacher and mentor and the school's administrators "
                "see its gradebook."
            )
        )
    return cohort


def _gradebook(request, cohort: Cohort) -> tuple[GradebookFilterForm, book.Gradebook, int]:
    form = GradebookFilterForm(request.GET or None)
    options = form.options()
    per_page = options.pop("per_page")
    gradebook = book.build(cohort, inactive_days=options.pop("inactive_days"))
    return form, book.select(gradebook, **options), per_page


def _export_query(request) -> str:
    """The filters and sort, without the page: an export holds every row they match."""
    query = request.GET.copy()
    for paging in ("page", "per_page"):
        query.pop(paging, None)
    return f"?{query.urlencode()}" if query else ""


@login_required
def cohort_gradebook(request, cohort_id: int):
    cohort = _cohort(request, cohort_id)
    form, gradebook, per_page = _gradebook(request, cohort)
    page = Paginator(gradebook.rows, per_page).get_page(request.GET.get("page"))
    return render(
        request,
        "gradebook/cohort.html",
        {
            "cohort": cohort,
            "form": form,
            "book": gradebook,
            "header": book.header(gradebook),
            "body": book.body(gradebook, rows=page.object_list),
            "page": page,
            "lesson_columns": len(gradebook.lessons),
            "query": _export_query(request),
        },
        status=200 if not form.errors else 400,
    )


@login_required
def cohort_gradebook_export(request, cohort_id: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404(_("No such export format."))
    cohort = _cohort(request, cohort_id)
    _form, gradebook, _per_page = _gradebook(request, cohort)
    header, body = book.header(gradebook), book.body(gradebook)
    if fmt == "csv":
        content = export.to_csv(header, body)
    else:
        content = export.to_xlsx(header, body, title=cohort.name)
    filename = f"gradebook-{cohort.course.code}-{cohort.pk}.{fmt}"
    return spreadsheets.attachment(content, filename=filename, content_type=FORMATS[fmt])
