"""A person's data rights: download everything held about them; erase their personal data."""

from django.contrib import auth
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from certificates.models import Certificate

from .erasure import ErasureError, person_erase
from .export import build_archive
from .forms import ErasureForm


def _home(request, form: ErasureForm, status: int = 200):
    certificates = Certificate.objects.filter(holder=request.user).count()
    return render(
        request,
        "privacy/home.html",
        {
            "form": form,
            "certificates": certificates,
            "can_erase": request.user.has_usable_password(),
        },
        status=status,
    )


@login_required
def home(request):
    return _home(request, ErasureForm(user=request.user))


@login_required
@require_POST
def export(request):
    """The ZIP of everything held about the signed-in person, built now and sent to them only."""
    archive = build_archive(request.user)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=f"cbec-academy-my-data-{stamp}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def erase(request):
    form = ErasureForm(request.POST, user=request.user)
    if not form.is_valid():
        return _home(request, form, status=400)
    try:
        person_erase(user=request.user, revoke_certificates=form.revoke_certificates)
    except ErasureError:
        return _home(request, form, status=409)
    auth.logout(request)
    return redirect("privacy:erased")


def erased(request):
    return render(request, "privacy/erased.html")
