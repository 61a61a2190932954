"""Holder and issuer pages: my certificates, downloads, sharing, status changes, batches."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exams.access import authored_exams

from .. import access, issuance, revocation
from ..credential import JSON_MEDIA_TYPE, JWT_MEDIA_TYPE, credential_json, credential_of
from ..forms import BatchIssueForm, SharingForm, StatusChangeForm
from ..models import Certificate, IssuanceBatch
from ..pdf import render_pdf, sample_certificate_data
from ..rendering import pdf_storage
from ..serials import normalise_serial

LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"
STATUS_ACTIONS = {
    "revoke": revocation.certificate_revoke,
    "suspend": revocation.certificate_suspend,
    "reinstate": revocation.certificate_reinstate,
}


# --- My certificates ---------------------------------------------------------------------------


@login_required
def my_certificates(request):
    certificates = (
        Certificate.objects.filter(holder=request.user)
        .select_related("school", "superseded_by")
        .with_verification_count()
        .order_by("-issued_on", "-created_at")
    )
    rows = [
        {
            "certificate": certificate,
            "title": achievement_title(certificate),
            "status": certificate.public_status(),
            "share_url": certificate.snapshot.get("verify_url", ""),
            "linkedin_url": linkedin_url(certificate),
            "sharing_form": SharingForm(instance=certificate, prefix=certificate.serial),
        }
        for certificate in certificates
    ]
    return render(request, "certificates/holder/mine.html", {"rows": rows})


def achievement_title(certificate: Certificate) -> str:
    """The achievement in the reader's language: the standard and level, or the course."""
    snapshot = certificate.snapshot
    chinese = (get_language() or "en").lower().startswith("zh")
    suffix = "zh" if chinese else "en"
    title = snapshot.get(f"achievement_name_{suffix}") or snapshot.get("achievement_name_en", "")
    if snapshot.get("level") is not None:
        level_name = snapshot.get(f"level_name_{suffix}", "")
        title = _("%(title)s · Level %(level)s %(name)s") % {
            "title": title,
            "level": snapshot["level"],
            "name": f"({level_name})" if level_name else "",
        }
    return title.strip()


def linkedin_url(certificate: Certificate) -> str:
    """LinkedIn's "Add licence or certification" form, filled in."""
    snapshot = certificate.snapshot
    school = snapshot.get("school") or {}
    chinese = (get_language() or "en").lower().startswith("zh")
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": achievement_title(certificate),
        "organizationName": school.get("name_zh" if chinese else "name_en", ""),
        "issueYear": certificate.issued_on.year,
        "issueMonth": certificate.issued_on.month,
    }
    if certificate.expires_on:
        params |= {
            "expirationYear": certificate.expires_on.year,
            "expirationMonth": certificate.expires_on.month,
        }
    params |= {"certUrl": snapshot.get("verify_url", ""), "certId": certificate.serial}
    return f"{LINKEDIN_ADD_URL}?{urlencode(params)}"


def _certificate(serial: str) -> Certificate:
    canonical = normalise_serial(serial)
    if canonical is None:
        raise Http404(_("No such certificate."))
    return get_object_or_404(Certificate.objects.select_related("school"), serial=canonical)


def _downloadable(request, serial: str) -> Certificate:
    """The certificate, if this user may download it; otherwise it does not exist for them."""
    certificate = _certificate(serial)
    if not access.can_download(request.user, certificate):
        raise Http404(_("No such certificate."))
    return certificate


@login_required
def download_pdf(request, serial: str):
    """Serve the stored, signed PDF as it was rendered (never rendered on request)."""
    certificate = _downloadable(request, serial)
    if certificate.render_state != Certificate.RenderState.DONE or not certificate.pdf.name:
        raise Http404(_("This certificate is still being prepared."))
    try:
        handle = pdf_storage().open(certificate.pdf.name, "rb")
    except FileNotFoundError as error:
        raise Http404(_("This certificate is still being prepared.")) from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )
    response["ETag"] = f'"{certificate.pdf_sha256}"'
    response["Cache-Control"] = "private, no-cache"
    return response


def _signed(request, serial: str) -> Certificate:
    certificate = _downloadable(request, serial)
    if not certificate.credential_jwt:
        raise Http404(_("This certificate is still being prepared."))
    return certificate


