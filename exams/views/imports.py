"""Teacher pages for moving questions in and out of a bank: import, its progress, export."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import access, imports
from ..interop import FORMATS
from ..interop.xlsx import template_workbook
from ..models import Competency, ImportJob, QuestionBank
from ..services import ExamError

REPORT_PAGE_SIZE = 200
XLSX = FORMATS["xlsx"].media_type


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[(name, fmt.label) for name, fmt in FORMATS.items()],
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the questions"),
        choices=settings.LANGUAGES,
        help_text=gettext_lazy("Text that does not say its language is read as this one."),
    )
    competency = forms.SlugField(
        label=gettext_lazy("Competency of the imported questions"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("Every imported question gets this code; empty: as in the file."),
    )
    difficulty = forms.TypedChoiceField(
        label=gettext_lazy("Difficulty of the imported questions"),
        choices=[
            ("", gettext_lazy("As in the file")),
            (1, "1"),
            (2, "2"),
            (3, "3"),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args, bank: QuestionBank, **kwargs):
        super().__init__(*args, **kwargs)
        codes = competency_codes(bank)
        if codes:
            # The bank follows a standard: its competencies, never a code it does not know.
            self.fields["competency"] = forms.ChoiceField(
                label=self.fields["competency"].label,
                help_text=self.fields["competency"].help_text,
                choices=[("", _("As in the file"))] + codes,
                required=False,
            )


def competency_codes(bank: QuestionBank) -> list[tuple[str, str]]:
    """(code, "code · name") of the competencies of the bank's standard, every level once."""
    if bank.standard_id is None:
        return []
    codes: dict[str, str] = {}
    for competency in Competency.objects.filter(level__standard_id=bank.standard_id).order_by(
        "level__level", "code"
    ):
        codes.setdefault(competency.code, f"{competency.code} · {competency.name}")
    return list(codes.items())


def _authored_bank(user, bank_id: int) -> QuestionBank:
    bank = get_object_or_404(QuestionBank.objects.select_related("organization"), pk=bank_id)
    if not access.can_author_bank(user, bank):
        raise Http404(_("No such question bank."))
    return bank


def _export_response(result, bank: QuestionBank, fmt: str) -> HttpResponse:
    response = HttpResponse(result.data, content_type=FORMATS[fmt].media_type)
    response["Content-Disposition"] = _attachment(imports.export_file_name(bank, fmt))
    response["X-Export-Warnings"] = str(len(result.warnings))
    return response


def _attachment(name: str) -> str:
    return content_disposition_header(as_attachment=True, filename=name)


@login_required
@require_http_methods(["GET", "POST"])
def bank_import(request, bank_id: int):
    bank = _authored_bank(request.user, bank_id)
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, bank=bank)
        if form.is_valid():
            try:
                job = imports.import_start(
                    bank=bank,
                    fmt=form.cleaned_data["format"],
                    upload=form.cleaned_data["file"],
                    by=request.user,
                    language=form.cleaned_data["language"],
                    competency=form.cleaned_data["competency"],
                    difficulty=form.cleaned_data["difficulty"],
                )
            except ExamError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                return redirect("exams:import_job", job_id=job.pk)
        status = 400
    else:
        form = ImportForm(initial={"language": imports.file_language(get_language())}, bank=bank)
    jobs = bank.import_jobs.select_related("requested_by")[:20]
    return render(
        request,
        "exams/staff/import.html",
        {
            "bank": bank,
            "form": form,
            "jobs": jobs,
            "formats": FORMATS.values(),
            "max_mb": imports.max_bytes() // (1024 * 1024),
        },
        status=status,
    )


@login_required
def import_job(request, job_id: int):
    job = get_object_or_404(
        ImportJob.objects.select_related("bank__organization", "requested_by"), pk=job_id
    )
    if not access.can_author_bank(request.user, job.bank):
        raise Http404(_("No such import."))
    if request.GET.get("format") == "json":
        return JsonResponse(imports.import_progress(job))
    progress = imports.import_progress(job)
    errors = Paginator(job.errors, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "exams/staff/import_job.html",
        {
            "job": job,
            "bank": job.bank,
            "progress": progress,
            "percent": _percent(progress),
            "page": errors,
            "format": FORMATS.get(job.format),
        },
    )


def _percent(progress: dict) -> int:
    if progress["status"] == ImportJob.Status.DONE:
        return 100
    return int(progress["done"] * 100 / progress["total"]) if progress["total"] else 0


@login_required
def bank_export(request, bank_id: int):
    """?fmt=… downloads the file; without it, the formats and what each cannot hold."""
    bank = _authored_bank(request.user, bank_id)
    fmt = request.GET.get("fmt", "")
    if fmt in FORMATS:
        result = imports.bank_export(bank=bank, fmt=fmt, language=get_language())
        return _export_response(result, bank, fmt)
    return render(
        request,
        "exams/staff/import_export.html",
        {"bank": bank, "formats": FORMATS.values(), "unknown": fmt},
        status=400 if fmt else 200,
    )


@login_required
def bank_export_warnings(request, bank_id: int):
    """What one format would skip or lose of this bank, question by question."""
    bank = _authored_bank(request.user, bank_id)
    fmt = request.GET.get("fmt", "")
    if fmt not in FORMATS:
        raise Http404(_("No such format."))
    result = imports.bank_export(bank=bank, fmt=fmt, language=get_language())
    return render(
        request,
        "exams/staff/import_export_warnings.html",
        {"bank": bank, "format": FORMATS[fmt], "warnings": result.warnings},
    )


@login_required
def import_template(request):
    if not access.can_author_any(request.user):
        raise PermissionDenied(_("Only teachers download the question template."))
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = _attachment("question-template.xlsx")
    return response
