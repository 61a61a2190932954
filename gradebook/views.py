"""The cohort gradebook page and its CSV and Excel exports (same rows, same columns)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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


def _gradebook(request, cohort: Cohort) -> tuple[GradebookFilterForm, book.Gradebook]:
    form = GradebookFilterForm(request.GET or None)
    options = form.options()
    gradebook = book.build(cohort, inactive_days=options.pop("inactive_days"))
    return form, book.select(gradebook, **options)


@login_required
def cohort_gradebook(request, cohort_id: int):
    cohort = _cohort(request, cohort_id)
    form, gradebook = _gradebook(request, cohort)
    query = request.GET.urlencode()
    return render(
        request,
        "gradebook/cohort.html",
        {
            "cohort": cohort,
            "form": form,
            "book": gradebook,
            "header": book.header(gradebook),
            "body": book.body(gradebook),
            "lesson_columns": len(gradebook.lessons),
            "query": f"?{query}" if query else "",
        },
        status=200 if not form.errors else 400,
    )


@login_required
def cohort_gradebook_export(request, cohort_id: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404(_("No such export format."))
    cohort = _cohort(request, cohort_id)
    _form, gradebook = _gradebook(request, cohort)
    header, body = book.header(gradebook), book.body(gradebook)
    if fmt == "csv":
        content = export.to_csv(header, body)
    else:
        content = export.to_xlsx(header, body, title=cohort.name)
    filename = f"gradebook-{cohort.course.code}-{cohort.pk}.{fmt}"
    return spreadsheets.attachment(content, filename=filename, content_type=FORMATS[fmt])