@login_required
def download_credential(request, serial: str):
    """The credential as JSON-LD, the same bytes as the credential.json inside the PDF.

    It carries no proof of its own: the signed form is the .jwt download.
    """
    certificate = _signed(request, serial)
    body = credential_json(credential_of(certificate.credential_jwt))
    return _attachment(body, JSON_MEDIA_TYPE, f"{certificate.serial}.credential.json")


@login_required
def download_credential_jwt(request, serial: str):
    """The signed credential: the compact VC-JWT (Open Badges 3.0 section 8.2)."""
    certificate = _signed(request, serial)
    body = certificate.credential_jwt.encode("ascii")
    return _attachment(body, JWT_MEDIA_TYPE, f"{certificate.serial}.credential.jwt")


def _attachment(body: bytes, media_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def sharing(request, serial: str):
    """The holder chooses what verifiers see: full name, scores."""
    certificate = _certificate(serial)
    if certificate.holder_id != request.user.pk:
        raise Http404(_("No such certificate."))
    form = SharingForm(request.POST, instance=certificate, prefix=certificate.serial)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your sharing choices are saved."))
    else:
        messages.error(request, _("Your sharing choices could not be saved."))
    return redirect("certificates:mine")


# --- Issuers -------------------------------------------------------------------------------------


@login_required
def change_status(request, serial: str):
    """Revoke, suspend or reinstate (teachers and admins of the issuing school)."""
    certificate = _certificate(serial)
    if not access.can_change_status(request.user, certificate):
        raise Http404(_("No such certificate."))
    form = StatusChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = STATUS_ACTIONS[form.cleaned_data["action"]]
        options = {"note": form.cleaned_data["note"]}
        if form.cleaned_data["action"] != "reinstate" and form.cleaned_data["reason"]:
            options["reason"] = form.cleaned_data["reason"]
        try:
            action(certificate=certificate, by=request.user, **options)
        except revocation.StatusChangeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The certificate's status is changed."))
        return redirect(certificate.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "certificates/holder/change_status.html",
        {"certificate": certificate, "form": form, "title": achievement_title(certificate)},
        status=status,
    )


@login_required
def template_preview(request):
    """The default certificate template filled with sample data, as an inline PDF."""
    if not access.can_preview_template(request.user):
        raise PermissionDenied
    pdf = render_pdf(sample_certificate_data())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
    return response


def _batch_exams(user):
    return (
        authored_exams(user)
        .filter(skill_level__isnull=False)
        .select_related("skill_level__standard", "organization")
        .order_by("-created_at")
    )


@login_required
def batch_issue(request):
    """Issue certificates for every passed attempt of a sitting that has none yet."""
    exams = _batch_exams(request.user)
    if not exams.exists():
        raise Http404(_("You organise no skill-level exams."))
    form = BatchIssueForm(request.POST or None, exams=exams)
    if request.method == "POST":
        if not form.is_valid():
            raise Http404(_("No such exam."))
        exam = form.cleaned_data["exam"]
        if not access.can_issue_batch(request.user, exam):
            raise Http404(_("No such exam."))
        try:
            batch = issuance.batch_issue(exam=exam, by=request.user)
        except issuance.CertificateError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("certificates:batch_issue")
        return redirect("certificates:batch_progress", batch_id=batch.pk)
    return render(request, "certificates/holder/batch_issue.html", {"form": form})


@login_required
def batch_progress(request, batch_id: int):
    """How far a batch's renders are; ?format=json for the page's polling script."""
    batch = get_object_or_404(
        IssuanceBatch.objects.select_related("exam__organization", "requested_by"), pk=batch_id
    )
    if not access.can_follow_batch(request.user, batch):
        raise Http404(_("No such batch."))
    progress = issuance.batch_progress(batch)
    issuance.batch_refresh_status(batch, progress)
    if request.GET.get("format") == "json":
        return JsonResponse(progress)
    done = progress["rendered"] + progress["failed"]
    percent = 100 if not progress["total"] else done * 100 // progress["total"]
    certificates = batch.certificates.order_by("serial")[:500]
    return render(
        request,
        "certificates/holder/batch_progress.html",
        {
            "batch": batch,
            "progress": progress,
            "percent": percent,
            "certificates": certificates,
            "json_url": reverse("certificates:batch_progress", args=[batch.pk]) + "?format=json",
        },
    )
