"""Where a person lands after logging in: their own product, by role."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, resolve_url

from exams.access import standard_body_ids


@login_required
def landing(request):
    """Regulators (and administrators of a government body) land on the standards workspace;
    everyone else where LOGIN_REDIRECT_URL says, as before."""
    if standard_body_ids(request.user):
        return redirect("exams:standards_home")
    return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))
